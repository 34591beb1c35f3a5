using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Resilience;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SDK.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SDK with options bound from <paramref name="configuration"/> (conventionally the <c>Salesforce</c> section):
    /// <c>ClientId</c>, <c>ClientSecret</c>, <c>LoginUrl</c>, <c>ApiVersion</c>, <c>ApplicationId</c>, <c>Resilience:*</c>.
    /// Options are validated when the host starts. This is the default connected app (<see cref="Options.Options.DefaultName"/>):
    /// resolve <see cref="ISalesforceClientFactory"/> and <see cref="ISalesforceOAuth"/> without a key.
    /// </summary>
    public static ISalesforceBuilder AddAtomSalesforce(this IServiceCollection services, IConfiguration configuration) =>
        services.AddAtomSalesforce(Options.Options.DefaultName, configuration);

    /// <summary>Registers the SDK (the default connected app) with options set in code. Options are validated when the host starts.</summary>
    public static ISalesforceBuilder AddAtomSalesforce(this IServiceCollection services, Action<SalesforceOptions> configure) =>
        services.AddAtomSalesforce(Options.Options.DefaultName, configure);

    /// <summary>
    /// Registers one more connected app under <paramref name="name"/>, like <c>AddHttpClient(name)</c>, with options bound from
    /// <paramref name="configuration"/> (for example the <c>Salesforce:Apps:partner-org</c> section). The app has its own
    /// options (validated when the host starts, failures naming the app), token store (in memory unless the returned builder
    /// sets one), token refresh, HTTP pipelines, retries and circuit breakers: its tokens are never used by another app.
    /// Resolve it with <c>[FromKeyedServices("partner-org")] ISalesforceClientFactory</c> (and <see cref="ISalesforceOAuth"/>
    /// the same way). <see cref="Options.Options.DefaultName"/> (empty) names the default app.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The app's name: 1 to 64 letters, digits, '-', '_' or '.'; empty for the default app.</param>
    /// <param name="configuration">The app's configuration section.</param>
    public static ISalesforceBuilder AddAtomSalesforce(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        CheckName(name);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SalesforceOptions>(name).Configure(options => SalesforceOptionsBinding.Bind(configuration, options));
        // Reload when the configuration does, as OptionsBuilder.Bind would.
        services.AddSingleton<IOptionsChangeTokenSource<SalesforceOptions>>(
            new ConfigurationChangeTokenSource<SalesforceOptions>(name, configuration));
        return AddCore(services, name);
    }

    /// <summary>
    /// Registers one more connected app under <paramref name="name"/> with options set in code; see
    /// <see cref="AddAtomSalesforce(IServiceCollection, string, IConfiguration)"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The app's name: 1 to 64 letters, digits, '-', '_' or '.'; empty for the default app.</param>
    /// <param name="configure">Sets the app's options.</param>
    public static ISalesforceBuilder AddAtomSalesforce(this IServiceCollection services, string name, Action<SalesforceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        CheckName(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SalesforceOptions>(name).Configure(configure);
        return AddCore(services, name);
    }

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"A Salesforce app name must be 1 to 64 letters, digits, '-', '_' or '.' (or empty for the default app); got '{name}'.", nameof(name));
        }
    }

    private static SalesforceBuilder AddCore(IServiceCollection services, string name)
    {
        var builder = new SalesforceBuilder(services, name);
        if (!services.Any(d => d.ServiceType == typeof(SalesforceMarker)))
        {
            AddShared(services);
        }

        if (services.Any(d => d.ServiceType == typeof(SalesforceApp) && d.IsKeyedService && Equals(d.ServiceKey, name)))
        {
            // This app was registered before: the options above add to it, nothing else is registered twice.
            return builder;
        }

        AddApp(services, name);
        return builder;
    }

    /// <summary>What every app shares: options validation, logging, metrics, the clock, telemetry and the default app's store.</summary>
    private static void AddShared(IServiceCollection services)
    {
        services.AddSingleton<SalesforceMarker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidation>());
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITokenStore, InMemoryTokenStore>();
        services.TryAddSingleton<ISalesforceUsageRecorder>(NullSalesforceUsageRecorder.Instance);
        services.TryAddSingleton<SalesforceTelemetry>();
    }

    private static SalesforceApp DefaultApp(IServiceProvider sp) => sp.GetRequiredKeyedService<SalesforceApp>(Options.Options.DefaultName);

    /// <summary>One connected app: its keyed services, its validated options and its two HTTP pipelines.</summary>
    private static void AddApp(IServiceCollection services, string name)
    {
        services.AddOptions<SalesforceOptions>(name).ValidateOnStart();
        services.AddKeyedSingleton(name, static (sp, key) => new SalesforceApp((string)key!, sp));
        if (name.Length == 0)
        {
            // The default app's services, unkeyed as before: the factory and OAuth service of AddAtomSalesforce(...) without a name.
            services.TryAddSingleton(static sp => DefaultApp(sp).OAuthClient);
            services.TryAddSingleton(static sp => DefaultApp(sp).Tokens);
            services.TryAddSingleton(static sp => DefaultApp(sp).Jwt);
            services.TryAddSingleton(static sp => DefaultApp(sp).OAuth);
            services.TryAddSingleton(static sp => DefaultApp(sp).Factory);
        }
        else
        {
            // The default app's factory and OAuth service are the unkeyed ones (AddShared); a named app's are keyed by its name.
            services.AddKeyedSingleton(name, static (sp, key) => sp.GetRequiredKeyedService<SalesforceApp>(key).Factory);
            services.AddKeyedSingleton(name, static (sp, key) => sp.GetRequiredKeyedService<SalesforceApp>(key).OAuth);

            // A named app's tokens live apart from every other app's: its own store unless its builder sets one.
            services.TryAddKeyedSingleton<ITokenStore>(name, static (_, _) => new InMemoryTokenStore());
        }

        // Outermost first: a total timeout around retries, around the handler that sets the token and the instance URL, around
        // a circuit breaker per org host (the request is on the instance URL by then) around the attempt timeout.
        var api = services.AddHttpClient(SalesforceHttp.ApiClientNameFor(name));
        api.ConfigurePrimaryHttpMessageHandler(CreatePrimaryHandler);
        api.RemoveAllLoggers().RedactLoggedHeaders(IsSecretHeader);
        api.AddResilienceHandler("Atom.Salesforce", (pipeline, context) =>
            {
                // Rebuilt when the app's options change: new retry settings apply to the next request, without a restart.
                context.EnableReloads<SalesforceOptions>(name);
                var options = context.GetOptions<SalesforceOptions>(name);
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Atom.Salesforce.Client.Http");
                SalesforceResiliencePipeline.Configure(pipeline, options.Resilience, logger);
                SalesforceResiliencePipeline.ConfigureTelemetry(pipeline, context.ServiceProvider);
            });
        api.AddHttpMessageHandler(sp =>
        {
            var app = sp.GetRequiredKeyedService<SalesforceApp>(name);
            return new SalesforceAuthHandler(app.Tokens, app.Settings);
        });
        api.AddHttpMessageHandler(sp => new CircuitBreakerRejectionHandler(sp.GetRequiredService<SalesforceTelemetry>(), name));
        api.AddResilienceHandler("Atom.Salesforce.Attempt", (pipeline, context) =>
            {
                context.EnableReloads<SalesforceOptions>(name);
                var options = context.GetOptions<SalesforceOptions>(name);
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Atom.Salesforce.Client.Http");
                SalesforceResiliencePipeline.ConfigureAttempt(
                    pipeline, options.Resilience, context.ServiceProvider.GetRequiredService<SalesforceTelemetry>(), name, logger);
                SalesforceResiliencePipeline.ConfigureTelemetry(pipeline, context.ServiceProvider);
            })
            .SelectPipelineByAuthority();

        services.AddHttpClient(SalesforceHttp.OAuthClientNameFor(name), (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<SalesforceOptions>>().Get(name);
                http.DefaultRequestHeaders.UserAgent.ParseAdd(SdkInfo.UserAgent(options.ApplicationId));
                http.Timeout = options.Resilience.AttemptTimeout;
            })
            .ConfigurePrimaryHttpMessageHandler(CreatePrimaryHandler)
            .RemoveAllLoggers()
            .RedactLoggedHeaders(IsSecretHeader);
    }

    /// <summary>Compressed responses (Salesforce gzips on request) and connections recycled so that DNS changes are seen.</summary>
    private static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>
    /// HttpClient's own request logs are off for the SDK's clients: their structured state carries raw header values, the
    /// bearer token included, even where the message is redacted. An app that adds them back (<c>AddDefaultLogger()</c> in
    /// <c>ConfigureHttpClient</c>) still gets these headers redacted in the message.
    /// </summary>
    private static bool IsSecretHeader(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase);

    /// <summary>Marks the collection as holding the SDK, so that a second call registers nothing twice.</summary>
    private sealed class SalesforceMarker;
}
