using Atom.Salesforce.Client.AspNetCore.Webhooks;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Storage;
using Atom.Salesforce.Client.Streaming.Consumer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the endpoint pack's webhooks.</summary>
public static class WebhooksSalesforceBuilderExtensions
{
    /// <summary>
    /// Enables the webhook routes (<c>{prefix}/webhooks/create|list|delete|rotate-secret|enable</c>) and runs the delivery
    /// worker, which posts queued change events to the endpoints, signed per Standard Webhooks, with retries. Endpoints and
    /// the outbox live in the PostgreSQL token store's database (migration 4), so <c>AddPostgresTokenStore</c> is required;
    /// signing secrets are encrypted with its key ring. Events reach the outbox through the hosted change event consumer:
    /// chain <see cref="WebhookChangeEventsBuilderExtensions.AddWebhooks(IChangeEventsBuilder, string)"/> on <c>AddAtomSalesforceChangeEvents(...)</c>.
    /// Options are bound from the <see cref="WebhookOptions.DefaultSectionName"/> (<c>Salesforce:Webhooks</c>) configuration
    /// section when the application has an <c>IConfiguration</c>, then changed by <paramref name="configure"/>, and validated
    /// when the host starts. Calling it twice registers nothing twice.
    /// </summary>
    /// <param name="builder">The builder <c>AddAtomSalesforce</c> returned, with <c>.AddEndpoints()</c>.</param>
    /// <param name="configure">Changes the options: allowed targets, retries, disabling.</param>
    /// <returns>The builder, to chain on.</returns>
    public static ISalesforceBuilder AddWebhooks(this ISalesforceBuilder builder, Action<WebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, configuration: null, configure);
    }

    /// <summary>
    /// Enables the webhooks as <see cref="AddWebhooks(ISalesforceBuilder, Action{WebhookOptions})"/> does, with the options
    /// bound from the <see cref="WebhookOptions.DefaultSectionName"/> (<c>Salesforce:Webhooks</c>) configuration section
    /// when the application has an <c>IConfiguration</c>, and the defaults otherwise.
    /// </summary>
    /// <param name="builder">The builder <c>AddAtomSalesforce</c> returned, with <c>.AddEndpoints()</c>.</param>
    /// <returns>The builder, to chain on.</returns>
    public static ISalesforceBuilder AddWebhooks(this ISalesforceBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddCore(builder, configuration: null, configure: null);
    }

    /// <summary>
    /// Enables the webhooks as <see cref="AddWebhooks(ISalesforceBuilder, Action{WebhookOptions})"/> does, with the options
    /// bound from <paramref name="configuration"/> (a section shaped like <c>Salesforce:Webhooks</c>: <c>AllowHttpTargets</c>,
    /// <c>MaxAttempts</c>, <c>RetryDelay</c> as <c>00:00:10</c>, ...) instead of the default section. A value of the wrong
    /// type, a key that is not an option, or a value out of range stops the host at start with a message naming the key.
    /// </summary>
    /// <param name="builder">The builder <c>AddAtomSalesforce</c> returned, with <c>.AddEndpoints()</c>.</param>
    /// <param name="configuration">The section to bind, such as <c>builder.Configuration.GetSection("Webhooks")</c>.</param>
    /// <returns>The builder, to chain on.</returns>
    public static ISalesforceBuilder AddWebhooks(this ISalesforceBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(builder, configuration, configure: null);
    }

    private static ISalesforceBuilder AddCore(ISalesforceBuilder builder, IConfiguration? configuration, Action<WebhookOptions>? configure)
    {
        var services = builder.Services;
        var firstCall = !services.Any(d => d.ServiceType == typeof(WebhookServices));
        if (configuration is not null)
        {
            services.AddSingleton(new ConfigurationBinding(configuration, (configuration as IConfigurationSection)?.Path));
        }

        if (firstCall)
        {
            // Configuration first, code second.
            services.TryAddSingleton<WebhookConfiguration>();
            services.AddSingleton<IConfigureOptions<WebhookOptions>>(static sp => sp.GetRequiredService<WebhookConfiguration>());
        }

        var options = services.AddOptions<WebhookOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!firstCall)
        {
            return builder;
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new TargetGuard(sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.TryAddSingleton(static sp => new WebhookStore(sp.GetRequiredService<TokenStoreDataSource>(), sp.GetRequiredService<TokenCipher>()));
        services.TryAddSingleton<WebhookServices>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookDeliveryService>());
        return builder;
    }

    /// <summary>
    /// The configuration the options are bound from: the sections given to <see cref="AddWebhooks(ISalesforceBuilder, IConfiguration)"/>,
    /// or else the application's <see cref="WebhookOptions.DefaultSectionName"/> section (when it has an <c>IConfiguration</c>).
    /// </summary>
    private sealed class WebhookConfiguration(IServiceProvider services) : IConfigureOptions<WebhookOptions>
    {
        private IReadOnlyList<ConfigurationBinding>? _bindings;

        private IReadOnlyList<ConfigurationBinding> Bindings => _bindings ??= services.GetServices<ConfigurationBinding>().ToList() is { Count: > 0 } given
            ? given
            : services.GetService<IConfiguration>() is { } configuration
                ? [new ConfigurationBinding(configuration.GetSection(WebhookOptions.DefaultSectionName), WebhookOptions.DefaultSectionName)]
                : [];

        /// <summary>What could not be bound, each naming the key.</summary>
        public IEnumerable<string> Errors => Bindings.SelectMany(b => b.Errors);

        public void Configure(WebhookOptions options)
        {
            foreach (var binding in Bindings)
            {
                binding.Configure(options);
            }
        }
    }

    /// <summary>
    /// Binds one configuration section to the options. A key that is not an option (a misspelt <c>AllowHttpTarget</c> must not
    /// be ignored), or a value the binder cannot convert, is kept as an error naming the key, reported by
    /// <see cref="WebhookOptionsValidator"/> when the host starts.
    /// </summary>
    private sealed class ConfigurationBinding(IConfiguration configuration, string? path)
    {
        private static readonly Action<BinderOptions> Strict = static b => b.ErrorOnUnknownConfiguration = true;
        private readonly List<string> _errors = [];

        public IReadOnlyList<string> Errors
        {
            get
            {
                lock (_errors)
                {
                    return [.. _errors];
                }
            }
        }

        public void Configure(WebhookOptions options)
        {
            try
            {
                configuration.Bind(options, Strict);
            }
            catch (InvalidOperationException e)
            {
                lock (_errors)
                {
                    _errors.Add($"{(string.IsNullOrEmpty(path) ? "The webhooks' configuration" : path)} could not be bound to the webhook options: {e.Message}");
                }
            }
        }
    }

    /// <summary>Checks the webhook options, and that the token store's database is there to hold the endpoints.</summary>
    private sealed class WebhookOptionsValidator(IServiceProvider services) : IValidateOptions<WebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhookOptions options)
        {
            var failures = new List<string>(services.GetRequiredService<WebhookConfiguration>().Errors);
            if (services.GetService<IServiceProviderIsService>()?.IsService(typeof(TokenStoreDataSource)) != true)
            {
                failures.Add("AddWebhooks keeps endpoints and the outbox in the PostgreSQL token store's database: call AddPostgresTokenStore on the same AddAtomSalesforce builder.");
            }

            if (options.MaxEndpointsPerUser < 1)
            {
                failures.Add("Salesforce:Webhooks:MaxEndpointsPerUser must be at least 1.");
            }

            if (options.MaxConsecutiveFailures < 1 || options.MaxAttempts < 1 || options.BatchSize is < 1 or > 1_000)
            {
                failures.Add("Salesforce:Webhooks:MaxConsecutiveFailures and MaxAttempts must be at least 1, BatchSize between 1 and 1,000.");
            }

            if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay || options.MaxRetryDelay > TimeSpan.FromDays(7))
            {
                failures.Add("Salesforce:Webhooks:RetryDelay must be positive and MaxRetryDelay between RetryDelay and 7 days.");
            }

            if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5)
                || options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromMinutes(5))
            {
                failures.Add("Salesforce:Webhooks:RequestTimeout and PollInterval must be between 0 and 5 minutes.");
            }

            if (options.PreviousSecretLifetime < TimeSpan.Zero || options.PreviousSecretLifetime > TimeSpan.FromDays(30))
            {
                failures.Add("Salesforce:Webhooks:PreviousSecretLifetime must be between 0 and 30 days.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
