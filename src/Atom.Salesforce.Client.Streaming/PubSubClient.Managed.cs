using System.Runtime.CompilerServices;
using Atom.Salesforce.PubSub.Protocol;
using Google.Protobuf;
using Grpc.Core;

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

    private async IAsyncEnumerable<ReceivedEvent> ManagedSubscribeCoreAsync(
        string subscription, int batchSize, Func<ReplayId, CancellationToken, ValueTask>? keepalive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // An id has the ManagedEventSubscription key prefix and 15 or 18 characters; anything else is a developer name.
        var byId = subscription.Length is 15 or 18 && subscription.StartsWith("18x", StringComparison.Ordinal);
        var token = await _connection.GetTokenAsync(_login, cancellationToken).ConfigureAwait(false);
        var refreshed = false;
        var failures = 0;
        while (true)
        {
            var span = _connection.Telemetry.Start("subscribe", "receive", subscription, "ManagedSubscribe", makeCurrent: false);
            using var call = _connection.Stub.ManagedSubscribe(new CallOptions(PubSubConnection.Headers(_login, token), cancellationToken: cancellationToken));
            using var ending = new SpanEnd(span);
            var outstanding = batchSize;
            var first = new ManagedFetchRequest { NumRequested = batchSize };
            if (byId)
            {
                first.SubscriptionId = subscription;
            }
            else
            {
                first.DeveloperName = subscription;
            }

            var failure = await WriteAsync(call, first, cancellationToken).ConfigureAwait(false);
            while (failure is null)
            {
                var (response, error) = await ReadAsync(call, cancellationToken).ConfigureAwait(false);
                if (response is null)
                {
                    failure = error ?? new RpcException(new Status(StatusCode.Unavailable, "The server closed the subscription."));
                    break;
                }

                refreshed = false;
                failures = 0;
                if (response.CommitResponse is { } commit)
                {
                    if (commit.Error is { } refused && (refused.Code != Atom.Salesforce.PubSub.Protocol.ErrorCode.Unknown || refused.Msg.Length > 0))
                    {
                        Log.CommitRefused(_connection.Logger, subscription, refused.Msg);
                    }

                    continue;
                }

                if (response.Events.Count == 0)
                {
                    // Keepalive: every earlier event has been consumed; commit its position so a quiet subscription does not fall behind.
                    if (!response.LatestReplayId.IsEmpty)
                    {
                        failure = await CommitAsync(call, response.LatestReplayId, cancellationToken).ConfigureAwait(false);
                        if (keepalive is not null)
                        {
                            await keepalive(ReplayId.Wrap(response.LatestReplayId.ToByteArray()), cancellationToken).ConfigureAwait(false);
                        }
                    }

                    continue;
                }

                ReceivedEvent? last = null;
                foreach (var consumerEvent in response.Events)
                {
                    outstanding--;
                    var producerEvent = consumerEvent.Event;
                    var schema = await _connection.GetSchemaAsync(_login, producerEvent.SchemaId, cancellationToken).ConfigureAwait(false);
                    last = new ReceivedEvent(
                        subscription, ReplayId.Wrap(consumerEvent.ReplayId.ToByteArray()), producerEvent.Id, schema, producerEvent.Payload.Memory, _connection.Serializer)
                    {
                        ReceiveContext = span.Activity?.Context ?? default,
                    };
                    _connection.Telemetry.Received(subscription, producerEvent.Payload.Length);
                    yield return last;
                }

                // The caller is back for more: the whole batch is processed, commit its last event.
                failure = await CommitAsync(call, consumerEventReplay(last!), cancellationToken).ConfigureAwait(false);
                if (failure is null && outstanding <= batchSize / 2)
                {
                    var more = batchSize - outstanding;
                    failure = await WriteAsync(call, new ManagedFetchRequest { NumRequested = more }, cancellationToken).ConfigureAwait(false);
                    outstanding = batchSize;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var kind = PubSubErrors.Classify(failure!);
            var status = failure!.StatusCode.ToString();
            if (kind == PubSubFailure.Authentication && !refreshed)
            {
                span.Fail(status);
                span.EndStream();
                token = await _connection.RefreshAsync(_login, token, cancellationToken).ConfigureAwait(false);
                refreshed = true;
                _connection.Telemetry.Reconnect(subscription, status);
                continue;
            }

            // After a dropped stream Salesforce may still hold the subscription for its previous stream for a moment.
            var stillHeld = failure.StatusCode == StatusCode.FailedPrecondition
                && (PubSubErrors.ErrorCode(failure) ?? string.Empty).Contains("already", StringComparison.OrdinalIgnoreCase);
            if ((kind != PubSubFailure.Transient && !stillHeld) || failures >= _connection.Options.MaxReconnectAttempts)
            {
                var mapped = PubSubErrors.Map(failure, $"PubSub.ManagedSubscribe({subscription})", _login);
                span.Fail(mapped);
                throw mapped;
            }

            span.Fail(status);
            span.EndStream();
            _connection.Telemetry.Reconnect(subscription, status);
            Log.SubscriptionBroken(_connection.Logger, subscription, PubSubErrors.ErrorCode(failure) ?? status, failure);
            await _connection.DelayAsync(++failures, cancellationToken).ConfigureAwait(false);
        }

        static ByteString consumerEventReplay(ReceivedEvent e) => UnsafeByteOperations.UnsafeWrap(e.ReplayId.Bytes);
    }

    private static Task<RpcException?> CommitAsync(AsyncDuplexStreamingCall<ManagedFetchRequest, ManagedFetchResponse> call, ByteString replayId, CancellationToken cancellationToken) =>
        WriteAsync(call, new ManagedFetchRequest { CommitReplayIdRequest = new CommitReplayRequest { CommitRequestId = Guid.NewGuid().ToString(), ReplayId = replayId } }, cancellationToken);

    private static async Task<RpcException?> WriteAsync(AsyncDuplexStreamingCall<ManagedFetchRequest, ManagedFetchResponse> call, ManagedFetchRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await call.RequestStream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return e;
        }
        catch (InvalidOperationException) when (!cancellationToken.IsCancellationRequested)
        {
            var (_, error) = await ReadAsync(call, cancellationToken).ConfigureAwait(false);
            return error ?? new RpcException(new Status(StatusCode.Unavailable, "The server closed the subscription."));
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private static async Task<(ManagedFetchResponse? Response, RpcException? Error)> ReadAsync(
        AsyncDuplexStreamingCall<ManagedFetchRequest, ManagedFetchResponse> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) ? (call.ResponseStream.Current, null) : (null, null);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, e);
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
