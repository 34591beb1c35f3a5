using System.Collections.Concurrent;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.PubSub.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Service = Atom.Salesforce.PubSub.Protocol.PubSub;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// What every user's <see cref="PubSubClient"/> of one connected app shares: the gRPC channel (one HTTP/2 connection pool),
/// the app's token refresher (the REST client's: one token path), the schema cache, the JSON metadata and the clock. Each
/// call carries the user's session as Salesforce requires: <c>accesstoken</c>, <c>instanceurl</c> and <c>tenantid</c> (the
/// org id, from the token's identity URL). A refused session is renewed once, through the same single-flight refresh as a
/// REST 401, and the call is made again.
/// </summary>
internal sealed class PubSubConnection : IDisposable
{
    private readonly ConcurrentDictionary<string, Task<EventSchema>> _schemas = new(StringComparer.Ordinal);
    private readonly GrpcChannel _channel;

    public PubSubConnection(SalesforceApp app, PubSubOptions options, SalesforceSerializer serializer, TimeProvider time, ILogger logger, PubSubTelemetry telemetry)
    {
        App = app;
        Telemetry = telemetry;
        Options = options;
        Serializer = serializer;
        Time = time;
        Logger = logger;
        _channel = GrpcChannel.ForAddress(options.Endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
            DisposeHttpClient = true,

            // A batch holds up to 100 events of up to 1 MB each.
            MaxReceiveMessageSize = 128 * 1024 * 1024,
            MaxSendMessageSize = 128 * 1024 * 1024,
        });
        Stub = new Service.PubSubClient(_channel);
    }

    public SalesforceApp App { get; }

    public PubSubOptions Options { get; }

    public SalesforceSerializer Serializer { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public PubSubTelemetry Telemetry { get; }

    public Service.PubSubClient Stub { get; }

    public Task<SalesforceToken> GetTokenAsync(SalesforceLogin login, CancellationToken cancellationToken) =>
        App.Tokens.GetTokenAsync(login, cancellationToken);

    public Task<SalesforceToken> RefreshAsync(SalesforceLogin login, SalesforceToken refused, CancellationToken cancellationToken)
    {
        Log.SessionRefused(Logger, login.UserId);
        return App.Tokens.RefreshAsync(login.UserId, refused, cancellationToken);
    }

    /// <summary>The session headers Salesforce reads on every Pub/Sub API call.</summary>
    public static Metadata Headers(SalesforceLogin login, SalesforceToken token) => new()
    {
        { "accesstoken", token.AccessToken },
        { "instanceurl", token.InstanceUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') },
        { "tenantid", OrgId(login, token) },
    };

    /// <summary>The org id: the first segment after <c>/id/</c> of the token's identity URL.</summary>
    internal static string OrgId(SalesforceLogin login, SalesforceToken token)
    {
        var segments = token.IdentityUrl?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var id = Array.IndexOf(segments, "id");
        if (id >= 0 && id + 1 < segments.Length)
        {
            return segments[id + 1];
        }

        throw new SalesforceAuthenticationException(
            login.UserId, SalesforceAuthenticationException.Codes.NoToken,
            $"The stored Salesforce token of user '{login}' has no identity URL (https://login.salesforce.com/id/{{orgId}}/{{userId}}), so the org id the Pub/Sub API requires is unknown; connect the user again.");
    }

    /// <summary>A unary call with the user's session; a refused session is renewed once; read-only calls ride out transient failures.</summary>
    public async Task<T> UnaryAsync<T>(
        SalesforceLogin login,
        string operation,
        Func<Service.PubSubClient, CallOptions, AsyncUnaryCall<T>> call,
        bool retryTransient,
        CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync(login, cancellationToken).ConfigureAwait(false);
        var refreshed = false;
        var attempt = 0;
        while (true)
        {
            try
            {
                using var pending = call(Stub, new CallOptions(Headers(login, token), cancellationToken: cancellationToken));
                return await pending.ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                var failure = PubSubErrors.Classify(e);
                if (failure == PubSubFailure.Authentication && !refreshed)
                {
                    token = await RefreshAsync(login, token, cancellationToken).ConfigureAwait(false);
                    refreshed = true;
                    continue;
                }

                if (failure == PubSubFailure.Transient && retryTransient && attempt < Options.MaxReconnectAttempts)
                {
                    await DelayAsync(++attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw PubSubErrors.Map(e, operation, login);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    public Task<EventSchema> GetSchemaAsync(SalesforceLogin login, string schemaId, CancellationToken cancellationToken)
    {
        var task = _schemas.GetOrAdd(schemaId, id => FetchSchemaAsync(login, id));
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed fetch is not cached: the next caller asks again.
            _schemas.TryRemove(new KeyValuePair<string, Task<EventSchema>>(schemaId, task));
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<EventSchema> FetchSchemaAsync(SalesforceLogin login, string schemaId)
    {
        using var span = Telemetry.Start("get_schema", operationType: null, topic: null, "GetSchema");
        try
        {
            var info = await UnaryAsync(login, "PubSub.GetSchema", (stub, options) => stub.GetSchemaAsync(new SchemaRequest { SchemaId = schemaId }, options),
                retryTransient: true, CancellationToken.None).ConfigureAwait(false);
            return new EventSchema(schemaId, info.SchemaJson);
        }
        catch (Exception e)
        {
            span.Fail(e);
            _schemas.TryRemove(schemaId, out _);
            throw;
        }
    }

    /// <summary>Waits before reconnection attempt <paramref name="attempt"/> (from 1): the delay doubles up to the maximum, with ±20% jitter.</summary>
    public Task DelayAsync(int attempt, CancellationToken cancellationToken)
    {
        var initial = Options.ReconnectDelay.TotalMilliseconds;
        var delay = Math.Min(Options.MaxReconnectDelay.TotalMilliseconds, initial * Math.Pow(2, Math.Min(attempt - 1, 30)));
        var jittered = delay * (0.8 + (Random.Shared.NextDouble() * 0.4));
        Log.Reconnecting(Logger, attempt, (long)jittered);
        return jittered <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(jittered), Time, cancellationToken);
    }

    public void Dispose() => _channel.Dispose();
}

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "The Pub/Sub API refused the session of user '{UserId}'; renewing the token")]
    public static partial void SessionRefused(ILogger logger, string userId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Pub/Sub API reconnection attempt {Attempt} in {DelayMs} ms")]
    public static partial void Reconnecting(ILogger logger, int attempt, long delayMs);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "The subscription to {Topic} failed ({ErrorCode}); resubscribing after the last replay id")]
    public static partial void SubscriptionBroken(ILogger logger, string topic, string errorCode, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Salesforce refused a commit of the managed subscription {Subscription}: {Reason}")]
    public static partial void CommitRefused(ILogger logger, string subscription, string reason);
}
