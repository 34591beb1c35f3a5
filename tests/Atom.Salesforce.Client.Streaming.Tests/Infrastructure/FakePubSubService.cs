using System.Buffers.Binary;
using System.Collections.Concurrent;
using Atom.Salesforce.PubSub.Protocol;
using Google.Protobuf;
using Grpc.Core;
using WirePublishResult = Atom.Salesforce.PubSub.Protocol.PublishResult;

namespace Atom.Salesforce.Client.Streaming.Tests.Infrastructure;

/// <summary>
/// An in-test Pub/Sub API server that behaves as Salesforce documents: the session in the <c>accesstoken</c>,
/// <c>instanceurl</c> and <c>tenantid</c> headers (a refused one fails with UNAUTHENTICATED and Salesforce's
/// <c>error-code</c> trailer), flow control by <c>num_requested</c> credit (never an event without credit), replay from
/// LATEST, EARLIEST or after a replay id, keepalives (an empty batch with the latest replay id), and injected stream
/// failures. It records every request so that tests can check what the client sent.
/// </summary>
internal sealed class FakePubSubService : Atom.Salesforce.PubSub.Protocol.PubSub.PubSubBase
{
    public const string AuthErrorCode = "sfdc.platform.eventbus.grpc.service.auth.error";
    public const string ReplayIdCorruptedCode = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";

    private readonly ConcurrentDictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _schemas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _schemaCalls = new(StringComparer.Ordinal);

    /// <summary>Access tokens the server refuses (an expired session).</summary>
    public ConcurrentDictionary<string, bool> ExpiredTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Every Subscribe call, in order.</summary>
    public ConcurrentQueue<SubscribeCall> SubscribeCalls { get; } = new();

    /// <summary>Every publish request (Publish and PublishStream), with the headers it came with.</summary>
    public ConcurrentQueue<(PublishRequest Request, Metadata Headers)> PublishRequests { get; } = new();

    /// <summary>The headers of every call.</summary>
    public ConcurrentQueue<Metadata> Headers { get; } = new();

    /// <summary>A failure the next stream (or the current one) raises after delivering this many events in all on that stream.</summary>
    public StreamFault? NextFault { get; set; }

    /// <summary>Decides each published event's fate: null publishes it, a message fails it with PUBLISH.</summary>
    public Func<ProducerEvent, string?> PublishCheck { get; set; } = _ => null;

    public int SchemaCalls(string schemaId) => _schemaCalls.GetValueOrDefault(schemaId);

    public void AddSchema(string schemaId, string json) => _schemas[schemaId] = json;

    public void AddTopic(string topicName, string schemaId, bool canPublish = true) =>
        _topics[topicName] = new TopicState(topicName, schemaId, canPublish);

    /// <summary>Stores an event on the topic and returns its replay id (opaque bytes: the position, big-endian, behind a marker).</summary>
    public byte[] Append(string topicName, string schemaId, byte[] payload, string? eventId = null)
    {
        var topic = _topics[topicName];
        lock (topic)
        {
            var replayId = ReplayIdFor(topic.Events.Count);
            topic.Events.Add(new ConsumerEvent
            {
                ReplayId = ByteString.CopyFrom(replayId),
                Event = new ProducerEvent { Id = eventId ?? Guid.NewGuid().ToString(), SchemaId = schemaId, Payload = ByteString.CopyFrom(payload) },
            });
            return replayId;
        }
    }

    /// <summary>Sends a keepalive on every open stream at its next turn.</summary>
    public void RequestKeepalive()
    {
        foreach (var call in SubscribeCalls)
        {
            call.KeepaliveRequested = true;
        }
    }

