using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Resilience;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>
/// Everything one connected app (one <c>AddAtomSalesforce(name, ...)</c>) owns: its named options, token store, token
/// refresher, OAuth client and signer, client factory and HTTP pipelines. Nothing here is shared with another app, so a token
/// of one app is never read, refreshed or sent by another. The default app's name is <see cref="Microsoft.Extensions.Options.Options.DefaultName"/>.
/// </summary>
internal sealed class SalesforceApp
{
    private readonly Func<ISalesforceOAuth> _oauth;
    private readonly Func<ApiPipeline> _apiPipeline;
    private readonly TimeProvider _time;
    private readonly SalesforceTelemetry _telemetry;
    private readonly ILoggerFactory _loggers;
    private ISalesforceOAuth? _oauthInstance;

    /// <summary>The app as the container registers it (<c>AddAtomSalesforce</c>): its parts are the container's services.</summary>
    public SalesforceApp(string name, IServiceProvider services)
        : this(
            name,
            new AppOptionsMonitor(services.GetRequiredService<IOptionsMonitor<SalesforceOptions>>(), name),
            name.Length == 0 ? services.GetRequiredService<ITokenStore>() : services.GetRequiredKeyedService<ITokenStore>(name),
            store => name.Length == 0
                ? services.GetRequiredService<ISalesforceUsageRecorder>()
                : services.GetKeyedService<ISalesforceUsageRecorder>(name) ?? store as ISalesforceUsageRecorder ?? NullSalesforceUsageRecorder.Instance,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<SalesforceTelemetry>(),
            services.GetRequiredService<ILoggerFactory>(),
            () => services.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceHttp.OAuthClientNameFor(name)),
            () => ApiPipeline.FromFactory(services.GetRequiredService<IHttpMessageHandlerFactory>(), SalesforceHttp.ApiClientNameFor(name)))
    {
        if (services.GetService<Caching.SalesforceCache>() is { } cache)
        {
            Cache = new Caching.CacheBinding(cache, services.GetRequiredService<IOptionsMonitor<Caching.SalesforceCacheOptions>>(), OrgOfAsync, _time, _telemetry);
            Factory = CreateFactory(Cache);
        }
    }

    /// <summary>
    /// The app from its parts: the container's above, or <see cref="SalesforceClientFactory.Create"/>'s without a container.
    /// Nothing is sent and no HTTP handler is made here: the OAuth client and the REST pipeline are asked for on first use.
    /// </summary>
    public SalesforceApp(
        string name,
        IOptionsMonitor<SalesforceOptions> settings,
        ITokenStore store,
        Func<ITokenStore, ISalesforceUsageRecorder> usageRecorder,
        TimeProvider time,
        SalesforceTelemetry telemetry,
        ILoggerFactory loggers,
        Func<HttpClient> oauthHttpClient,
        Func<ApiPipeline> apiPipeline)
    {
        Name = name;
        Settings = settings;
        Store = store;
        UsageRecorder = usageRecorder(store);
        _time = time;
        _telemetry = telemetry;
        _loggers = loggers;
        _apiPipeline = apiPipeline;
        Jwt = new SalesforceJwtSigner(Settings, time);
        OAuthClient = new SalesforceOAuthClient(oauthHttpClient, Jwt, Settings, time);
        Tokens = new TokenRefresher(Store, OAuthClient, Settings, time, loggers.CreateLogger(TokenRefresherCategory));
        _oauth = () => new SalesforceOAuthService(OAuthClient, Tokens, Store, telemetry, Settings, loggers.CreateLogger<SalesforceOAuthService>());
        Resilience = new SalesforceResilience(name, () => Settings.CurrentValue.Resilience, telemetry, loggers, time);
        Factory = CreateFactory(cache: null);
    }

    /// <summary>
    /// The token refresher's log category: what <c>CreateLogger&lt;TokenRefresher&gt;()</c> names it, given as text so that
    /// start-up builds no generic logger and formats no type name (issue 22).
    /// </summary>
    internal const string TokenRefresherCategory = "Atom.Salesforce.Client.Auth.TokenRefresher";

    private DefaultSalesforceClientFactory CreateFactory(Caching.CacheBinding? cache) =>
        new(new LazyApiPipeline(_apiPipeline), _telemetry, Settings, _loggers, UsageRecorder, _time, cache);

    /// <summary>
    /// The org part of the cache keys of a user's login: the org id (<c>00D…</c>) from the stored token's identity URL
    /// (<c>…/id/{orgId}/{userId}</c>), else its instance host; null when the login has no token. Reads the store, sends nothing.
    /// </summary>
    private async Task<string?> OrgOfAsync(string userId, string? username, CancellationToken cancellationToken) =>
        await Store.GetAsync(new SalesforceLogin(userId, username), cancellationToken).ConfigureAwait(false) is { } token ? OrgOf(token) : null;

    /// <summary>The org id from the token's identity URL, else the instance host: never a token.</summary>
    internal static string OrgOf(SalesforceToken token)
    {
        if (token.IdentityUrl is { } identity)
        {
            var segments = identity.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length >= 3 && segments[^3] == "id" && segments[^2].Length is 15 or 18 && segments[^2].All(char.IsAsciiLetterOrDigit))
            {
                return segments[^2];
            }
        }

        return token.InstanceUrl.IdnHost.ToLowerInvariant();
    }

    /// <summary>The app's link to the registered cache (its keys, tags and invalidation); null when caching is not registered.</summary>
    public Caching.CacheBinding? Cache { get; }

    /// <summary>The registration name; <see cref="Microsoft.Extensions.Options.Options.DefaultName"/> (empty) for the unnamed app.</summary>
    public string Name { get; }

    public bool IsDefault => Name.Length == 0;

    /// <summary>The app's own options: <see cref="IOptionsMonitor{TOptions}.CurrentValue"/> is the options of <see cref="Name"/>.</summary>
    public IOptionsMonitor<SalesforceOptions> Settings { get; }

    public ITokenStore Store { get; }

    public ISalesforceUsageRecorder UsageRecorder { get; }

    public SalesforceJwtSigner Jwt { get; }

    public SalesforceOAuthClient OAuthClient { get; }

    public TokenRefresher Tokens { get; }

    /// <summary>The app's OAuth flows, made on first use: a process that only calls the API never builds them (issue 22).</summary>
    public ISalesforceOAuth OAuth
    {
        get
        {
            if (Volatile.Read(ref _oauthInstance) is { } made)
            {
                return made;
            }

            Interlocked.CompareExchange(ref _oauthInstance, _oauth(), null);
            return _oauthInstance;
        }
    }

    public ISalesforceClientFactory Factory { get; }

    /// <summary>The app's retries, timeouts and circuit breakers, shared by every handler chain of its REST pipeline.</summary>
    public SalesforceResilience Resilience { get; }

    /// <summary>The app's REST pipeline, asked for on the first request (the container's handler factory is not resolved before).</summary>
    private sealed class LazyApiPipeline(Func<ApiPipeline> create) : ApiPipeline
    {
        private ApiPipeline? _pipeline;

        public override HttpMessageHandler Current() => (_pipeline ??= create()).Current();
    }

    /// <summary>The named options of one app as a monitor whose current value is that app's.</summary>
    private sealed class AppOptionsMonitor(IOptionsMonitor<SalesforceOptions> inner, string appName) : IOptionsMonitor<SalesforceOptions>
    {
        public SalesforceOptions CurrentValue => inner.Get(appName);

        public SalesforceOptions Get(string? name) => inner.Get(name);

        public IDisposable? OnChange(Action<SalesforceOptions, string?> listener) =>
            inner.OnChange((options, changed) =>
            {
                if (string.Equals(changed ?? Microsoft.Extensions.Options.Options.DefaultName, appName, StringComparison.Ordinal))
                {
                    listener(options, changed);
                }
            });
    }
}
