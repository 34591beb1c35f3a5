using System.Runtime.CompilerServices;
using System.Text.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Streaming.Avro;
using Atom.Salesforce.PubSub.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// Salesforce's Pub/Sub API as one user of one org sees it: subscribe to Change Data Capture and platform event topics with
/// flow control and replay, read topics and schemas, publish platform events. Thread-safe; get it from
/// <see cref="IPubSubClientFactory.ForUser(string)"/>. The session comes from the same token store and refresh path as the
/// REST client; a refused session is renewed and the call (or the subscription, after its last replay id) resumes.
/// </summary>
public partial class PubSubClient
{
    private readonly PubSubConnection _connection = null!;
    private readonly SalesforceLogin _login;

    /// <summary>For mocking only: every member is virtual.</summary>
    protected PubSubClient() => UserId = string.Empty;

    internal PubSubClient(PubSubConnection connection, SalesforceLogin login)
    {
        _connection = connection;
        _login = login;
        UserId = login.UserId;
    }

    /// <summary>The SDK user id whose token this client uses.</summary>
    public virtual string UserId { get; }

    /// <summary>A topic: its current schema id and whether the user may publish and subscribe.</summary>
    /// <param name="topicName">The topic, for example <c>/event/Order_Event__e</c> or <c>/data/AccountChangeEvent</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="PubSubException">Salesforce refused the call (an unknown topic, no permission) or could not be reached.</exception>
    public virtual Task<PubSubTopic> GetTopicAsync(string topicName, CancellationToken cancellationToken = default)
    {
        CheckTopic(topicName);
        return GetTopicCoreAsync(topicName, cancellationToken);
    }

    private async Task<PubSubTopic> GetTopicCoreAsync(string topicName, CancellationToken cancellationToken)
    {
        using var span = _connection.Telemetry.Start("get_topic", operationType: null, topicName, "GetTopic");
        try
        {
            var info = await _connection.UnaryAsync(_login, "PubSub.GetTopic",
                (stub, options) => stub.GetTopicAsync(new TopicRequest { TopicName = topicName }, options), retryTransient: true, cancellationToken).ConfigureAwait(false);
            return new PubSubTopic(info.TopicName, info.SchemaId, info.CanPublish, info.CanSubscribe, info.TenantGuid);
        }
        catch (Exception e)
        {
            span.Fail(e);
            throw;
        }
    }

