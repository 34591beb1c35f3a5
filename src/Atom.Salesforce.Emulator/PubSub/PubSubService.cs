using Atom.Salesforce.Emulator.Auth;
using Atom.Salesforce.Emulator.Data;
using Google.Protobuf;
using Grpc.Core;
using Proto = Atom.Salesforce.PubSub.Protocol;

namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>
/// Salesforce's Pub/Sub API (package <c>eventbus.v1</c>): Subscribe with flow control and replay, GetTopic, GetSchema,
/// Publish and PublishStream. Every call authenticates with the metadata Salesforce documents (<c>accesstoken</c>,
/// <c>instanceurl</c>, <c>tenantid</c>); errors carry Salesforce's <c>error-code</c> and <c>rpc-id</c> trailers, and
/// the rpc id at the end of the message.
/// </summary>
internal sealed class PubSubService(PubSubEnvironment environment) : Proto.PubSub.PubSubBase
{
    /// <summary>Most events one FetchRequest may ask for (Pub/Sub API guide, Subscribe RPC: num_requested is at most 100).</summary>
    internal const int MaxRequested = 100;

    private PubSubBus PubSub => environment.PubSub;

    public override Task<Proto.TopicInfo> GetTopic(Proto.TopicRequest request, ServerCallContext context)
    {
        var rpcId = Authenticate(context, "GetTopic");
        var topic = PubSub.Catalog.Topic(request.TopicName) ?? throw TopicNotFound(request.TopicName, rpcId, "GetTopic");
        return Task.FromResult(new Proto.TopicInfo
        {
            TopicName = topic.Name,
            TenantGuid = Org.OrganizationId,
            CanPublish = topic.CanPublish,
            CanSubscribe = true,
            SchemaId = topic.Schema?.SchemaId ?? string.Empty,
            RpcId = rpcId,
        });
    }

    public override Task<Proto.SchemaInfo> GetSchema(Proto.SchemaRequest request, ServerCallContext context)
    {
        var rpcId = Authenticate(context, "GetSchema");
        var schema = PubSub.Catalog.SchemaById(request.SchemaId)
            ?? throw Error(StatusCode.NotFound, "sfdc.platform.eventbus.grpc.schema.not.found", $"The schema ID {request.SchemaId} wasn't found.", rpcId, "GetSchema");
        return Task.FromResult(new Proto.SchemaInfo { SchemaJson = schema.Json, SchemaId = schema.SchemaId, RpcId = rpcId });
    }

    public override Task<Proto.PublishResponse> Publish(Proto.PublishRequest request, ServerCallContext context)
    {
        var rpcId = Authenticate(context, "Publish");
        return Task.FromResult(PublishAll(request, rpcId, "Publish"));
    }

