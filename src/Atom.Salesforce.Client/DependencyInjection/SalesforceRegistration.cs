using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Resilience;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>
/// The services every registration path adds (<c>AddAtomSalesforce</c> and <see cref="SalesforceClientFactory"/>): here, below
/// the <c>Microsoft.Extensions.DependencyInjection</c> extension methods that call it (docs/architecture.md).
/// </summary>
internal static class SalesforceRegistration
{
    /// <summary>The HttpClient pipelines of one connected app (REST API and OAuth token endpoint), for adding to both.</summary>
    public static void ConfigureHttpClients(IServiceCollection services, string name, Action<IHttpClientBuilder> configure)
    {
        configure(services.AddHttpClient(SalesforceHttp.ApiClientNameFor(name)));
        configure(services.AddHttpClient(SalesforceHttp.OAuthClientNameFor(name)));
    }

    public static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"A Salesforce app name must be 1 to 64 letters, digits, '-', '_' or '.' (or empty for the default app); got '{name}'.", nameof(name));
        }
    }

    public static SalesforceBuilder AddCore(IServiceCollection services, string name)
    {
        var builder = new SalesforceBuilder(services, name);
        var shared = false;
        var registered = false;
        foreach (var d in services)
        {
            shared |= d.ServiceType == typeof(SalesforceMarker);
            registered |= d.ServiceType == typeof(SalesforceApp) && d.IsKeyedService && Equals(d.ServiceKey, name);
        }

        if (!shared)
        {
            AddShared(services);
        }

        if (registered)
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
        // The SDK's own services are made by factories, not by the container's constructor reflection (issue 22: start-up).
        services.AddSingleton(SalesforceMarker.Instance);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidation>(
            static _ => new SalesforceOptionsValidation()));
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITokenStore>(static _ => new InMemoryTokenStore());
        services.TryAddSingleton<ISalesforceUsageRecorder>(NullSalesforceUsageRecorder.Instance);
        services.TryAddSingleton(static sp => new SalesforceTelemetry(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
    }

    private static SalesforceApp DefaultApp(IServiceProvider sp) => sp.GetRequiredKeyedService<SalesforceApp>(Microsoft.Extensions.Options.Options.DefaultName);

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
        // The API budget, priorities and concurrency caps (AddApiGovernance; passes requests on without it): per attempt, on the instance.
        api.AddHttpMessageHandler(static sp => new Governance.ApiGovernanceHandler(sp.GetService<Governance.ApiGovernor>()));
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
    private sealed class SalesforceMarker
    {
        public static readonly SalesforceMarker Instance = new();
    }
}
