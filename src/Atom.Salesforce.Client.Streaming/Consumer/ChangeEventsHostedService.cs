using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>Runs every registered topic's subscription for as long as the host runs.</summary>
internal sealed class ChangeEventsHostedService(IServiceProvider services) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting: everything below waits for leases and streams.
        await Task.Yield();
        var options = services.GetRequiredService<IOptions<ChangeEventsOptions>>().Value;
        var loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var shared = new ConsumerServices(
            options,
            services.GetRequiredService<IChangeEventSource>(),
            services.GetRequiredService<IReplayStore>(),
            services.GetRequiredService<IChangeEventLeaseProvider>(),
            services.GetRequiredService<IServiceScopeFactory>(),
            services.GetService<ConsumerTelemetry>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            loggers,
            ChangeEventCacheInvalidator.For(services, options, loggers));
        var status = services.GetRequiredService<ChangeEventsStatus>();
        var runs = services.GetServices<TopicRegistration>()
            .Select(topic => topic.RunAsync(shared, status.Add(topic.Topic), stoppingToken))
            .ToList();
        await Task.WhenAll(runs).ConfigureAwait(false);
    }
}
