using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>One topic with its handler, as registered; it builds the topic's <see cref="SubscriptionRunner{TEvent}"/>.</summary>
internal abstract class TopicRegistration(string topic)
{
    public string Topic { get; } = topic;

    public abstract Task RunAsync(ConsumerServices services, ChangeEventTopicStatus status, CancellationToken stoppingToken);
}

/// <summary>A topic whose events arrive as <typeparamref name="TEvent"/> and go to <paramref name="handle"/>, called in a new scope per attempt.</summary>
internal sealed class TopicRegistration<TEvent>(
    string topic, Func<IServiceProvider, TEvent, ChangeEventContext, CancellationToken, Task> handle) : TopicRegistration(topic)
    where TEvent : notnull
{
    public override Task RunAsync(ConsumerServices services, ChangeEventTopicStatus status, CancellationToken stoppingToken)
    {
        var runner = new SubscriptionRunner<TEvent>(
            Topic,
            services.Options,
            services.Source,
            services.Store,
            services.Leases,
            async (change, context, ct) =>
            {
                if (context.Attempt == 1 && services.CacheInvalidator is { } invalidator)
                {
                    await invalidator.InvalidateAsync(change, ct).ConfigureAwait(false);
                }

                var scope = services.ScopeFactory.CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    await handle(scope.ServiceProvider, change, context, ct).ConfigureAwait(false);
                }
            },
            services.DeadLetterAsync,
            status,
            services.Telemetry,
            services.Time,
            services.LoggerFactory.CreateLogger("Atom.Salesforce.Client.Streaming.Consumer.ChangeEventConsumer"));
        return runner.RunAsync(stoppingToken);
    }
}

/// <summary>What every topic's runner shares.</summary>
internal sealed class ConsumerServices(
    ChangeEventsOptions options,
    IChangeEventSource source,
    IReplayStore store,
    IChangeEventLeaseProvider leases,
    IServiceScopeFactory scopeFactory,
    ConsumerTelemetry? telemetry,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    ChangeEventCacheInvalidator? cacheInvalidator = null)
{
    public ChangeEventsOptions Options { get; } = options;

    public IChangeEventSource Source { get; } = source;

    public IReplayStore Store { get; } = store;

    public IChangeEventLeaseProvider Leases { get; } = leases;

    public IServiceScopeFactory ScopeFactory { get; } = scopeFactory;

    public ConsumerTelemetry? Telemetry { get; } = telemetry;

    public TimeProvider Time { get; } = time;

    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>Drops the cached queries of each event's object before its handler runs; null without the SDK's cache.</summary>
    public ChangeEventCacheInvalidator? CacheInvalidator { get; } = cacheInvalidator;

    /// <summary>Every registered <see cref="IChangeEventDeadLetter"/> (in a scope of their own), then <see cref="ChangeEventsOptions.OnDeadLetter"/>.</summary>
    public async Task DeadLetterAsync(ChangeEventDeadLetter letter, CancellationToken cancellationToken)
    {
        var scope = ScopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            foreach (var deadLetter in scope.ServiceProvider.GetServices<IChangeEventDeadLetter>())
            {
                await deadLetter.HandleAsync(letter, cancellationToken).ConfigureAwait(false);
            }
        }

        if (Options.OnDeadLetter is { } callback)
        {
            await callback(letter, cancellationToken).ConfigureAwait(false);
        }
    }
}
