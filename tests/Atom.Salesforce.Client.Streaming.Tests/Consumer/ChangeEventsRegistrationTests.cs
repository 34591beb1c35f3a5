using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Atom.Salesforce.Client.Streaming.Consumer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer;

/// <summary>
/// <c>AddAtomSalesforceChangeEvents</c>: options checked at start before any I/O, topics named after objects, one handler per
/// topic resolved in a new scope per event, dead letters to the registered callbacks, and the consumer's metrics on the
/// SDK's meter.
/// </summary>
public sealed class ChangeEventsRegistrationTests
{
    [Theory]
    [InlineData("Opportunity", "/data/OpportunityChangeEvent")]
    [InlineData("Invoice__c", "/data/Invoice__ChangeEvent")]
    [InlineData("/data/ChangeEvents", "/data/ChangeEvents")]
    [InlineData("/data/Sales__chn", "/data/Sales__chn")]
    public async Task A_handler_subscribes_to_its_objects_change_event_topic(string objectName, string topic)
    {
        var services = Services(new FakeEventSource());
        services.AddAtomSalesforceChangeEvents(_ => { }).AddHandler<Opportunity, OpportunityHandler>(objectName);
        await using var provider = services.BuildServiceProvider();

        await using var host = await HostAsync(provider);

        await Wait.UntilAsync(() => provider.GetRequiredService<ChangeEventsStatus>().Topics.Count == 1, "the consumer has started");
        Assert.Equal(topic, Assert.Single(provider.GetRequiredService<ChangeEventsStatus>().Topics).Topic);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Opportunity Change")]
    [InlineData("/topic/Opportunity")]
    [InlineData("data/OpportunityChangeEvent")]
    public void A_name_that_is_neither_an_object_nor_a_topic_is_refused_at_registration(string objectName)
    {
        var builder = new ServiceCollection().AddAtomSalesforceChangeEvents(o => o.UserId = "u");

        Assert.ThrowsAny<ArgumentException>(() => builder.AddHandler<Opportunity, OpportunityHandler>(objectName));
    }

    [Fact]
    public void A_topic_has_one_handler()
    {
        var builder = new ServiceCollection().AddAtomSalesforceChangeEvents(o => o.UserId = "u")
            .AddHandler<Opportunity, OpportunityHandler>("Opportunity");

        var failure = Assert.Throws<ArgumentException>(() => builder.AddHandler<Opportunity, OpportunityHandler>("/data/OpportunityChangeEvent"));

        Assert.Contains("/data/OpportunityChangeEvent", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_options_fail_at_start_naming_each_setting_before_any_connection()
    {
        var source = new FakeEventSource();
        var services = Services(source);
        services.AddAtomSalesforceChangeEvents(o =>
        {
            o.UserId = " ";
            o.ConsumerName = "billing consumer";
            o.MaxAttempts = 0;
            o.RetryDelay = TimeSpan.FromMinutes(5);
            o.LeaseRetryInterval = TimeSpan.Zero;
        }).AddHandler<Opportunity, OpportunityHandler>("Opportunity");
        await using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("UserId", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConsumerName", failure.Message, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts", failure.Message, StringComparison.Ordinal);
        Assert.Contains("RetryDelay must not be longer than MaxRetryDelay", failure.Message, StringComparison.Ordinal);
        Assert.Contains("LeaseRetryInterval", failure.Message, StringComparison.Ordinal);
        Assert.Empty(source.Subscriptions);
    }

    [Fact]
    public async Task A_consumer_without_a_handler_or_without_the_apps_PubSub_client_fails_at_start()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce("partner-org", o => o.ClientId = "client");
        services.AddAtomSalesforceChangeEvents(o => { o.UserId = "u"; o.AppName = "partner-org"; });
        await using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("no handler", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'partner-org' has no Pub/Sub API client", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_event_reaches_the_handler_in_a_scope_of_its_own_in_order_and_is_counted_on_the_SDKs_meter()
    {
        var source = new FakeEventSource();
        var services = Services(source);
        services.AddScoped<ScopeMarker>();
        services.AddAtomSalesforceChangeEvents(o => o.StartFromEarliest = true).AddHandler<Opportunity, OpportunityHandler>("Opportunity");
        await using var provider = services.BuildServiceProvider();
        using var processed = new MetricCollector<long>(provider.GetRequiredService<IMeterFactory>(), "Atom.Salesforce", "salesforce.change_events.processed");
        source.Publish(Change("006A"), Change("006B"), Change("006C"));

        await using var host = await HostAsync(provider);
        var seen = provider.GetRequiredService<ConcurrentQueue<(string Id, Guid Scope)>>();
        await Wait.UntilAsync(() => seen.Count == 3 && processed.GetMeasurementSnapshot().Count == 3, "three events are handled and counted");

        Assert.Equal(["006A", "006B", "006C"], seen.Select(s => s.Id));
        Assert.Equal(3, seen.Select(s => s.Scope).Distinct().Count());
        Assert.All(processed.GetMeasurementSnapshot(), m =>
        {
            Assert.Equal("/data/OpportunityChangeEvent", m.Tags["messaging.destination.name"]);
            Assert.Equal("handled", m.Tags["salesforce.change_events.outcome"]);
        });
        Assert.Equal(ChangeEventTopicState.Active, Assert.Single(provider.GetRequiredService<ChangeEventsStatus>().Topics).State);
    }

    [Fact]
    public async Task A_poisoned_event_goes_to_every_registered_dead_letter_and_the_options_callback_then_the_stream_moves_on()
    {
        var source = new FakeEventSource();
        var services = Services(source);
        var fromOptions = new ConcurrentQueue<ChangeEventDeadLetter>();
        services.AddSingleton<ConcurrentQueue<ChangeEventDeadLetter>>();
        services.AddScoped<IChangeEventDeadLetter, QueueDeadLetter>();
        services.AddAtomSalesforceChangeEvents(o =>
        {
            o.StartFromEarliest = true;
            o.MaxAttempts = 2;
            o.OnDeadLetter = (letter, _) => { fromOptions.Enqueue(letter); return Task.CompletedTask; };
        }).AddHandler<Opportunity, OpportunityHandler>("Opportunity");
        await using var provider = services.BuildServiceProvider();
        source.Publish(Change("006A"), Change(OpportunityHandler.Poison), Change("006C"));

        await using var host = await HostAsync(provider);
        var seen = provider.GetRequiredService<ConcurrentQueue<(string Id, Guid Scope)>>();
        await Wait.UntilAsync(() => seen.Any(s => s.Id == "006C") && !fromOptions.IsEmpty, "the event after the poisoned one is handled");

        var registered = Assert.Single(provider.GetRequiredService<ConcurrentQueue<ChangeEventDeadLetter>>());
        var letter = Assert.Single(fromOptions);
        Assert.Same(registered, letter);
        Assert.Equal(OpportunityHandler.Poison, ((ChangeEvent<Opportunity>)letter.Event).Record.Id);
        Assert.Equal(2, letter.Attempts);
        Assert.Equal(2, seen.Count(s => s.Id == OpportunityHandler.Poison));
    }

    private static ChangeEvent<Opportunity> Change(string id) => new(null!, new Opportunity { Id = id });

    /// <summary>The SDK with its Pub/Sub client, and the fake event bus in place of the Pub/Sub API.</summary>
    private static ServiceCollection Services(FakeEventSource source)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ConcurrentQueue<(string Id, Guid Scope)>>();
        services.AddAtomSalesforce(o => o.ClientId = "client").AddPubSub();
        services.AddSingleton<IChangeEventSource>(source);
        services.Configure<ChangeEventsOptions>(o =>
        {
            o.UserId ??= "integration-user";
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
            o.ReconnectDelay = TimeSpan.FromMilliseconds(1);
        });
        return services;
    }

    private static async Task<HostedServices> HostAsync(IServiceProvider provider)
    {
        provider.GetRequiredService<IStartupValidator>().Validate();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(TestContext.Current.CancellationToken);
        }

        return new HostedServices(hosted);
    }

    private sealed class HostedServices(List<IHostedService> services) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var service in Enumerable.Reverse(services))
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    internal sealed class Opportunity
    {
        public string? Id { get; set; }
    }

    internal sealed class ScopeMarker
    {
        public Guid Id { get; } = Guid.NewGuid();
    }

    internal sealed class OpportunityHandler(ConcurrentQueue<(string Id, Guid Scope)> seen, IServiceProvider scope) : IChangeEventHandler<Opportunity>
    {
        public const string Poison = "006POISON";

        public Task HandleAsync(ChangeEvent<Opportunity> change, ChangeEventContext context, CancellationToken cancellationToken = default)
        {
            seen.Enqueue((change.Record.Id!, scope.GetService<ScopeMarker>()?.Id ?? Guid.Empty));
            return change.Record.Id == Poison ? throw new InvalidOperationException("cannot apply") : Task.CompletedTask;
        }
    }

    internal sealed class QueueDeadLetter(ConcurrentQueue<ChangeEventDeadLetter> letters) : IChangeEventDeadLetter
    {
        public Task HandleAsync(ChangeEventDeadLetter deadLetter, CancellationToken cancellationToken = default)
        {
            letters.Enqueue(deadLetter);
            return Task.CompletedTask;
        }
    }
}
