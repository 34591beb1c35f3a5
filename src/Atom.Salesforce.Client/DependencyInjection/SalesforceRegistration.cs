using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Resilience;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>
/// The services every registration path adds (<c>AddAtomSalesforce</c> and <see cref="SalesforceClientFactory"/>): here, below
/// the <c>Microsoft.Extensions.DependencyInjection</c> extension methods that call it (docs/architecture.md).
/// </summary>
internal static class SalesforceRegistration
{
    /// <summary>The HttpClient pipelines of the SDK (REST API and OAuth token endpoint), for adding to both.</summary>
    public static void ConfigureHttpClients(IServiceCollection services, Action<IHttpClientBuilder> configure)
    {
        configure(services.AddHttpClient(SalesforceHttp.ApiClientName));
        configure(services.AddHttpClient(SalesforceHttp.OAuthClientName));
    }

    public static SalesforceBuilder AddCore(IServiceCollection services)
    {
        var builder = new SalesforceBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(SalesforceMarker)))
        {
            // Registered before: the options above add to it, nothing else is registered twice.
            return builder;
        }

        services.AddSingleton<SalesforceMarker>();
        services.AddOptions<SalesforceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsCrossValidator>());

        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITokenStore, InMemoryTokenStore>();
        services.TryAddSingleton<ISalesforceUsageRecorder>(NullSalesforceUsageRecorder.Instance);
        services.TryAddSingleton<SalesforceRefitApis>();
        services.TryAddSingleton<SalesforceTelemetry>();
        services.TryAddSingleton<SalesforceOAuthClient>();
        services.TryAddSingleton<TokenRefresher>();
        services.TryAddSingleton<SalesforceJwtSigner>();
        services.TryAddSingleton<ISalesforceOAuth, SalesforceOAuthService>();
        services.TryAddSingleton<ISalesforceClientFactory, DefaultSalesforceClientFactory>();

        // Outermost first: retries and timeouts around the handler that sets the token for each attempt.
        var api = services.AddHttpClient(SalesforceHttp.ApiClientName);
        api.ConfigurePrimaryHttpMessageHandler(CreatePrimaryHandler);
        api.RemoveAllLoggers().RedactLoggedHeaders(IsSecretHeader);
        api.AddResilienceHandler("Atom.Salesforce", static (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<SalesforceOptions>>().CurrentValue;
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Atom.Salesforce.Client.Http");
                SalesforceResiliencePipeline.Configure(pipeline, options.Resilience, logger);
                SalesforceResiliencePipeline.ConfigureTelemetry(pipeline, context.ServiceProvider);
            });
        api.AddHttpMessageHandler(static sp => new SalesforceAuthHandler(sp.GetRequiredService<TokenRefresher>(), sp.GetRequiredService<IOptionsMonitor<SalesforceOptions>>()));

        services.AddHttpClient(SalesforceHttp.OAuthClientName, static (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<SalesforceOptions>>().CurrentValue;
                http.DefaultRequestHeaders.UserAgent.ParseAdd(SdkInfo.UserAgent(options.ApplicationId));
                http.Timeout = options.Resilience.AttemptTimeout;
            })
            .ConfigurePrimaryHttpMessageHandler(CreatePrimaryHandler)
            .RemoveAllLoggers()
            .RedactLoggedHeaders(IsSecretHeader);

        return builder;
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