    /// <summary>An event schema by id. Schemas are cached by id (an id names one schema for ever): one call per id per app.</summary>
    /// <param name="schemaId">The schema id, from <see cref="PubSubTopic.SchemaId"/> or <see cref="ReceivedEvent.SchemaId"/>.</param>
    /// <param name="cancellationToken">Cancels the wait (not the shared fetch).</param>
    /// <exception cref="PubSubException">Salesforce refused the call or could not be reached.</exception>
    public virtual Task<EventSchema> GetSchemaAsync(string schemaId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schemaId);
        return _connection.GetSchemaAsync(_login, schemaId, cancellationToken);
    }

    /// <summary>
    /// Subscribes to a topic and returns its events one by one, for a single consumer, until <paramref name="cancellationToken"/>
    /// is cancelled. Flow control: at most <see cref="SubscribeOptions.BatchSize"/> events are requested and not yet consumed;
    /// the client asks for more as the caller consumes, so a slow consumer slows the stream instead of buffering it. On a
    /// transient failure the client reconnects with backoff, and on a refused session it renews the token; both resume after
    /// the last event the caller received (or the last keepalive's replay id), so that nothing is lost or received twice.
    /// Gap and overflow change events are returned like any other (see <see cref="ChangeEventHeader.ChangeType"/>).
    /// </summary>
    /// <param name="topicName">The topic, for example <c>/data/AccountChangeEvent</c>, <c>/data/ChangeEvents</c> or <c>/event/Order_Event__e</c>.</param>
    /// <param name="start">Where to start: <see cref="ReplayStart.Latest"/>, <see cref="ReplayStart.Earliest"/> or <see cref="ReplayStart.After"/>.</param>
    /// <param name="options">Batch size and keepalive callback; the app's <see cref="PubSubOptions"/> when null.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events, in stream order.</returns>
    /// <exception cref="PubSubException">
    /// Salesforce refused the subscription (unknown topic, no permission, a replay id it no longer keeps:
    /// <see cref="PubSubException.IsReplayIdRejected"/>), or <see cref="PubSubOptions.MaxReconnectAttempts"/> reconnections failed in a row.
    /// </exception>
    public virtual IAsyncEnumerable<ReceivedEvent> SubscribeAsync(
        string topicName, ReplayStart start, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckTopic(topicName);
        ArgumentNullException.ThrowIfNull(start);
        var batchSize = options?.BatchSize ?? _connection.Options.BatchSize;
        if (batchSize is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), batchSize, "SubscribeOptions.BatchSize must be 1 to 100.");
        }

        return SubscribeCoreAsync(topicName, start, batchSize, options?.KeepaliveReceived, cancellationToken);
    }

    private IAsyncEnumerable<ReceivedEvent> SubscribeCoreAsync(
        string topicName, ReplayStart start, int batchSize, Func<ReplayId, CancellationToken, ValueTask>? keepalive, CancellationToken cancellationToken) =>
        SubscribeLoopAsync(new TopicSubscription(topicName, start), batchSize, keepalive, cancellationToken);

    /// <summary>A plain subscription: the client keeps its position, and a new call resumes after the last event the caller consumed.</summary>
    private sealed class TopicSubscription(string topicName, ReplayStart start) : SubscriptionStream<FetchRequest, FetchResponse>(topicName, "Subscribe")
    {
        private ReplayPreset _preset = start.Kind switch
        {
            ReplayStartKind.Earliest => ReplayPreset.Earliest,
            ReplayStartKind.AfterReplayId => ReplayPreset.Custom,
            _ => ReplayPreset.Latest,
        };

        private ReplayId _resumeAfter = start.ReplayId;

        public override AsyncDuplexStreamingCall<FetchRequest, FetchResponse> Open(PubSubConnection connection, CallOptions options) =>
            connection.Stub.Subscribe(options);

        public override FetchRequest First(int numRequested)
        {
            var first = new FetchRequest { TopicName = Name, ReplayPreset = _preset, NumRequested = numRequested };
            if (_preset == ReplayPreset.Custom)
            {
                first.ReplayId = UnsafeByteOperations.UnsafeWrap(_resumeAfter.Bytes);
            }

            return first;
        }

        public override FetchRequest More(int numRequested) => new() { TopicName = Name, NumRequested = numRequested };

        public override ValueTask<RpcException?> KeepaliveAsync(AsyncDuplexStreamingCall<FetchRequest, FetchResponse> call, ReplayId latest, CancellationToken cancellationToken)
        {
            Consumed(latest);
            return default;
        }

        public override void Consumed(ReplayId replayId)
        {
            _resumeAfter = replayId;
            _preset = ReplayPreset.Custom;
        }
    }

    /// <summary>
    /// Publishes one platform event. The event is a POCO whose property names are the event's field names, an
    /// <c>SObject</c>, or an <see cref="AvroRecord"/>; it is serialized with the client's JSON metadata, as a REST record
    /// is, and encoded in Avro by the topic's current schema. <c>CreatedDate</c> and <c>CreatedById</c>, which every
    /// platform event schema requires, are filled in when the event has none (now, and the user's Salesforce id).
    /// </summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <param name="topicName">The platform event topic, for example <c>/event/Order_Event__e</c>.</param>
    /// <param name="eventMessage">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Salesforce's answer for the event: its replay id, or its error.</returns>
    /// <exception cref="ArgumentException">The event does not fit the topic's schema; nothing was sent.</exception>
    /// <exception cref="PubSubException">Salesforce refused the call or could not be reached (a publish is not retried: it may have happened).</exception>
    public virtual async Task<PublishResult> PublishAsync<T>(string topicName, T eventMessage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventMessage);
        var results = await PublishBatchAsync(topicName, [eventMessage], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>Publishes platform events in one call (see <see cref="PublishAsync{T}(string, T, CancellationToken)"/>); results in the same order.</summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <param name="topicName">The platform event topic.</param>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Salesforce's answer for each event, in the order given.</returns>
    /// <exception cref="ArgumentException">An event does not fit the topic's schema; nothing was sent.</exception>
    /// <exception cref="PubSubException">Salesforce refused the call or could not be reached.</exception>
    public virtual Task<IReadOnlyList<PublishResult>> PublishBatchAsync<T>(string topicName, IEnumerable<T> events, CancellationToken cancellationToken = default)
    {
        CheckTopic(topicName);
        ArgumentNullException.ThrowIfNull(events);
        var list = events.ToList();
        if (list.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<PublishResult>>([]);
        }

        return PublishBatchCoreAsync(topicName, list, cancellationToken);
    }

    private async Task<IReadOnlyList<PublishResult>> PublishBatchCoreAsync<T>(string topicName, List<T> events, CancellationToken cancellationToken)
    {
        using var span = _connection.Telemetry.Start("publish", "send", topicName, "Publish");
        span.BatchSize(events.Count);
        try
        {
            var (schema, token) = await PublishSchemaAsync(topicName, cancellationToken).ConfigureAwait(false);
            var request = new PublishRequest { TopicName = topicName };
            foreach (var item in events)
            {
                request.Events.Add(Encode(schema, item, token));
            }

            var response = await _connection.UnaryAsync(_login, $"PubSub.Publish({topicName})", (stub, options) => stub.PublishAsync(request, options),
                retryTransient: false, cancellationToken).ConfigureAwait(false);
            var results = Results(response, request);
            foreach (var result in results)
            {
                _connection.Telemetry.Published(topicName, "publish", result);
            }

            return results;
        }
        catch (Exception e)
        {
            span.Fail(e);
            throw;
        }
    }

    /// <summary>
    /// Publishes a stream of platform events over one long-lived call (Salesforce's <c>PublishStream</c>), one request per
    /// event as <paramref name="events"/> yields them, and returns Salesforce's answers as they arrive (in the order
    /// Salesforce sends them; match them by <see cref="PublishResult.CorrelationKey"/>). Events are encoded as
    /// <see cref="PublishAsync{T}(string, T, CancellationToken)"/> encodes them.
    /// </summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <param name="topicName">The platform event topic.</param>
    /// <param name="events">The events; the stream ends after the last one is answered.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>Salesforce's answers.</returns>
    /// <exception cref="ArgumentException">An event does not fit the topic's schema; the stream stops there.</exception>
    /// <exception cref="PubSubException">Salesforce refused the stream or it broke.</exception>
    public virtual IAsyncEnumerable<PublishResult> PublishStreamAsync<T>(string topicName, IAsyncEnumerable<T> events, CancellationToken cancellationToken = default)
    {
        CheckTopic(topicName);
        ArgumentNullException.ThrowIfNull(events);
        return PublishStreamCoreAsync(topicName, events, cancellationToken);
    }

    private async IAsyncEnumerable<PublishResult> PublishStreamCoreAsync<T>(string topicName, IAsyncEnumerable<T> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var span = _connection.Telemetry.Start("publish", "send", topicName, "PublishStream", makeCurrent: false);
        using var ending = new SpanEnd(span);
        var (schema, token) = await PublishSchemaAsync(topicName, cancellationToken).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = _connection.Stub.PublishStream(new CallOptions(PubSubConnection.Headers(_login, token), cancellationToken: linked.Token));
        var sent = new System.Collections.Concurrent.ConcurrentDictionary<string, PublishRequest>(StringComparer.Ordinal);
        var pump = Task.Run(async () =>
        {
            await foreach (var item in events.WithCancellation(linked.Token).ConfigureAwait(false))
            {
                var request = new PublishRequest { TopicName = topicName };
                request.Events.Add(Encode(schema, item, token));
                sent[request.Events[0].Id] = request;
                await call.RequestStream.WriteAsync(request, linked.Token).ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }, linked.Token);

        try
        {
            while (true)
            {
                var (response, error) = await ReadAsync(call, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    // The writer's own failure (bad event) explains a broken stream better than the stream's status.
                    if (pump.IsFaulted && pump.Exception!.InnerException is ArgumentException argument)
                    {
                        span.Fail(argument);
                        throw argument;
                    }

                    var mapped = PubSubErrors.Map(error, $"PubSub.PublishStream({topicName})", _login);
                    span.Fail(mapped);
                    throw mapped;
                }

                if (response is null)
                {
                    break;
                }

                foreach (var result in response.Results)
                {
                    sent.TryRemove(result.CorrelationKey, out _);
                    var answer = ToResult(result, result.CorrelationKey);
                    _connection.Telemetry.Published(topicName, "publish", answer);
                    yield return answer;
                }
            }

            await pump.ConfigureAwait(false);
        }
        finally
        {
            await linked.CancelAsync().ConfigureAwait(false);
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException)
            {
                // The stream is over; the reader reported why.
            }
        }
    }

    /// <summary>The topic's current schema, and the token to publish with (it names the user for <c>CreatedById</c>).</summary>
    private async Task<(EventSchema Schema, SalesforceToken Token)> PublishSchemaAsync(string topicName, CancellationToken cancellationToken)
    {
        var topic = await GetTopicCoreAsync(topicName, cancellationToken).ConfigureAwait(false);
        if (!topic.CanPublish)
        {
            throw new PubSubException($"The user '{_login}' may not publish to {topicName}.", "CANNOT_PUBLISH", isTransient: false);
        }

        var schema = await _connection.GetSchemaAsync(_login, topic.SchemaId, cancellationToken).ConfigureAwait(false);
        var token = await _connection.GetTokenAsync(_login, cancellationToken).ConfigureAwait(false);
        return (schema, token);
    }

    private ProducerEvent Encode<T>(EventSchema schema, T item, SalesforceToken token)
    {
        ArgumentNullException.ThrowIfNull(item);
        JsonElement json;
        if (item is AvroRecord record)
        {
            using var document = JsonDocument.Parse(record.ToJson());
            json = document.RootElement.Clone();
        }
        else
        {
            // The read metadata, not the save metadata: a save body leaves out system fields such as CreatedDate, which every
            // platform event carries; nulls are harmless (a null is what a missing optional field is written as anyway).
            json = JsonSerializer.SerializeToElement(item, _connection.Serializer.ReadInfo<T>());
        }

        var now = _connection.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var userId = SalesforceUserId(token);
        var payload = AvroEncoder.EncodeRecord(schema.Parsed, json, field => field.Name switch
        {
            "CreatedDate" => JsonDocument.Parse(now.ToString(System.Globalization.CultureInfo.InvariantCulture)).RootElement,
            "CreatedById" when userId is not null => JsonDocument.Parse(JsonSerializer.Serialize(userId, Json.StreamingJsonContext.Default.String)).RootElement,
            _ => null,
        });
        return new ProducerEvent { Id = Guid.NewGuid().ToString(), SchemaId = schema.Id, Payload = UnsafeByteOperations.UnsafeWrap(payload) };
    }

    /// <summary>The Salesforce user id (<c>005…</c>): the segment after the org id in the token's identity URL (<c>/id/{orgId}/{userId}</c>).</summary>
    private static string? SalesforceUserId(SalesforceToken token)
    {
        var segments = token.IdentityUrl?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var id = Array.IndexOf(segments, "id");
        return id >= 0 && id + 2 < segments.Length ? segments[id + 2] : null;
    }

    private static List<PublishResult> Results(PublishResponse response, PublishRequest request)
    {
        var byKey = response.Results.ToDictionary(r => r.CorrelationKey, StringComparer.Ordinal);
        var results = new List<PublishResult>(request.Events.Count);
        for (var i = 0; i < request.Events.Count; i++)
        {
            var id = request.Events[i].Id;
            var result = byKey.TryGetValue(id, out var keyed) ? keyed : i < response.Results.Count ? response.Results[i] : null;
            results.Add(result is null
                ? new PublishResult(id, default, "UNKNOWN", "Salesforce returned no result for the event.")
                : ToResult(result, id));
        }

        return results;
    }

    private static PublishResult ToResult(Atom.Salesforce.PubSub.Protocol.PublishResult result, string correlationKey) =>
        result.Error is { } error && (error.Code != Atom.Salesforce.PubSub.Protocol.ErrorCode.Unknown || !string.IsNullOrEmpty(error.Msg))
            ? new PublishResult(correlationKey, default, error.Code.ToString().ToUpperInvariant(), error.Msg)
            : new PublishResult(correlationKey, ReplayId.Wrap(result.ReplayId.ToByteArray()), null, null);

    private static void CheckTopic(string topicName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topicName);
        if (!topicName.StartsWith('/'))
        {
            throw new ArgumentException($"A Pub/Sub topic name starts with '/', for example /event/Order_Event__e or /data/AccountChangeEvent; got '{topicName}'.", nameof(topicName));
        }
    }
}
