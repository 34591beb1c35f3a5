using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// The hosted consumer's events from the Pub/Sub API: the <see cref="PubSubClient"/> of <see cref="ChangeEventsOptions.UserId"/>
/// on the app's <see cref="IPubSubClientFactory"/> (<c>AddPubSub()</c>). The client itself renews a refused session and
/// reconnects after transient failures, resuming after the last event it returned; what it cannot recover from ends the
/// stream, and the consumer subscribes again after its committed replay id.
/// </summary>
internal sealed class PubSubEventSource(IServiceProvider services, ILogger<PubSubEventSource> logger) : IChangeEventSource
{
    /// <summary>The org id: the topic's tenant (Salesforce answers GetTopic with the org's id).</summary>
    public async Task<string> GetOrgAsync(ChangeEventsOptions options, string topic, CancellationToken cancellationToken)
    {
        var described = await Client(options).GetTopicAsync(topic, cancellationToken).ConfigureAwait(false);
        return described.TenantGuid;
    }

    public async IAsyncEnumerable<SourceEvent<TEvent>> ReadAsync<TEvent>(
        ChangeEventsOptions options, string topic, ReplayId? afterReplayId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = Client(options);
        var start = afterReplayId is { } after ? ReplayStart.After(after) : Start(options);
        var rejected = false;
        await using var events = client.SubscribeAsync(topic, start, options: null, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await events.MoveNextAsync().ConfigureAwait(false);
            }
            catch (PubSubException e) when (e.IsReplayIdRejected && afterReplayId is not null)
            {
                // Older than Salesforce keeps (72 hours for change events): what came after it and is gone cannot be read.
                ConsumerLog.ReplayIdRejected(logger, topic, options.StartFromEarliest ? "earliest" : "newest", e);
                rejected = true;
                break;
            }

            if (!more)
            {
                yield break;
            }

            yield return new SourceEvent<TEvent>(events.Current.ReplayId, (TEvent)(object)events.Current, events.Current.ReceiveContext);
        }

        if (rejected)
        {
            await foreach (var fresh in ReadAsync<TEvent>(options, topic, null, cancellationToken).ConfigureAwait(false))
            {
                yield return fresh;
            }
        }
    }

    private static ReplayStart Start(ChangeEventsOptions options) => options.StartFromEarliest ? ReplayStart.Earliest : ReplayStart.Latest;

    private PubSubClient Client(ChangeEventsOptions options)
    {
        var factory = options.AppName.Length == 0
            ? services.GetRequiredService<IPubSubClientFactory>()
            : services.GetRequiredKeyedService<IPubSubClientFactory>(options.AppName);
        return factory.ForUser(options.UserId!);
    }
}
