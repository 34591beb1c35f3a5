using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Telemetry;
using Atom.Salesforce.Client.Resilience;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// Everything one user's sub-clients share: the REST resources over the user's HTTP pipeline, the serializer, telemetry, and the
/// single place where a transport failure or an error response becomes a <see cref="SalesforceException"/>.
/// </summary>
internal sealed class SalesforceConnection : ICallUsage
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };
    private readonly ILogger _logger;
    private readonly RestChannel _channel;
    private ApiUsageBox? _apiUsage;

    public SalesforceConnection(
        string userId,
        SalesforceOptions options,
        SalesforceSerializer serializer,
        SalesforceTelemetry telemetry,
        ApiPipeline pipeline,
        ILogger logger,
        ISalesforceUsageRecorder? usageRecorder = null,
        TimeProvider? timeProvider = null,
        string? username = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
        UserId = userId;
        Username = username;
        UsageRecorder = usageRecorder ?? NullSalesforceUsageRecorder.Instance;
        Options = options;
        Serializer = serializer;
        Telemetry = telemetry;
        _logger = logger;

        var userAgent = SdkInfo.UserAgent(options.ApplicationId);
        var handler = new UserScopedHandler(pipeline, this, userAgent);
        var http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = SalesforceHttp.PlaceholderBaseAddress,
            // The resilience pipeline owns timeouts: per attempt and in total.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        // Parsed (so checked) here; the SDK's own requests carry the same value as it is.
        http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Http = http;
        var channel = RestChannel.ForConnection(handler);
        _channel = channel;
        SObjects = new SObjectsApi(channel);
        Query = new QueryApi(channel);
        Limits = new LimitsApi(channel);
        Composite = new CompositeApi(channel);
        Bulk = new BulkApi(channel);
    }

    /// <summary>The clock for polling and backoff.</summary>
    public TimeProvider TimeProvider { get; }

    public CompositeApi Composite { get; }

    public BulkApi Bulk { get; }

    public ILogger Logger => _logger;

    /// <summary>The user's HTTP pipeline (the one the REST resources use), for requests the SDK builds itself.</summary>
    public HttpClient Http { get; }

    public string UserId { get; }

    /// <summary>The Salesforce username of the user's login this connection uses, or null for the user's only login.</summary>
    public string? Username { get; }

    public SalesforceOptions Options { get; }

    public string Version => Options.VersionSegment;

    public SalesforceSerializer Serializer { get; }

    public SalesforceTelemetry Telemetry { get; }

    /// <summary>Counts each API call of the user (in memory; the recorder writes in batches).</summary>
    public ISalesforceUsageRecorder UsageRecorder { get; }

    public SObjectsApi SObjects { get; }

    public QueryApi Query { get; }

    public LimitsApi Limits { get; }

    public ApiUsage? ApiUsage => _apiUsage?.Value;

    /// <summary>The client's view of the registered cache; null when caching is not registered.</summary>
    public Caching.ConnectionCache? Cache { get; set; }

    /// <summary>
    /// <see cref="RunAsync{T}(string, Func{CancellationToken, Task{T}}, CancellationToken)"/> for a write: afterwards, whether it succeeded or not (a failed call may have written part),
    /// the cached queries of <paramref name="sObjectType"/> (every cached query of the org when null) are dropped.
    /// </summary>
    public Task<T> RunWriteAsync<T>(string operation, string? sObjectType, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken) =>
        Cache is { } cache ? RunWriteCachedAsync(cache, operation, sObjectType, body, cancellationToken) : RunAsync(operation, body, cancellationToken);

    private async Task<T> RunWriteCachedAsync<T>(
        Caching.ConnectionCache cache, string operation, string? sObjectType, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(operation, body, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await cache.InvalidateAsync(sObjectType).ConfigureAwait(false);
        }
    }

    public void RecordApiUsage(string host, ApiUsage usage)
    {
        _apiUsage = new ApiUsageBox(usage);
        Telemetry.RecordApiUsage(host, usage);
    }

    /// <summary>
    /// Counts one answered call (whatever its retries and token refreshes) with the usage recorder, and keeps the org's
    /// <c>Sforce-Limit-Info</c> when Salesforce sent it. <paramref name="sent"/> is the request body's length.
    /// </summary>
    public void RecordAnswered(long sent, HttpResponseMessage response)
    {
        UsageRecorder.Record(UserId, sent + (response.Content.Headers.ContentLength ?? 0), failed: !response.IsSuccessStatusCode);
        if (SforceLimitInfo.TryRead(response, out var usage))
        {
            RecordApiUsage(response.RequestMessage?.RequestUri?.Host ?? string.Empty, usage);
        }
    }

    /// <summary>
    /// Counts one call that failed without an answer, unless nothing was sent: a request refused before it left (an
    /// <see cref="ArgumentException"/> for a URL off the user's instance, an open circuit breaker, the API governance's
    /// refusals) or the caller's cancellation. Always false, for use in an exception filter (the exception goes on untouched).
    /// </summary>
    public bool RecordFailed(long sent, Exception exception, CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested && exception is not ArgumentException
            && !(exception is SalesforceException
            {
                ErrorCode: SalesforceError.Codes.CircuitOpen or SalesforceError.Codes.ApiBudgetExhausted
                    or SalesforceError.Codes.QueueTimeout or SalesforceError.Codes.ApiBudgetUnavailable,
            }))
        {
            UsageRecorder.Record(UserId, sent, failed: true);
        }

        return false;
    }

    /// <summary>A JSON body, serialized up front so that a 401 replay or a retry can send it again.</summary>
    public HttpContent JsonBody<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, Serializer.WriteInfo<T>()));
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    /// <summary>A body the SDK wrote itself (already UTF-8 JSON), with the JSON content type.</summary>
    public static HttpContent RawJsonBody(ReadOnlyMemory<byte> utf8Json)
    {
        var content = new ReadOnlyMemoryContent(utf8Json);
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    /// <summary>
    /// Runs one public operation: a span and a duration measurement around it, and every failure mapped to a
    /// <see cref="SalesforceException"/>. Caller cancellation stays an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        var scope = Telemetry.StartOperation(operation);
        try
        {
            return await body(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, cancellationToken) is { } translated)
        {
            scope.Fail(translated);
            throw translated;
        }
        catch (Exception e)
        {
            scope.Fail(e);
            throw;
        }
        finally
        {
            scope.Dispose();
        }
    }

    /// <summary>
    /// Runs one public operation that is one request (a create, a read, an update, a delete of a record, a describe): the
    /// span and duration measurement, sending <paramref name="request"/> (built by a REST resource) into the user's pipeline,
    /// checking the status, reading the whole body into a pooled buffer and handing it to <paramref name="reader"/>, every
    /// failure mapped as <see cref="RunAsync{T}(string, Func{CancellationToken, Task{T}}, CancellationToken)"/> maps it, and for a
    /// <paramref name="write"/>, afterwards whether it succeeded or not (a failed call may have written), the cached queries of
    /// <paramref name="sObjectType"/> (of the whole org when null) dropped. One asynchronous method, no closure (issue 22).
    /// </summary>
    public async Task<T> RunAsync<T>(
        string operation, HttpRequestMessage request, ResponseReader<T> reader, bool write, string? sObjectType, CancellationToken cancellationToken)
    {
        var scope = Telemetry.StartOperation(operation);
        try
        {
            var response = await _channel.SendAsync(request, cancellationToken).ConfigureAwait(false);
            using (response)
            {
                if (reader.TryAnswer(response, out var answered))
                {
                    return answered;
                }

                if (!response.IsSuccessStatusCode)
                {
                    await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
                }

                if (!reader.ReadsBody)
                {
                    return reader.Read(response, default);
                }

                var body = ResponseBody.Rent(response);
                try
                {
                    using var stream = response.Content.ReadAsStream(cancellationToken);
                    int read;
                    while ((read = await stream.ReadAsync(body.Free(), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        body.Advance(read);
                    }

                    return reader.Read(response, body.Span);
                }
                finally
                {
                    body.Return();
                }
            }
        }
        catch (Exception e) when (Failed(ref scope, e, cancellationToken) is { } translated)
        {
            throw translated;
        }
        finally
        {
            scope.Dispose();
            if (write && Cache is { } cache)
            {
                await cache.InvalidateAsync(sObjectType).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the whole body of <paramref name="response"/> (a success) and hands it to <paramref name="read"/>.</summary>
    public async Task<TResult> ReadBodyAsync<TState, TResult>(
        HttpResponseMessage response, TState state, ReadBody<TState, TResult> read, CancellationToken cancellationToken)
    {
        using (response)
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            var body = ResponseBody.Rent(response);
            try
            {
                using var stream = response.Content.ReadAsStream(cancellationToken);
                int count;
                while ((count = await stream.ReadAsync(body.Free(), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    body.Advance(count);
                }

                return read(body.Span, state);
            }
            finally
            {
                body.Return();
            }
        }
    }

    /// <summary>What <see cref="ReadBodyAsync{TState, TResult}"/> makes of a whole body.</summary>
    public delegate TResult ReadBody<in TState, out TResult>(ReadOnlySpan<byte> body, TState state);

    /// <summary>
    /// For an exception filter in an operation written as one method (what <see cref="RunAsync{T}(string, Func{CancellationToken, Task{T}}, CancellationToken)"/> does in its catch
    /// clauses): marks <paramref name="scope"/> failed and returns the <see cref="SalesforceException"/> to throw instead of
    /// <paramref name="e"/>, or null to let <paramref name="e"/> go on untouched.
    /// </summary>
    public static SalesforceException? Failed(ref SalesforceTelemetry.Operation scope, Exception e, CancellationToken cancellationToken)
    {
        var translated = Translate(e, cancellationToken);
        scope.Fail(translated ?? e);
        return translated;
    }

    /// <summary>Throws the mapped exception unless the response is a success.</summary>
    public async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var exception = await ErrorResponseMapper.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        Log.ApiError(_logger, response.RequestMessage?.Method.Method ?? "?", response.RequestMessage?.RequestUri?.AbsolutePath ?? "?",
            (int)response.StatusCode, exception.ErrorCode);
        response.Dispose();
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new SalesforceAuthenticationException(
                UserId, exception.ErrorCode, $"Salesforce still refused the session of user '{UserId}' after a refresh: {exception.Message}", exception);
        }

        throw exception;
    }

    /// <summary>Checks the status, then streams the body into <typeparamref name="T"/>.</summary>
    public async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> info, CancellationToken cancellationToken)
    {
        using (response)
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var value = await JsonSerializer.DeserializeAsync(stream, info, cancellationToken).ConfigureAwait(false);
                return value ?? throw new SalesforceException($"Salesforce returned an empty {typeof(T).Name} body.");
            }
        }
    }

    /// <summary>
    /// The exception <see cref="RunAsync{T}(string, Func{CancellationToken, Task{T}}, CancellationToken)"/> would throw for <paramref name="e"/>: a transport, timeout or body failure mapped
    /// to a <see cref="SalesforceException"/>; anything else as it is.
    /// </summary>
    public static Exception Map(Exception e, CancellationToken cancellationToken) => Translate(e, cancellationToken) ?? e;

    private static SalesforceException? Translate(Exception e, CancellationToken cancellationToken) => e switch
    {
        SalesforceException => null,
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        ResilienceTimeoutException timeout => new SalesforceException(
            $"The Salesforce call timed out ({timeout.Timeout.TotalSeconds:0.###} s); see SalesforceOptions.Resilience.", e, isTransient: true)
        {
            ErrorCode = SalesforceError.Codes.ConnectionFailed,
        },
        OperationCanceledException => new SalesforceException("The Salesforce call timed out.", e, isTransient: true)
        {
            ErrorCode = SalesforceError.Codes.ConnectionFailed,
        },
        HttpRequestException http => new SalesforceException($"Could not reach Salesforce: {http.Message}", e, isTransient: true)
        {
            ErrorCode = SalesforceError.Codes.ConnectionFailed,
        },
        IOException io => new SalesforceException($"The connection to Salesforce failed: {io.Message}", e, isTransient: true)
        {
            ErrorCode = SalesforceError.Codes.ConnectionFailed,
        },
        JsonException json => new SalesforceException($"Salesforce returned a body the SDK could not read: {json.Message}", e),
        _ => null,
    };

    private sealed record ApiUsageBox(ApiUsage Value);
}
