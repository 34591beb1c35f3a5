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
internal sealed partial class PubSubService(PubSubEnvironment environment) : Proto.PubSub.PubSubBase
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

    public override async Task Subscribe(IAsyncStreamReader<Proto.FetchRequest> requestStream, IServerStreamWriter<Proto.FetchResponse> responseStream, ServerCallContext context)
    {
        const string Rpc = "Subscribe";
        var rpcId = Authenticate(context, Rpc);
        var cancel = context.CancellationToken;
        if (!await requestStream.MoveNext(cancel).ConfigureAwait(false))
        {
            return;
        }

        var first = requestStream.Current;
        var topic = PubSub.Catalog.Topic(first.TopicName) ?? throw TopicNotFound(first.TopicName, rpcId, Rpc);
        long cursor;
        switch (first.ReplayPreset)
        {
            case Proto.ReplayPreset.Earliest:
                cursor = PubSub.Bus.EarliestPosition();
                break;
            case Proto.ReplayPreset.Custom:
                cursor = ValidReplayId(first.ReplayId) ?? throw Error(
                    StatusCode.InvalidArgument,
                    "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted",
                    "The Replay ID validation failed. Ensure that the replay_id field value in FetchRequest is valid and refers to an event that is within the retention window.",
                    rpcId,
                    Rpc);
                break;
            default:
                cursor = PubSub.Bus.LatestReplayId;
                break;
        }

        var stream = new FlowControl(first.NumRequested);

        // Later FetchRequests add to what the client may receive; the stream ends when the client half-closes or leaves.
        _ = ReadRequestsAsync(requestStream, stream, request =>
        {
            if (!string.IsNullOrEmpty(request.TopicName) && !string.Equals(request.TopicName, first.TopicName, StringComparison.OrdinalIgnoreCase))
            {
                stream.Refuse(Error(StatusCode.InvalidArgument, "sfdc.platform.eventbus.grpc.subscription.fetch.topic.mismatch", $"The topic name {request.TopicName} doesn't match the topic of the subscription, {first.TopicName}.", rpcId, Rpc));
                return Task.CompletedTask;
            }

            stream.Add(request.NumRequested);
            return Task.CompletedTask;
        }, cancel);

        await StreamAsync(
            topic.Name,
            cursor,
            stream,
            context,
            rpcId,
            Rpc,
            (events, reached, pending) =>
            {
                var response = new Proto.FetchResponse { RpcId = rpcId, LatestReplayId = ByteString.CopyFrom(EventBus.Encode(reached)), PendingNumRequested = pending };
                response.Events.AddRange(events);
                return responseStream.WriteAsync(response, cancel);
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a stream's later requests until the client half-closes or leaves, handing each to <paramref name="handle"/>;
    /// the writer stops on the call's cancellation, so this ends by itself and catches its own errors.
    /// </summary>
    private static Task ReadRequestsAsync<TRequest>(IAsyncStreamReader<TRequest> requestStream, FlowControl stream, Func<TRequest, Task> handle, CancellationToken cancel) =>
        Task.Run(
            async () =>
            {
                try
                {
                    while (await requestStream.MoveNext(cancel).ConfigureAwait(false))
                    {
                        await handle(requestStream.Current).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or RpcException)
                {
                    // The client went away: the writer stops on the same cancellation.
                }
            },
            CancellationToken.None);

    /// <summary>
    /// Sends <paramref name="topic"/>'s events after <paramref name="cursor"/> as the client's flow-control credit allows, and
    /// a keepalive (no events, the position reached) after <see cref="PubSubEnvironment.KeepAlive"/> without any, until the
    /// call ends or <paramref name="stream"/> is refused. <paramref name="write"/> writes one response: the events, the
    /// replay id reached, and what the client may still receive.
    /// </summary>
    private async Task StreamAsync(
        string topic, long cursor, FlowControl stream, ServerCallContext context, string rpcId, string rpc,
        Func<IReadOnlyList<Proto.ConsumerEvent>, long, int, Task> write)
    {
        var cancel = context.CancellationToken;
        var keepAlive = environment.KeepAlive;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                // Asked for before reading, so that an event published meanwhile still wakes the loop.
                var published = PubSub.Bus.NextPublished;
                var (allowed, more) = stream.Credit();
                if (stream.Refused is { } refused)
                {
                    throw refused;
                }

                if (allowed > 0)
                {
                    var (events, reached) = PubSub.Bus.Read(topic, cursor, allowed);
                    if (events.Count > 0)
                    {
                        var fault = environment.TakeStreamFault();
                        switch (fault?.Kind)
                        {
                            case StreamFaultKind.Drop:
                                context.GetHttpContext().Abort();
                                return;
                            case StreamFaultKind.Unavailable:
                                throw Error(StatusCode.Internal, "sfdc.platform.eventbus.grpc.service.unavailable", "The service is unavailable. Try again later.", rpcId, rpc);
                            case StreamFaultKind.Delay:
                                await Task.Delay(fault.Delay, cancel).ConfigureAwait(false);
                                break;
                        }

                        await write(ConsumerEvents(events, gap: fault?.Kind == StreamFaultKind.Gap), reached, stream.Take(events.Count)).ConfigureAwait(false);
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
                    cursor = Math.Max(cursor, PubSub.Bus.Read(topic, cursor, 0).ReachedReplayId);
                    await write([], cursor, stream.Take(0)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client closed the stream.
        }
    }

    /// <summary>The events as sent; with <paramref name="gap"/>, the first change event as a gap event (header only, GAP_ change type, no field values).</summary>
    private static List<Proto.ConsumerEvent> ConsumerEvents(IReadOnlyList<BusEvent> events, bool gap)
    {
        var sent = new List<Proto.ConsumerEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var payload = e.Payload;
            if (i == 0 && gap && e.Header is { } header)
            {
                payload = e.Schema.Encode(header with { ChangeType = "GAP_" + header.ChangeType, ChangedFields = [], NulledFields = [] }, new Dictionary<string, object?>());
            }

            sent.Add(new Proto.ConsumerEvent
            {
                ReplayId = ByteString.CopyFrom(EventBus.Encode(e.ReplayId)),
                Event = new Proto.ProducerEvent { Id = e.Id, SchemaId = e.Schema.SchemaId, Payload = ByteString.CopyFrom(payload) },
            });
        }

        return sent;
    }

    /// <summary>A replay id the bus gave out and still keeps (within the retention window), or null.</summary>
    private long? ValidReplayId(ByteString bytes) =>
        EventBus.Decode(bytes.Span) is { } id && id <= PubSub.Bus.LatestReplayId && id >= PubSub.Bus.EarliestPosition() ? id : null;

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
