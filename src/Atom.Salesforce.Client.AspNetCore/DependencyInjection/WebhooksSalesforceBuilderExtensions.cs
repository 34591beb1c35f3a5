using Atom.Salesforce.Client.AspNetCore.Webhooks;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Storage;
using Atom.Salesforce.Client.Streaming.Consumer;
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
    /// Options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder <c>AddAtomSalesforce</c> returned, with <c>.AddEndpoints()</c>.</param>
    /// <param name="configure">Changes the options: allowed targets, retries, disabling.</param>
    /// <returns>The builder, to chain on.</returns>
    public static ISalesforceBuilder AddWebhooks(this ISalesforceBuilder builder, Action<WebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<WebhookOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(WebhookServices)))
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

    /// <summary>Checks the webhook options, and that the token store's database is there to hold the endpoints.</summary>
    private sealed class WebhookOptionsValidator(IServiceProvider services) : IValidateOptions<WebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhookOptions options)
        {
            var failures = new List<string>();
            if (services.GetService<IServiceProviderIsService>()?.IsService(typeof(TokenStoreDataSource)) != true)
            {
                failures.Add("AddWebhooks keeps endpoints and the outbox in the PostgreSQL token store's database: call AddPostgresTokenStore on the same AddAtomSalesforce builder.");
            }

            if (options.MaxEndpointsPerUser < 1)
            {
                failures.Add("Webhooks: MaxEndpointsPerUser must be at least 1.");
            }

            if (options.MaxConsecutiveFailures < 1 || options.MaxAttempts < 1 || options.BatchSize is < 1 or > 1_000)
            {
                failures.Add("Webhooks: MaxConsecutiveFailures and MaxAttempts must be at least 1, BatchSize between 1 and 1,000.");
            }

            if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay || options.MaxRetryDelay > TimeSpan.FromDays(7))
            {
                failures.Add("Webhooks: RetryDelay must be positive and MaxRetryDelay between RetryDelay and 7 days.");
            }

            if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5)
                || options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromMinutes(5))
            {
                failures.Add("Webhooks: RequestTimeout and PollInterval must be between 0 and 5 minutes.");
            }

            if (options.PreviousSecretLifetime < TimeSpan.Zero || options.PreviousSecretLifetime > TimeSpan.FromDays(30))
            {
                failures.Add("Webhooks: PreviousSecretLifetime must be between 0 and 30 days.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