    public override async Task PublishStream(IAsyncStreamReader<Proto.PublishRequest> requestStream, IServerStreamWriter<Proto.PublishResponse> responseStream, ServerCallContext context)
    {
        var rpcId = Authenticate(context, "PublishStream");
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(PublishAll(request, rpcId, "PublishStream"), context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override Task ManagedSubscribe(IAsyncStreamReader<Proto.ManagedFetchRequest> requestStream, IServerStreamWriter<Proto.ManagedFetchResponse> responseStream, ServerCallContext context)
    {
        var rpcId = Authenticate(context, "ManagedSubscribe");
        throw Error(StatusCode.Unimplemented, "sfdc.platform.eventbus.grpc.service.unimplemented", "Managed subscriptions aren't available in the emulator.", rpcId, "ManagedSubscribe");
    }

    public override async Task Subscribe(IAsyncStreamReader<Proto.FetchRequest> requestStream, IServerStreamWriter<Proto.FetchResponse> responseStream, ServerCallContext context)
    {
        var rpcId = Authenticate(context, "Subscribe");
        var cancel = context.CancellationToken;
        if (!await requestStream.MoveNext(cancel).ConfigureAwait(false))
        {
            return;
        }

        var first = requestStream.Current;
        var topic = PubSub.Catalog.Topic(first.TopicName) ?? throw TopicNotFound(first.TopicName, rpcId, "Subscribe");
        long cursor;
        switch (first.ReplayPreset)
        {
            case Proto.ReplayPreset.Earliest:
                cursor = PubSub.Bus.EarliestPosition();
                break;
            case Proto.ReplayPreset.Custom:
                var id = EventBus.Decode(first.ReplayId.Span);
                if (id is not { } replayId || replayId > PubSub.Bus.LatestReplayId || replayId < PubSub.Bus.EarliestPosition())
                {
                    throw Error(
                        StatusCode.InvalidArgument,
                        "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted",
                        "The Replay ID validation failed. Ensure that the replay_id field value in FetchRequest is valid and refers to an event that is within the retention window.",
                        rpcId,
                        "Subscribe");
                }

                cursor = replayId;
                break;
            default:
                cursor = PubSub.Bus.LatestReplayId;
                break;
        }

        var pending = Math.Clamp(first.NumRequested, 0, MaxRequested);
        var gate = new object();
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Later FetchRequests add to what the client may receive; the stream ends when the client half-closes or leaves.
        var reading = Task.Run(
            async () =>
            {
                try
                {
                    while (await requestStream.MoveNext(cancel).ConfigureAwait(false))
                    {
                        TaskCompletionSource signal;
                        lock (gate)
                        {
                            pending = Math.Min(MaxRequested, pending + Math.Max(0, requestStream.Current.NumRequested));
                            signal = requested;
                            requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        }

                        signal.TrySetResult();
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or RpcException)
                {
                    // The client went away: the writer below stops on the same cancellation.
                }
            },
            CancellationToken.None);

        var keepAlive = environment.KeepAlive;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                // Asked for before reading, so that an event published meanwhile still wakes the loop.
                var published = PubSub.Bus.NextPublished;
                Task more;
                int allowed;
                lock (gate)
                {
                    allowed = pending;
                    more = requested.Task;
                }

                if (allowed > 0)
                {
                    var (events, reached) = PubSub.Bus.Read(topic.Name, cursor, allowed);
                    if (events.Count > 0)
                    {
                        if (!await SendAsync(events, reached, responseStream, context, rpcId, () =>
                        {
                            lock (gate)
                            {
                                pending -= events.Count;
                                return pending;
                            }
                        }).ConfigureAwait(false))
                        {
                            return;
                        }

                        cursor = reached;
                        continue;
                    }

                    cursor = reached;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                var timeout = Task.Delay(keepAlive, wait.Token);
                var woke = await Task.WhenAny(published, more, timeout).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
                if (woke == timeout && !cancel.IsCancellationRequested)
                {
                    // A keepalive: no events, the position reached and what the client may still receive.
                    int still;
                    lock (gate)
                    {
                        still = pending;
                    }

                    cursor = Math.Max(cursor, PubSub.Bus.Read(topic.Name, cursor, 0).ReachedReplayId);
                    await responseStream.WriteAsync(
                        new Proto.FetchResponse { LatestReplayId = ByteString.CopyFrom(EventBus.Encode(cursor)), RpcId = rpcId, PendingNumRequested = still },
                        cancel).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client closed the stream.
        }

        // The reader is left to end by itself: the call's end cancels it, and it catches its own errors.
        _ = reading;
    }

    /// <summary>Sends one batch of events, through any stream fault waiting; false when the fault ended the stream.</summary>
    private async Task<bool> SendAsync(IReadOnlyList<BusEvent> events, long reached, IServerStreamWriter<Proto.FetchResponse> responseStream, ServerCallContext context, string rpcId, Func<int> take)
    {
        var fault = environment.TakeStreamFault();
        switch (fault?.Kind)
        {
            case StreamFaultKind.Drop:
                context.GetHttpContext().Abort();
                return false;
            case StreamFaultKind.Unavailable:
                throw Error(StatusCode.Internal, "sfdc.platform.eventbus.grpc.service.unavailable", "The service is unavailable. Try again later.", rpcId, "Subscribe");
            case StreamFaultKind.Delay:
                await Task.Delay(fault.Delay, context.CancellationToken).ConfigureAwait(false);
                break;
        }

        var response = new Proto.FetchResponse { RpcId = rpcId, LatestReplayId = ByteString.CopyFrom(EventBus.Encode(reached)) };
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var payload = e.Payload;
            if (i == 0 && fault?.Kind == StreamFaultKind.Gap && e.Header is { } header)
            {
                // A gap event: the header only, its change type prefixed GAP_, no field values.
                payload = e.Schema.Encode(header with { ChangeType = "GAP_" + header.ChangeType, ChangedFields = [], NulledFields = [] }, new Dictionary<string, object?>());
            }

            response.Events.Add(new Proto.ConsumerEvent
            {
                ReplayId = ByteString.CopyFrom(EventBus.Encode(e.ReplayId)),
                Event = new Proto.ProducerEvent { Id = e.Id, SchemaId = e.Schema.SchemaId, Payload = ByteString.CopyFrom(payload) },
            });
        }

        response.PendingNumRequested = take();
        await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
        return true;
    }

    private Proto.PublishResponse PublishAll(Proto.PublishRequest request, string rpcId, string rpc)
    {
        var topic = PubSub.Catalog.Topic(request.TopicName) ?? throw TopicNotFound(request.TopicName, rpcId, rpc);
        if (!topic.CanPublish || topic.Schema is null)
        {
            throw Error(StatusCode.PermissionDenied, "sfdc.platform.eventbus.grpc.service.publish.permission.denied", $"You don't have permission to publish to topic {topic.Name}.", rpcId, rpc);
        }

        var response = new Proto.PublishResponse { SchemaId = topic.Schema.SchemaId, RpcId = rpcId };
        foreach (var e in request.Events)
        {
            var result = new Proto.PublishResult { CorrelationKey = e.Id };
            if (e.SchemaId != topic.Schema.SchemaId)
            {
                result.Error = new Proto.Error { Code = Proto.ErrorCode.Publish, Msg = $"The schema ID {e.SchemaId} doesn't match the topic's schema." };
            }
            else
            {
                try
                {
                    result.ReplayId = ByteString.CopyFrom(EventBus.Encode(PubSub.PublishEncoded(topic.Name, topic.Schema, e.Payload.ToByteArray()).ReplayId));
                }
                catch (Exception ex) when (ex is Avro.AvroException or InvalidDataException or EndOfStreamException or ArgumentException)
                {
                    result.Error = new Proto.Error { Code = Proto.ErrorCode.Publish, Msg = "The event payload couldn't be decoded with the topic's schema: " + ex.Message };
                }
            }

            response.Results.Add(result);
        }

        return response;
    }

    /// <summary>The caller's session from the call's metadata; UNAUTHENTICATED as Salesforce answers otherwise.</summary>
    private string Authenticate(ServerCallContext context, string rpc)
    {
        var rpcId = Guid.NewGuid().ToString();
        var headers = context.RequestHeaders;
        var token = headers.GetValue("accesstoken");
        var instanceUrl = headers.GetValue("instanceurl");
        var tenant = headers.GetValue("tenantid");
        var valid = environment.Sessions.Find(token) is not null
            && !string.IsNullOrEmpty(instanceUrl)
            && tenant is { Length: 15 or 18 } && Org.OrganizationId.StartsWith(tenant, StringComparison.Ordinal);
        if (!valid)
        {
            throw Error(StatusCode.Unauthenticated, "sfdc.platform.eventbus.grpc.service.auth.error", "An authentication exception occurred. Provide valid authentication via metadata headers.", rpcId, rpc);
        }

        return rpcId;
    }

    private static RpcException TopicNotFound(string topic, string rpcId, string rpc) =>
        Error(StatusCode.NotFound, "sfdc.platform.eventbus.grpc.service.topic.not.found", $"The topic {topic} wasn't found or you don't have access to it.", rpcId, rpc);

    private static RpcException Error(StatusCode code, string errorCode, string message, string rpcId, string rpc) =>
        new(new Status(code, $"{message} rpcId: {rpcId}"), new Metadata { { "error-code", errorCode }, { "rpc-id", rpcId }, { "type", rpc } });
}

/// <summary>What the Pub/Sub service works with: the org's bus, its sessions, the stream faults waiting, the keepalive interval.</summary>
internal sealed record PubSubEnvironment(PubSubBus PubSub, Sessions Sessions, Func<StreamFault?> TakeStreamFault, TimeSpan KeepAlive);

/// <summary>What an injected fault does to a Subscribe stream's next batch of events.</summary>
internal enum StreamFaultKind
{
    /// <summary>The stream is dropped (its HTTP/2 stream reset) without a status.</summary>
    Drop,

    /// <summary>The stream ends with INTERNAL and Salesforce's sfdc.platform.eventbus.grpc.service.unavailable.</summary>
    Unavailable,

    /// <summary>The batch is sent after a delay.</summary>
    Delay,

    /// <summary>The batch's first change event is sent as a gap event (header only, GAP_ change type).</summary>
    Gap,
}

/// <summary>A fault for a Subscribe stream's next batch.</summary>
internal sealed record StreamFault(StreamFaultKind Kind, TimeSpan Delay);
