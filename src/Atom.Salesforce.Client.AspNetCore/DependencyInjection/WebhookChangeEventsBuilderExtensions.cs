using Atom.Salesforce.Client.AspNetCore.Webhooks;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming.Consumer;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Forwards the hosted consumer's change events to the endpoint pack's webhooks.</summary>
public static class WebhookChangeEventsBuilderExtensions
{
    /// <summary>
    /// Hands the change events of <paramref name="topic"/> (every object's, <c>/data/ChangeEvents</c>, by default; or a
    /// custom channel) to the webhooks: each event is queued, in the step the consumer commits, for every endpoint subscribed
    /// to its object and change type in the event's org, with only the fields the endpoint's owner can read. Needs
    /// <see cref="WebhooksSalesforceBuilderExtensions.AddWebhooks(ISalesforceBuilder, Action{WebhookOptions})"/> and the endpoint pack (<c>AddEndpoints()</c>).
    /// </summary>
    /// <param name="builder">The builder <c>AddAtomSalesforceChangeEvents</c> returned.</param>
    /// <param name="topic">The topic to read: <c>/data/ChangeEvents</c> (default) or a custom channel such as <c>/data/Webhooks__chn</c>.</param>
    /// <returns>The builder, to chain on.</returns>
    public static IChangeEventsBuilder AddWebhooks(this IChangeEventsBuilder builder, string topic = "/data/ChangeEvents")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHandler<SObject, WebhookChangeHandler>(topic);
    }
}
