using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Resilience;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

        // The REST pipeline: the SDK's handlers (ApiHandlers, outermost first), then any handler the app adds with
        // ConfigureHttpClient, then the primary handler.
        var api = services.AddHttpClient(SalesforceHttp.ApiClientNameFor(name));
        api.ConfigurePrimaryHttpMessageHandler(CreatePrimaryHandler);
        api.RemoveAllLoggers().RedactLoggedHeaders(IsSecretHeader);
        api.ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
        {
            foreach (var handler in ApiHandlers(sp.GetRequiredKeyedService<SalesforceApp>(name), sp.GetService<Governance.ApiGovernor>()))
            {
                handlers.Add(handler);
            }
        });

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

    /// <summary>
    /// The SDK's own handlers of a connected app's REST pipeline, outermost first: the one list both paths use (the container's
    /// <see cref="IHttpClientFactory"/> pipeline, and the chain <see cref="SalesforceClientFactory.Create"/> builds by hand).
    /// A new handler goes into this list at the place its comment below names; nothing else registers handlers. Each layer
    /// here is an asynchronous layer every call pays for (issue 22): without API governance there are two.
    /// </summary>
    internal static DelegatingHandler[] ApiHandlers(SalesforceApp app, Governance.ApiGovernor? governor) =>
        governor is null
            ?
            [
                // 1. Once per call: counting the call for the user's connection (usage, Sforce-Limit-Info), the total timeout
                //    around everything below, and for GET, HEAD, OPTIONS and DELETE the retries (POST and PATCH are sent once).
                //    A handler that must run once per call, whatever the retries (a queue or a budget that admits a call),
                //    goes before this one.
                new SalesforceResilienceHandler(app.Resilience),

                // 2. Once per attempt of the retries: the user's token and the move to the user's instance URL; a 401 refreshes
                //    the token once and replays. Each send (the replay too) inside the org host's circuit breaker and the
                //    attempt timeout (SalesforceAttempt), run here rather than in a handler of their own.
                new SalesforceAuthHandler(app.Tokens, app.Settings, attempts: app.Resilience),
            ]
            :
            [
                new SalesforceResilienceHandler(app.Resilience),
                new SalesforceAuthHandler(app.Tokens, app.Settings),

                // 3. Once per attempt, on the instance: the API budget, priorities and concurrency caps (AddApiGovernance).
                //    Outside the circuit breaker and attempt timeout: a wait in the queue is not an attempt that timed out.
                //    A handler that needs the instance URL or must see every retry goes after the auth handler.
                new Governance.ApiGovernanceHandler(governor),

                // 4. Once per send (the replay after a refresh too): the circuit breaker of the org host around the attempt
                //    timeout, as the auth handler runs it without governance.
                new SalesforceAttemptHandler(app.Resilience),
            ];

    /// <summary>Links <paramref name="handlers"/> (outermost first) over <paramref name="primary"/>; returns the outermost.</summary>
    internal static HttpMessageHandler Chain(DelegatingHandler[] handlers, HttpMessageHandler primary)
    {
        var next = primary;
        for (var i = handlers.Length - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = next;
            next = handlers[i];
        }

        return next;
    }

    /// <summary>Compressed responses (Salesforce gzips on request) and connections recycled so that DNS changes are seen.</summary>
    internal static SocketsHttpHandler CreatePrimaryHandler() => new()
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
