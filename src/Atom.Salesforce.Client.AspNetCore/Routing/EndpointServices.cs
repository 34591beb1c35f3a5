using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.AspNetCore.RateLimiting;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Caching;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>The services every handler uses, resolved once.</summary>
internal sealed class EndpointServices(
    IServiceProvider services,
    ISalesforceClientFactory clientFactory,
    ITokenStore tokenStore,
    ISalesforceOAuth oauth,
    IOptions<SalesforceEndpointOptions> options,
    IOptionsMonitor<SalesforceOptions> salesforceOptions,
    DescribeCache describes,
    LeadModelCache leadModels,
    IHttpClientFactory httpClientFactory,
    TimeProvider timeProvider,
    EndpointRateLimiter rateLimiter,
    SalesforceCache cache,
    IOptionsMonitor<SalesforceCacheOptions> cacheOptions,
    ILoggerFactory loggerFactory)
{
    public EndpointRateLimiter RateLimiter { get; } = rateLimiter;

    public ISalesforceClientFactory ClientFactory { get; } = clientFactory;

    public ITokenStore TokenStore { get; } = tokenStore;

    public ISalesforceOAuth OAuth { get; } = oauth;

    public SalesforceEndpointOptions Options { get; } = options.Value;

    public SalesforceOptions SalesforceOptions => salesforceOptions.CurrentValue;

    public DescribeCache Describes { get; } = describes;

    public LeadModelCache LeadModels { get; } = leadModels;

    public IHttpClientFactory HttpClientFactory { get; } = httpClientFactory;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public SalesforceCache Cache { get; } = cache;

    public string CacheKeyPrefix => cacheOptions.CurrentValue.KeyPrefix;

    /// <summary>
    /// The registered data source (the mirror) when the app opted in (<see cref="SalesforceEndpointOptions.AnalyticsFromMirror"/>);
    /// null otherwise, so that the pack never reads it unless asked to.
    /// </summary>
    public ISalesDataSource? MirrorData { get; } = options.Value.AnalyticsFromMirror ? services.GetService<ISalesDataSource>() : null;

    public ILogger Logger { get; } = loggerFactory.CreateLogger("Atom.Salesforce.Client.AspNetCore");

    /// <summary>The registered analytics (<c>.AddAnalytics()</c>), or analytics on the container's clock.</summary>
    public PipelineAnalytics PipelineAnalytics { get; } = services.GetService<PipelineAnalytics>() ?? new PipelineAnalytics(timeProvider);

    public LeadAnalytics LeadAnalytics { get; } = services.GetService<LeadAnalytics>() ?? new LeadAnalytics(timeProvider);

    public LeadScoring LeadScoring { get; } = services.GetService<LeadScoring>() ?? new LeadScoring(timeProvider);

    public AccountAnalytics AccountAnalytics { get; } = services.GetService<AccountAnalytics>() ?? new AccountAnalytics(timeProvider);

    public PerformanceAnalytics PerformanceAnalytics { get; } = services.GetService<PerformanceAnalytics>() ?? new PerformanceAnalytics(timeProvider);
}
