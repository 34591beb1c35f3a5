using Atom.Salesforce.PubSub.Protocol;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Streaming;

public partial class PubSubClient
{
    /// <summary>
    /// Subscribes through a managed event subscription (Salesforce's <c>ManagedSubscribe</c>, beta): Salesforce keeps the
    /// subscription's position, so nothing is stored on the client. The topic and where a first subscription starts are the
    /// subscription's own (its <c>ManagedEventSubscription</c> configuration); later ones resume after the replay id committed
    /// last. The client commits for the caller, at least once: a batch's last replay id once the caller has come back for the
    /// event after it (so an event the caller was still processing when the process died is delivered again), and the latest
    /// replay id of each keepalive. Flow control, reconnection and session renewal work as for
    /// <see cref="SubscribeAsync(string, ReplayStart, SubscribeOptions?, CancellationToken)"/>; after a reconnection Salesforce
    /// resumes after the last commit. A managed subscription serves one client at a time.
    /// </summary>
    /// <param name="subscription">The subscription's developer name (<c>My_Managed_Subscription</c>) or its id (<c>18x…</c>).</param>
    /// <param name="options">Batch size and keepalive callback; the app's <see cref="PubSubOptions"/> when null.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events, in stream order.</returns>
    /// <exception cref="PubSubException">
    /// Salesforce refused the subscription (unknown or stopped subscription, no permission), or
    /// <see cref="PubSubOptions.MaxReconnectAttempts"/> reconnections failed in a row.
    /// </exception>
    public virtual IAsyncEnumerable<ReceivedEvent> ManagedSubscribeAsync(string subscription, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscription);
        var batchSize = options?.BatchSize ?? _connection.Options.BatchSize;
        if (batchSize is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), batchSize, "SubscribeOptions.BatchSize must be 1 to 100.");
        }

        return ManagedSubscribeCoreAsync(subscription, batchSize, options?.KeepaliveReceived, cancellationToken);
    }

    private IAsyncEnumerable<ReceivedEvent> ManagedSubscribeCoreAsync(
        string subscription, int batchSize, Func<ReplayId, CancellationToken, ValueTask>? keepalive, CancellationToken cancellationToken) =>
        SubscribeLoopAsync(new ManagedSubscription(subscription, _connection.Logger), batchSize, keepalive, cancellationToken);

    /// <summary>
    /// A managed subscription: Salesforce keeps its position, so the stream commits what the caller consumed (a batch's last
    /// replay id, a keepalive's latest) and a new call resumes after the last commit.
    /// </summary>
    private sealed class ManagedSubscription(string subscription, ILogger logger)
        : SubscriptionStream<ManagedFetchRequest, ManagedFetchResponse>(subscription, "ManagedSubscribe")
    {
        // An id has the ManagedEventSubscription key prefix and 15 or 18 characters; anything else is a developer name.
        private readonly bool _byId = subscription.Length is 15 or 18 && subscription.StartsWith("18x", StringComparison.Ordinal);

        public override AsyncDuplexStreamingCall<ManagedFetchRequest, ManagedFetchResponse> Open(PubSubConnection connection, CallOptions options) =>
            connection.Stub.ManagedSubscribe(options);

        public override ManagedFetchRequest First(int numRequested)
        {
            var first = new ManagedFetchRequest { NumRequested = numRequested };
            if (_byId)
            {
                first.SubscriptionId = Name;
            }
            else
            {
                first.DeveloperName = Name;
            }

            return first;
        }

        public override ManagedFetchRequest More(int numRequested) => new() { NumRequested = numRequested };

        /// <summary>A commit's answer: a refusal is logged (the next commit covers the same events).</summary>
        public override bool Handled(ManagedFetchResponse response)
        {
            if (response.CommitResponse is not { } commit)
            {
                return false;
            }

            if (commit.Error is { } refused && (refused.Code != Atom.Salesforce.PubSub.Protocol.ErrorCode.Unknown || refused.Msg.Length > 0))
            {
                Log.CommitRefused(logger, Name, refused.Msg);
            }

            return true;
        }

        /// <summary>Commits a keepalive's position, so that a quiet subscription does not fall behind.</summary>
        public override ValueTask<RpcException?> KeepaliveAsync(AsyncDuplexStreamingCall<ManagedFetchRequest, ManagedFetchResponse> call, ReplayId latest, CancellationToken cancellationToken) =>
            new(CommitAsync(call, latest, cancellationToken));

        /// <summary>The whole batch is processed: commits its last event.</summary>
        public override ValueTask<RpcException?> BatchConsumedAsync(AsyncDuplexStreamingCall<ManagedFetchRequest, ManagedFetchResponse> call, ReplayId last, CancellationToken cancellationToken) =>
            new(CommitAsync(call, last, cancellationToken));

        /// <summary>After a dropped stream Salesforce may still hold the subscription for its previous stream for a moment.</summary>
        public override bool Resumable(RpcException failure) =>
            failure.StatusCode == StatusCode.FailedPrecondition
            && (PubSubErrors.ErrorCode(failure) ?? string.Empty).Contains("already", StringComparison.OrdinalIgnoreCase);

        private static Task<RpcException?> CommitAsync(AsyncDuplexStreamingCall<ManagedFetchRequest, ManagedFetchResponse> call, ReplayId replayId, CancellationToken cancellationToken) =>
            WriteAsync(call, new ManagedFetchRequest
            {
                CommitReplayIdRequest = new CommitReplayRequest { CommitRequestId = Guid.NewGuid().ToString(), ReplayId = UnsafeByteOperations.UnsafeWrap(replayId.Bytes) },
            }, cancellationToken);
    }
}
