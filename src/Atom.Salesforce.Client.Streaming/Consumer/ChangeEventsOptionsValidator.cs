using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>Checks the consumer's settings when the host starts, before any connection is made. Messages name the setting.</summary>
internal sealed class ChangeEventsOptionsValidator(IServiceProvider services) : IValidateOptions<ChangeEventsOptions>
{
    public ValidateOptionsResult Validate(string? name, ChangeEventsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.UserId))
        {
            failures.Add("ChangeEvents:UserId is required: the user whose stored token the subscription authenticates with.");
        }

        if (options.ConsumerName is not { Length: >= 1 and <= 64 } consumer || !consumer.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            failures.Add("ChangeEvents:ConsumerName must be 1 to 64 letters, digits, '-', '_' or '.'.");
        }

        if (options.AppName is null)
        {
            failures.Add("ChangeEvents:AppName must not be null (empty names the default app).");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            failures.Add("ChangeEvents:MaxAttempts must be between 1 and 100.");
        }

        Check(failures, "RetryDelay", options.RetryDelay, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(failures, "MaxRetryDelay", options.MaxRetryDelay, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(failures, "ReconnectDelay", options.ReconnectDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        Check(failures, "MaxReconnectDelay", options.MaxReconnectDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        Check(failures, "LeaseRetryInterval", options.LeaseRetryInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        if (options.RetryDelay > options.MaxRetryDelay)
        {
            failures.Add("ChangeEvents:RetryDelay must not be longer than MaxRetryDelay.");
        }

        if (options.ReconnectDelay > options.MaxReconnectDelay)
        {
            failures.Add("ChangeEvents:ReconnectDelay must not be longer than MaxReconnectDelay.");
        }

        // The Pub/Sub client of the consumer's app (unless a test replaced the event source).
        if (services.GetService<IChangeEventSource>() is PubSubEventSource && options.AppName is not null
            && services.GetService<IServiceProviderIsKeyedService>() is { } known
            && !(options.AppName.Length == 0 ? known.IsService(typeof(IPubSubClientFactory)) : known.IsKeyedService(typeof(IPubSubClientFactory), options.AppName)))
        {
            failures.Add($"ChangeEvents: the app '{(options.AppName.Length == 0 ? "default" : options.AppName)}' has no Pub/Sub API client: call AddPubSub() on its AddAtomSalesforce builder.");
        }

        if (!services.GetServices<TopicRegistration>().Any())
        {
            failures.Add("AddAtomSalesforceChangeEvents has no handler: add one with AddHandler<T, THandler>(objectName).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"ChangeEvents:{setting} must be between {min} and {max}.");
        }
    }
}