    public static byte[] ReplayIdFor(int index)
    {
        var bytes = new byte[10];
        bytes[0] = 0xAB;
        bytes[1] = 0xCD;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(2), index + 1);
        return bytes;
    }

    private static int? IndexOf(ByteString replayId)
    {
        var bytes = replayId.Span;
        return bytes.Length == 10 && bytes[0] == 0xAB && bytes[1] == 0xCD ? (int)BinaryPrimitives.ReadInt64BigEndian(bytes[2..]) - 1 : null;
    }

    private void Authenticate(ServerCallContext context)
    {
        Headers.Enqueue(context.RequestHeaders);
        var token = context.RequestHeaders.GetValue("accesstoken");
        if (string.IsNullOrEmpty(token) || ExpiredTokens.ContainsKey(token)
            || string.IsNullOrEmpty(context.RequestHeaders.GetValue("instanceurl")) || string.IsNullOrEmpty(context.RequestHeaders.GetValue("tenantid")))
        {
            throw AuthError();
        }
    }

    private static RpcException AuthError() => Fail(StatusCode.Unauthenticated, "An authentication exception occurred. Provide valid authentication credentials in the metadata headers.", AuthErrorCode);

    public static RpcException Fail(StatusCode status, string message, string? errorCode) =>
        new(new Status(status, message), errorCode is null ? [] : new Metadata { { "error-code", errorCode }, { "rpc-id", Guid.NewGuid().ToString() } });

    public override Task<TopicInfo> GetTopic(TopicRequest request, ServerCallContext context)
    {
        Authenticate(context);
        if (!_topics.TryGetValue(request.TopicName, out var topic))
        {
            throw Fail(StatusCode.NotFound, $"Topic {request.TopicName} not found.", "sfdc.platform.eventbus.grpc.service.topic.not.found");
        }

        return Task.FromResult(new TopicInfo
        {
            TopicName = topic.Name, SchemaId = topic.SchemaId, CanPublish = topic.CanPublish, CanSubscribe = true, TenantGuid = context.RequestHeaders.GetValue("tenantid"),
            RpcId = Guid.NewGuid().ToString(),
        });
    }

    public override Task<SchemaInfo> GetSchema(SchemaRequest request, ServerCallContext context)
    {
        Authenticate(context);
        _schemaCalls.AddOrUpdate(request.SchemaId, 1, (_, n) => n + 1);
        return _schemas.TryGetValue(request.SchemaId, out var json)
            ? Task.FromResult(new SchemaInfo { SchemaId = request.SchemaId, SchemaJson = json, RpcId = Guid.NewGuid().ToString() })
            : throw Fail(StatusCode.NotFound, "No such schema.", "sfdc.platform.eventbus.grpc.schema.not.found");
    }

    public override async Task Subscribe(IAsyncStreamReader<FetchRequest> requestStream, IServerStreamWriter<FetchResponse> responseStream, ServerCallContext context)
    {
        var call = new SubscribeCall(context.RequestHeaders.GetValue("accesstoken") ?? string.Empty);
        SubscribeCalls.Enqueue(call);
        Authenticate(context);
        var cancel = context.CancellationToken;
        if (!await requestStream.MoveNext(cancel))
        {
            return;
        }

        var first = requestStream.Current;
        call.Requests.Enqueue(first);
        if (!_topics.TryGetValue(first.TopicName, out var topic))
        {
            throw Fail(StatusCode.NotFound, $"Topic {first.TopicName} not found.", "sfdc.platform.eventbus.grpc.service.topic.not.found");
        }

        int position;
        lock (topic)
        {
            position = first.ReplayPreset switch
            {
                ReplayPreset.Earliest => 0,
                ReplayPreset.Custom => IndexOf(first.ReplayId) is { } index && index < topic.Events.Count
                    ? index + 1
                    : throw Fail(StatusCode.InvalidArgument, "The replay ID is invalid.", ReplayIdCorruptedCode),
                _ => topic.Events.Count,
            };
        }

        call.Credit = first.NumRequested;
        var reader = Task.Run(async () =>
        {
            try
            {
                while (await requestStream.MoveNext(cancel))
                {
                    call.Requests.Enqueue(requestStream.Current);
                    Interlocked.Add(ref call.Credit, requestStream.Current.NumRequested);
                }
            }
            catch (Exception)
            {
                // The call ended.
            }
        }, CancellationToken.None);

        while (!cancel.IsCancellationRequested)
        {
            var fault = NextFault;
            if (ExpiredTokens.ContainsKey(call.AccessToken))
            {
                throw AuthError();
            }

            if (fault is not null && call.Delivered >= fault.AfterEvents)
            {
                if (!fault.Repeat)
                {
                    NextFault = null;
                }

                throw Fail(fault.Status, "Injected failure.", fault.ErrorCode);
            }

            var batch = new FetchResponse { RpcId = Guid.NewGuid().ToString() };
            lock (topic)
            {
                var credit = Volatile.Read(ref call.Credit);
                var limit = fault is null ? int.MaxValue : fault.AfterEvents - call.Delivered;
                var count = Math.Min(Math.Min(credit, topic.Events.Count - position), limit);
                for (var i = 0; i < count; i++)
                {
                    batch.Events.Add(topic.Events[position++]);
                }

                if (count > 0)
                {
                    batch.LatestReplayId = batch.Events[^1].ReplayId;
                }
                else if (call.KeepaliveRequested)
                {
                    call.KeepaliveRequested = false;
                    batch.LatestReplayId = topic.Events.Count == 0 ? ByteString.CopyFrom(ReplayIdFor(-1)) : topic.Events[^1].ReplayId;
                    position = topic.Events.Count;
                }
            }

            if (batch.Events.Count > 0 || !batch.LatestReplayId.IsEmpty)
            {
                Interlocked.Add(ref call.Credit, -batch.Events.Count);
                call.Delivered += batch.Events.Count;
                if (Volatile.Read(ref call.Credit) < 0)
                {
                    call.Overdrawn = true;
                }

                batch.PendingNumRequested = Math.Max(0, Volatile.Read(ref call.Credit));
                await responseStream.WriteAsync(batch, cancel);
                continue;
            }

            await Task.Delay(5, cancel);
        }

        await reader;
    }

    public override Task<PublishResponse> Publish(PublishRequest request, ServerCallContext context)
    {
        Authenticate(context);
        return Task.FromResult(PublishCore(request, context.RequestHeaders));
    }

    public override async Task PublishStream(IAsyncStreamReader<PublishRequest> requestStream, IServerStreamWriter<PublishResponse> responseStream, ServerCallContext context)
    {
        Authenticate(context);
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            await responseStream.WriteAsync(PublishCore(requestStream.Current, context.RequestHeaders), context.CancellationToken);
        }
    }

    private PublishResponse PublishCore(PublishRequest request, Metadata headers)
    {
        PublishRequests.Enqueue((request, headers));
        var topic = _topics.TryGetValue(request.TopicName, out var t) ? t : throw Fail(StatusCode.NotFound, "No such topic.", null);
        var response = new PublishResponse { SchemaId = topic.SchemaId, RpcId = Guid.NewGuid().ToString() };
        foreach (var e in request.Events)
        {
            var problem = PublishCheck(e);
            response.Results.Add(problem is null
                ? new WirePublishResult { CorrelationKey = e.Id, ReplayId = ByteString.CopyFrom(Append(request.TopicName, e.SchemaId, e.Payload.ToByteArray(), e.Id)) }
                : new WirePublishResult { CorrelationKey = e.Id, Error = new Error { Code = ErrorCode.Publish, Msg = problem } });
        }

        return response;
    }

    private sealed class TopicState(string name, string schemaId, bool canPublish)
    {
        public string Name { get; } = name;

        public string SchemaId { get; } = schemaId;

        public bool CanPublish { get; } = canPublish;

        public List<ConsumerEvent> Events { get; } = [];
    }
}

/// <summary>One Subscribe call as the server saw it.</summary>
internal sealed class SubscribeCall(string accessToken)
{
    public string AccessToken { get; } = accessToken;

    public ConcurrentQueue<FetchRequest> Requests { get; } = new();

    public int Credit;

    public int Delivered;

    public bool Overdrawn;

    public volatile bool KeepaliveRequested;

    /// <summary>The credit the client granted on this call so far.</summary>
    public int TotalRequested => Requests.Sum(r => r.NumRequested);
}

/// <summary>A stream failure: after this many events on the stream, fail with the status and Salesforce error code.</summary>
internal sealed record StreamFault(int AfterEvents, StatusCode Status, string? ErrorCode, bool Repeat = false);
