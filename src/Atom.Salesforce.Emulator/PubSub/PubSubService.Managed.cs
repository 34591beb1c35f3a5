using Google.Protobuf;
using Grpc.Core;
using Proto = Atom.Salesforce.PubSub.Protocol;

namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>
/// ManagedSubscribe (beta at Salesforce): Subscribe for a managed event subscription named by id or developer name in the
/// first request, which starts after the replay id the subscription last committed (its <c>defaultReplay</c> before any
/// commit, its <c>errorRecoveryReplay</c> when the committed one is no longer retained). Any later request may carry a
/// <c>commit_replay_id_request</c>; the org stores the replay id and answers with a response holding only a
/// <c>commit_response</c> (the request's id, the replay id, the time the request was processed, and an error of code COMMIT
/// for a replay id it does not keep). One stream per subscription at a time.
/// </summary>
internal sealed partial class PubSubService
{
    public override async Task ManagedSubscribe(IAsyncStreamReader<Proto.ManagedFetchRequest> requestStream, IServerStreamWriter<Proto.ManagedFetchResponse> responseStream, ServerCallContext context)
    {
        const string Rpc = "ManagedSubscribe";
        var rpcId = Authenticate(context, Rpc);
        var cancel = context.CancellationToken;
        if (!await requestStream.MoveNext(cancel).ConfigureAwait(false))
        {
            return;
        }

        var first = requestStream.Current;
        if (string.IsNullOrEmpty(first.SubscriptionId) && string.IsNullOrEmpty(first.DeveloperName))
        {
            throw Error(
                StatusCode.InvalidArgument, "sfdc.platform.eventbus.grpc.subscription.managed.id.missing",
                "Provide the ID or developer name of a managed event subscription in the first ManagedFetchRequest.", rpcId, Rpc);
        }

        var subscription = PubSub.Managed.Find(first.SubscriptionId, first.DeveloperName) ?? throw Error(
            StatusCode.NotFound, "sfdc.platform.eventbus.grpc.subscription.managed.not.found",
            $"The managed subscription configuration {(string.IsNullOrEmpty(first.SubscriptionId) ? first.DeveloperName : first.SubscriptionId)} wasn't found. Ensure that the ManagedEventSubscription exists.",
            rpcId, Rpc);

        string topicName;
        long cursor;
        lock (subscription.Gate)
        {
            if (subscription.State != "RUN")
            {
                throw Error(
                    StatusCode.FailedPrecondition, "sfdc.platform.eventbus.grpc.subscription.managed.stopped",
                    $"The managed subscription {subscription.DeveloperName} is in the STOP state. Set its state to RUN to subscribe.", rpcId, Rpc);
            }

            if (subscription.Held)
            {
                throw Error(
                    StatusCode.FailedPrecondition, "sfdc.platform.eventbus.grpc.subscription.managed.already.active",
                    "An active managed subscription with the same ID already exists. If a previous subscription with the same ID was stopped, there can be a delay before it expires. Try subscribing again later.",
                    rpcId, Rpc);
            }

            topicName = subscription.TopicName;
            cursor = subscription.Committed is { } committed && ValidReplayId(committed) is { } valid
                ? valid
                : Start(subscription.Committed is null ? subscription.DefaultReplay : subscription.ErrorRecoveryReplay);
            subscription.Held = true;
        }

        try
        {
            var topic = PubSub.Catalog.Topic(topicName) ?? throw TopicNotFound(topicName, rpcId, Rpc);
            var stream = new FlowControl(first.NumRequested);
            using var writing = new SemaphoreSlim(1, 1);

            async Task WriteAsync(Proto.ManagedFetchResponse response)
            {
                await writing.WaitAsync(cancel).ConfigureAwait(false);
                try
                {
                    await responseStream.WriteAsync(response, cancel).ConfigureAwait(false);
                }
                finally
                {
                    writing.Release();
                }
            }

            async Task HandleAsync(Proto.ManagedFetchRequest request)
            {
                if ((!string.IsNullOrEmpty(request.SubscriptionId) && string.CompareOrdinal(request.SubscriptionId, 0, subscription.Id, 0, 15) != 0)
                    || (!string.IsNullOrEmpty(request.DeveloperName) && !request.DeveloperName.Equals(subscription.DeveloperName, StringComparison.OrdinalIgnoreCase)))
                {
                    stream.Refuse(Error(
                        StatusCode.InvalidArgument, "sfdc.platform.eventbus.grpc.subscription.managed.id.mismatch",
                        "The managed subscription of a ManagedFetchRequest can't change within the stream.", rpcId, Rpc));
                    return;
                }

                if (request.CommitReplayIdRequest is { } commit)
                {
                    await WriteAsync(new Proto.ManagedFetchResponse
                    {
                        RpcId = rpcId,
                        PendingNumRequested = stream.Take(0),
                        CommitResponse = Commit(subscription, commit),
                    }).ConfigureAwait(false);
                }

                stream.Add(request.NumRequested);
            }

            // The first request may commit too (a client resuming with the position it reached).
            if (first.CommitReplayIdRequest is not null)
            {
                await WriteAsync(new Proto.ManagedFetchResponse { RpcId = rpcId, PendingNumRequested = stream.Take(0), CommitResponse = Commit(subscription, first.CommitReplayIdRequest) }).ConfigureAwait(false);
            }

            _ = ReadRequestsAsync(requestStream, stream, HandleAsync, cancel);
            await StreamAsync(topic.Name, cursor, stream, context, rpcId, Rpc, (events, reached, pending) =>
            {
                var response = new Proto.ManagedFetchResponse { RpcId = rpcId, LatestReplayId = ByteString.CopyFrom(EventBus.Encode(reached)), PendingNumRequested = pending };
                response.Events.AddRange(events);
                return WriteAsync(response);
            }).ConfigureAwait(false);
        }
        finally
        {
            lock (subscription.Gate)
            {
                subscription.Held = false;
            }
        }
    }

    /// <summary>Stores a committed replay id when the bus gave it out and still keeps it; the answer says which.</summary>
    private Proto.CommitReplayResponse Commit(ManagedSubscription subscription, Proto.CommitReplayRequest request)
    {
        var response = new Proto.CommitReplayResponse
        {
            CommitRequestId = request.CommitRequestId,
            ReplayId = request.ReplayId,
            ProcessTime = PubSub.Time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        if (ValidReplayId(request.ReplayId) is { } id)
        {
            lock (subscription.Gate)
            {
                subscription.Committed = id;
            }
        }
        else
        {
            response.Error = new Proto.Error
            {
                Code = Proto.ErrorCode.Commit,
                Msg = "The Replay ID validation failed. Ensure that the replay ID to commit is one the subscription received and is within the retention window.",
            };
        }

        return response;
    }

    /// <summary>Where a replay preset of a managed subscription (LATEST, EARLIEST) starts now.</summary>
    private long Start(string preset) => preset == "EARLIEST" ? PubSub.Bus.EarliestPosition() : PubSub.Bus.LatestReplayId;

    private long? ValidReplayId(long id) => id <= PubSub.Bus.LatestReplayId && id >= PubSub.Bus.EarliestPosition() ? id : null;
}
