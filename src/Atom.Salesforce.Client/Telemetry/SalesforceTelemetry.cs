using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Telemetry;

/// <summary>
/// The SDK's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <c>Atom.Salesforce</c>. Spans are named
/// <c>Client.Method</c>; metrics follow OpenTelemetry naming. No tag ever holds a token, a user id or a record value.
/// </summary>
internal sealed class SalesforceTelemetry : IDisposable
{
    public const string Name = "Atom.Salesforce";

    public static readonly ActivitySource ActivitySource = new(Name, SdkInfo.Version);

    private readonly Meter _meter;
    private readonly Histogram<double> _operationDuration;
    private readonly Counter<long> _circuitOpened;
    private readonly Counter<long> _circuitRejected;
    private readonly Counter<long> _cacheRequests;
    private readonly Counter<long> _cacheInvalidations;
    private long _cacheHits;
    private long _cacheMisses;
    private readonly ConcurrentDictionary<string, ApiUsage> _apiUsageByInstance = new(StringComparer.OrdinalIgnoreCase);

    public SalesforceTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(new MeterOptions(Name) { Version = SdkInfo.Version });
        _operationDuration = _meter.CreateHistogram<double>(
            "salesforce.client.operation.duration", unit: "s", description: "Duration of SDK operations, retries included.");
        _circuitOpened = _meter.CreateCounter<long>(
            "salesforce.client.circuit_breaker.opened", unit: "{opening}",
            description: "How often the circuit breaker of an org host opened after transient failures.");
        _circuitRejected = _meter.CreateCounter<long>(
            "salesforce.client.circuit_breaker.rejected", unit: "{call}",
            description: "Calls failed at once because the circuit breaker of their org host was open.");
        _cacheRequests = _meter.CreateCounter<long>(
            "salesforce.client.cache.requests", unit: "{request}",
            description: "Reads of the SDK's cache, tagged salesforce.cache.kind and salesforce.cache.result (hit; miss, an API call; or revalidated, a conditional API call that kept or replaced an expired describe).");
        _cacheInvalidations = _meter.CreateCounter<long>(
            "salesforce.client.cache.invalidations", unit: "{invalidation}",
            description: "Cached query results dropped, tagged salesforce.cache.scope (object or org) and salesforce.cache.source (write: a write through the SDK; change_event: a change event the hosted consumer read).");
        _meter.CreateObservableGauge(
            "salesforce.client.cache.hit_ratio", ObserveHitRatio, unit: "1",
            description: "Hits over reads of the SDK's cache since the process started.");
        _meter.CreateObservableGauge(
            "salesforce.client.api_usage", ObserveUsed, unit: "{call}",
            description: "API calls used in the last 24 hours, from the Sforce-Limit-Info header.");
        _meter.CreateObservableGauge(
            "salesforce.client.api_limit", ObserveMax, unit: "{call}",
            description: "The org's 24-hour API call allocation, from the Sforce-Limit-Info header.");
    }

    /// <summary>The SDK's one Meter, for instruments created by other parts of the SDK (the API governance).</summary>
    public Meter Meter => _meter;

    /// <summary>Starts the span and the duration measurement of one public operation.</summary>
    public Operation StartOperation(string name) => new(this, name, ActivitySource.StartActivity(name, ActivityKind.Client));

    public void RecordApiUsage(string instanceHost, ApiUsage usage) => _apiUsageByInstance[instanceHost] = usage;

    /// <summary>Counts a circuit breaker opening, tagged with the org host (<c>server.address</c>) and the connected app's name.</summary>
    public void RecordCircuitOpened(string host, string appName) =>
        _circuitOpened.Add(1, new KeyValuePair<string, object?>("server.address", host), new KeyValuePair<string, object?>("salesforce.app", AppTag(appName)));

    /// <summary>Counts a call refused by an open circuit breaker.</summary>
    public void RecordCircuitRejected(string host, string appName) =>
        _circuitRejected.Add(1, new KeyValuePair<string, object?>("server.address", host), new KeyValuePair<string, object?>("salesforce.app", AppTag(appName)));

    /// <summary>Counts one read of the cache: a hit (no API call) or a miss.</summary>
    public void RecordCacheRequest(string kind, bool hit) => RecordCacheRequest(kind, hit ? "hit" : "miss");

    /// <summary>
    /// Counts one read of the cache: <c>hit</c> (no API call), <c>miss</c> or <c>revalidated</c> (a conditional call); only a
    /// hit counts as one in the hit ratio.
    /// </summary>
    public void RecordCacheRequest(string kind, string result)
    {
        Interlocked.Increment(ref result == "hit" ? ref _cacheHits : ref _cacheMisses);
        _cacheRequests.Add(1, new KeyValuePair<string, object?>("salesforce.cache.kind", kind), new KeyValuePair<string, object?>("salesforce.cache.result", result));
    }

    /// <summary>
    /// Counts one invalidation (<c>object</c>: one sObject type's queries; <c>org</c>: all of them), caused by a write through
    /// the SDK (<c>write</c>) or a change event (<c>change_event</c>).
    /// </summary>
    public void RecordCacheInvalidation(string scope, string source = "write") =>
        _cacheInvalidations.Add(1, new KeyValuePair<string, object?>("salesforce.cache.scope", scope), new KeyValuePair<string, object?>("salesforce.cache.source", source));

    /// <summary>Hits and misses of the cache since the process started (the health check reports them).</summary>
    public (long Hits, long Misses) CacheCounts => (Interlocked.Read(ref _cacheHits), Interlocked.Read(ref _cacheMisses));

    private IEnumerable<Measurement<double>> ObserveHitRatio()
    {
        var (hits, misses) = CacheCounts;
        return hits + misses == 0 ? [] : [new Measurement<double>((double)hits / (hits + misses))];
    }

    /// <summary>The <c>salesforce.app</c> tag: the connected app's registration name, <c>default</c> for the unnamed one.</summary>
    private static string AppTag(string appName) => appName.Length == 0 ? "default" : appName;

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveUsed() =>
        _apiUsageByInstance.Select(p => new Measurement<long>(p.Value.Used, new KeyValuePair<string, object?>("server.address", p.Key)));

    private IEnumerable<Measurement<long>> ObserveMax() =>
        _apiUsageByInstance.Select(p => new Measurement<long>(p.Value.Max, new KeyValuePair<string, object?>("server.address", p.Key)));

    /// <summary>One running operation; dispose it when the operation ends, after <see cref="Fail"/> if it failed.</summary>
    internal struct Operation : IDisposable
    {
        private readonly SalesforceTelemetry _owner;
        private readonly string _name;
        private readonly long _started;
        private string? _errorType;

        public Operation(SalesforceTelemetry owner, string name, Activity? activity)
        {
            _owner = owner;
            _name = name;
            Activity = activity;
            _started = Stopwatch.GetTimestamp();
        }

        public Activity? Activity { get; }

        public void Fail(Exception exception)
        {
            _errorType = exception is OperationCanceledException ? "canceled" : exception.GetType().Name;
            Activity?.SetStatus(ActivityStatusCode.Error, _errorType);
            Activity?.SetTag("error.type", _errorType);
        }

        public readonly void Dispose()
        {
            var elapsed = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            _owner._operationDuration.Record(
                elapsed,
                new KeyValuePair<string, object?>("salesforce.operation", _name),
                new KeyValuePair<string, object?>("error.type", _errorType));
            Activity?.Dispose();
        }
    }
}
