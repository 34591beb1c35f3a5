using System.Runtime.CompilerServices;
using Atom.Salesforce.PubSub.Protocol;
using Grpc.Core;

namespace Atom.Salesforce.Client.Streaming;

public partial class PubSubClient
{
    /// <summary>
    /// The subscribe loop that <see cref="SubscribeAsync"/> and <see cref="ManagedSubscribeAsync"/> share: one call per
    /// subscription attempt, flow control (at most <paramref name="batchSize"/> events requested and not yet consumed, topped
    /// up as the caller consumes), session renewal on a refused session, and reconnection with backoff on a transient failure.
    /// What differs (the requests, where to resume, what to commit) is <paramref name="stream"/>'s.
    /// </summary>
    private async IAsyncEnumerable<ReceivedEvent> SubscribeLoopAsync<TRequest, TResponse>(
        SubscriptionStream<TRequest, TResponse> stream, int batchSize, Func<ReplayId, CancellationToken, ValueTask>? keepalive,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TRequest : class
        where TResponse : class, ISubscriptionResponse
    {
        var token = await _connection.GetTokenAsync(_login, cancellationToken).ConfigureAwait(false);
        var refreshed = false;
        var failures = 0;
        while (true)
        {
            // One span per call (a resubscription is a new one); not current, so the caller's work is not its child.
            var span = _connection.Telemetry.Start("subscribe", "receive", stream.Name, stream.Method, makeCurrent: false);
            using var call = stream.Open(_connection, new CallOptions(PubSubConnection.Headers(_login, token), cancellationToken: cancellationToken));
            using var ending = new SpanEnd(span);
            var outstanding = batchSize;
            var failure = await WriteAsync(call, stream.First(batchSize), cancellationToken).ConfigureAwait(false);
            while (failure is null)
            {
                var (response, error) = await ReadAsync(call, cancellationToken).ConfigureAwait(false);
                if (response is null)
                {
                    // The server ended the stream (an error, or a close without one): resubscribe below.
                    failure = error ?? new RpcException(new Status(StatusCode.Unavailable, "The server closed the subscription."));
                    break;
                }

                // A response: the session and the connection are good.
                refreshed = false;
                failures = 0;
                if (stream.Handled(response))
                {
                    continue;
                }

                if (response.Events.Count == 0)
                {
                    // Keepalive: every earlier event has been consumed, so its latest replay id is a safe place to resume.
                    if (!response.LatestReplayId.IsEmpty)
                    {
                        var latest = ReplayId.Wrap(response.LatestReplayId.ToByteArray());
                        failure = await stream.KeepaliveAsync(call, latest, cancellationToken).ConfigureAwait(false);
                        if (keepalive is not null)
                        {
                            await keepalive(latest, cancellationToken).ConfigureAwait(false);
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
                        stream.Name, ReplayId.Wrap(consumerEvent.ReplayId.ToByteArray()), producerEvent.Id, schema, producerEvent.Payload.Memory, _connection.Serializer)
                    {
                        ReceiveContext = span.Activity?.Context ?? default,
                    };
                    _connection.Telemetry.Received(stream.Name, producerEvent.Payload.Length);
                    yield return last;

                    // The caller is back for more: this event is consumed.
                    stream.Consumed(last.ReplayId);
                }

                // So is the whole batch (the commit hook); then top up as the caller consumes: never more than batchSize
                // outstanding, never down to none while events flow.
                failure = await stream.BatchConsumedAsync(call, last!.ReplayId, cancellationToken).ConfigureAwait(false);
                if (failure is null && outstanding <= batchSize / 2)
                {
                    var more = batchSize - outstanding;
                    failure = await WriteAsync(call, stream.More(more), cancellationToken).ConfigureAwait(false);
                    outstanding = batchSize;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var kind = PubSubErrors.Classify(failure);
            var status = failure.StatusCode.ToString();
            if (kind == PubSubFailure.Authentication && !refreshed)
            {
                span.Fail(status);
                span.EndStream();
                token = await _connection.RefreshAsync(_login, token, cancellationToken).ConfigureAwait(false);
                refreshed = true;
                _connection.Telemetry.Reconnect(stream.Name, status);
                continue;
            }

            if ((kind != PubSubFailure.Transient && !stream.Resumable(failure)) || failures >= _connection.Options.MaxReconnectAttempts)
            {
                var mapped = PubSubErrors.Map(failure, $"PubSub.{stream.Method}({stream.Name})", _login);
                span.Fail(mapped);
                throw mapped;
            }

            span.Fail(status);
            span.EndStream();
            _connection.Telemetry.Reconnect(stream.Name, status);
            Log.SubscriptionBroken(_connection.Logger, stream.Name, PubSubErrors.ErrorCode(failure) ?? status, failure);
            await _connection.DelayAsync(++failures, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<RpcException?> WriteAsync<TRequest, TResponse>(
        AsyncDuplexStreamingCall<TRequest, TResponse> call, TRequest request, CancellationToken cancellationToken)
        where TResponse : class
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
            // The call has ended: reading tells why.
            var (_, error) = await ReadAsync(call, cancellationToken).ConfigureAwait(false);
            return error ?? new RpcException(new Status(StatusCode.Unavailable, "The server closed the subscription."));
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>The next response, or none at the stream's end; a failure is returned, not thrown (unless the caller cancelled).</summary>
    private static async Task<(TResponse? Response, RpcException? Error)> ReadAsync<TRequest, TResponse>(
        AsyncDuplexStreamingCall<TRequest, TResponse> call, CancellationToken cancellationToken)
        where TResponse : class
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

    /// <summary>Ends a subscription's span however the iteration leaves it (the end of the stream, an error, the caller's break).</summary>
    private readonly struct SpanEnd(PubSubTelemetry.Call span) : IDisposable
    {
        public void Dispose() => span.EndStream();
    }

    /// <summary>
    /// What a kind of subscription (Subscribe, ManagedSubscribe) adds to <see cref="SubscribeLoopAsync"/>: its call and
    /// requests, where it resumes after a reconnection, and its commits. One instance per subscription (it may keep state).
    /// </summary>
    private abstract class SubscriptionStream<TRequest, TResponse>(string name, string method)
        where TRequest : class
        where TResponse : class
    {
        /// <summary>The topic or the managed subscription: the events' <see cref="ReceivedEvent.Topic"/> and the telemetry's destination.</summary>
        public string Name { get; } = name;

        /// <summary>The gRPC method, for the span and errors: <c>Subscribe</c> or <c>ManagedSubscribe</c>.</summary>
        public string Method { get; } = method;

        public abstract AsyncDuplexStreamingCall<TRequest, TResponse> Open(PubSubConnection connection, CallOptions options);

        /// <summary>A call's first request, asking for <paramref name="numRequested"/> events.</summary>
        public abstract TRequest First(int numRequested);

        /// <summary>A later request for <paramref name="numRequested"/> more events.</summary>
        public abstract TRequest More(int numRequested);

        /// <summary>Whether the response is one for the stream itself (not events, not a keepalive), which it has dealt with.</summary>
        public virtual bool Handled(TResponse response) => false;

        /// <summary>A keepalive's latest replay id: every earlier event has been consumed. A failure to write ends the call.</summary>
        public abstract ValueTask<RpcException?> KeepaliveAsync(AsyncDuplexStreamingCall<TRequest, TResponse> call, ReplayId latest, CancellationToken cancellationToken);

        /// <summary>The caller has come back after an event: it is consumed.</summary>
        public virtual void Consumed(ReplayId replayId)
        {
        }

        /// <summary>The commit hook: the caller has come back after a batch's last event. A failure to write ends the call.</summary>
        public virtual ValueTask<RpcException?> BatchConsumedAsync(AsyncDuplexStreamingCall<TRequest, TResponse> call, ReplayId last, CancellationToken cancellationToken) =>
            default;

        /// <summary>Whether a failure that is neither transient nor a refused session still calls for resubscribing.</summary>
        public virtual bool Resumable(RpcException failure) => false;
    }
}
