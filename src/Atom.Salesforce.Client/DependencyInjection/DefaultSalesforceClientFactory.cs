using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>The factory the container gives: every <see cref="SalesforceClient"/> shares its HTTP pipelines.</summary>
internal sealed class DefaultSalesforceClientFactory : ISalesforceClientFactory
{
    private readonly ApiPipeline _pipeline;
    private readonly SalesforceTelemetry _telemetry;
    private readonly IOptionsMonitor<SalesforceOptions> _options;
    private readonly ILogger _logger;
    private readonly ISalesforceUsageRecorder _usageRecorder;
    private readonly TimeProvider _timeProvider;
    private readonly Caching.CacheBinding? _cache;
    private CachedSerializer? _serializer;

    public DefaultSalesforceClientFactory(
        ApiPipeline pipeline,
        SalesforceTelemetry telemetry,
        IOptionsMonitor<SalesforceOptions> options,
        ILoggerFactory loggerFactory,
        ISalesforceUsageRecorder usageRecorder,
        TimeProvider timeProvider,
        Caching.CacheBinding? cache = null)
    {
        _cache = cache;
        _timeProvider = timeProvider;
        _pipeline = pipeline;
        _telemetry = telemetry;
        _options = options;
        _logger = loggerFactory.CreateLogger("Atom.Salesforce.Client");
        _usageRecorder = usageRecorder;
    }

    public SalesforceClient ForUser(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return Create(userId, null);
    }

    public SalesforceClient ForUser(string userId, string username)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        return Create(userId, username);
    }

    private SalesforceClient Create(string userId, string? username)
    {
        var options = _options.CurrentValue;
        var connection = new SalesforceConnection(userId, options, SerializerFor(options), _telemetry, _pipeline, _logger, _usageRecorder, _timeProvider, username);
        connection.Cache = _cache?.For(userId, username, connection.Version, _telemetry, _logger);
        return new SalesforceClient(connection);
    }

    /// <summary>One serializer per resolver: JSON metadata must be built once, not per client.</summary>
    private SalesforceSerializer SerializerFor(SalesforceOptions options)
    {
        var cached = _serializer;
        if (cached is not null && ReferenceEquals(cached.Resolver, options.TypeInfoResolver))
        {
            return cached.Serializer;
        }

        var serializer = options.TypeInfoResolver is null ? SalesforceJsonContext.Serializer : new SalesforceSerializer(SalesforceJsonContext.Default, options.TypeInfoResolver);
        _serializer = new CachedSerializer(options.TypeInfoResolver, serializer);
        return serializer;
    }

    private sealed record CachedSerializer(IJsonTypeInfoResolver? Resolver, SalesforceSerializer Serializer);
}
