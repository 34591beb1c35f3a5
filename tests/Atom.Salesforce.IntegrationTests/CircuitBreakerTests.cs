using System.Diagnostics.Metrics;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// The circuit breaker per org host and reloadable resilience options, against two emulated orgs over loopback with the
/// emulator's fault injection (503 SERVER_UNAVAILABLE, 400 UNABLE_TO_LOCK_ROW). One app, two users whose tokens sit on
/// different orgs: one org's outage must not cut off the other.
/// </summary>
public sealed class CircuitBreakerTests : IAsyncLifetime
{
    private const string RecordPath = "/services/data/*/sobjects/Account/*";
    private static readonly TimeSpan BreakDuration = TimeSpan.FromMilliseconds(500);

    private SalesforceEmulator _emulatorA = null!;
    private SalesforceEmulator _emulatorB = null!;
    private EmulatorServer _orgA = null!;
    private EmulatorServer _orgB = null!;
    private string _idA = null!;
    private string _idB = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _emulatorA = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = 1_000_000 });
        _emulatorB = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = 1_000_000 });
        _orgA = await _emulatorA.ListenAsync(cancellationToken: Ct);
        _orgB = await _emulatorB.ListenAsync(cancellationToken: Ct);
        await using var provider = await ProviderAsync(_ => { });
        var factory = provider.GetRequiredService<ISalesforceClientFactory>();
        _idA = await factory.ForUser("on-a").SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "A" }, Ct);
        _idB = await factory.ForUser("on-b").SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "B" }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _orgA.DisposeAsync();
        await _orgB.DisposeAsync();
    }

    /// <summary>A host with users "on-a" and "on-b" on the two orgs; no retries, a breaker that opens after two failures of two.</summary>
    private async Task<ServiceProvider> ProviderAsync(Action<SalesforceOptions> configure, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddAtomSalesforce(o =>
        {
            o.ClientId = "emulator-client";
            o.LoginUrl = _orgA.BaseAddress;
            o.Resilience.MaxRetryAttempts = 0;
            o.Resilience.CircuitBreaker.MinimumThroughput = 2;
            o.Resilience.CircuitBreaker.FailureRatio = 0.5;
            o.Resilience.CircuitBreaker.BreakDuration = BreakDuration;
            configure(o);
        });
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        var store = provider.GetRequiredService<ITokenStore>();
        await store.SaveAsync("on-a", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, _emulatorA.InstanceUrl, DateTimeOffset.UtcNow), Ct);
        await store.SaveAsync("on-b", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, _emulatorB.InstanceUrl, DateTimeOffset.UtcNow), Ct);
        return provider;
    }

    private static async Task<SalesforceException> FailsAsync(SalesforceClient client, string id) =>
        await Assert.ThrowsAnyAsync<SalesforceException>(() => client.SObjects.GetAsync<SObject>("Account", id, cancellationToken: Ct));

    [Fact]
    public async Task Transient_failures_of_one_org_open_its_breaker_while_the_other_org_keeps_working()
    {
        await using var provider = await ProviderAsync(_ => { });
        using var meter = new CircuitMeter();
        var factory = provider.GetRequiredService<ISalesforceClientFactory>();
        var a = factory.ForUser("on-a");
        var b = factory.ForUser("on-b");
        _emulatorA.InjectFault(new EmulatorFault(FaultKind.Unavailable, RecordPath) { Count = 100 });

        var first = await FailsAsync(a, _idA);
        var second = await FailsAsync(a, _idA);
        var open = await FailsAsync(a, _idA);
        var fromB = await b.SObjects.GetAsync<SObject>("Account", _idB, cancellationToken: Ct);

        Assert.Equal(SalesforceError.Codes.ServerUnavailable, first.ErrorCode);
        Assert.Equal(SalesforceError.Codes.ServerUnavailable, second.ErrorCode);
        Assert.Equal(SalesforceError.Codes.CircuitOpen, open.ErrorCode);
        Assert.True(open.IsTransient);
        Assert.Contains(_emulatorA.InstanceUrl.Authority, open.Message, StringComparison.Ordinal);
        Assert.Equal("B", fromB["Name"]);
        Assert.Contains(meter.Opened, host => host == _emulatorA.InstanceUrl.Authority);
        Assert.DoesNotContain(meter.Opened, host => host == _emulatorB.InstanceUrl.Authority);
        Assert.Contains(meter.Rejected, host => host == _emulatorA.InstanceUrl.Authority);
    }

    [Fact]
    public async Task After_the_break_a_failed_trial_opens_the_breaker_again_and_a_successful_one_closes_it()
    {
        await using var provider = await ProviderAsync(_ => { });
        var a = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("on-a");
        _emulatorA.InjectFault(new EmulatorFault(FaultKind.Unavailable, RecordPath) { Count = 3 });
        await FailsAsync(a, _idA);
        await FailsAsync(a, _idA);
        Assert.Equal(SalesforceError.Codes.CircuitOpen, (await FailsAsync(a, _idA)).ErrorCode);

        // Half-open: the one trial request meets the third injected 503 and opens the breaker again.
        var trial = await UntilNotOpenAsync(async () =>
        {
            var e = await FailsAsync(a, _idA);
            return e.ErrorCode == SalesforceError.Codes.CircuitOpen ? throw e : e;
        });
        Assert.Equal(SalesforceError.Codes.ServerUnavailable, trial.ErrorCode);
        Assert.Equal(SalesforceError.Codes.CircuitOpen, (await FailsAsync(a, _idA)).ErrorCode);

        // The org has recovered: the next trial succeeds and closes the breaker; calls go through again.
        var recovered = await UntilNotOpenAsync(() => a.SObjects.GetAsync<SObject>("Account", _idA, cancellationToken: Ct));
        var after = await a.SObjects.GetAsync<SObject>("Account", _idA, cancellationToken: Ct);
        Assert.Equal("A", recovered["Name"]);
        Assert.Equal("A", after["Name"]);
    }

    [Fact]
    public async Task Salesforce_business_errors_never_open_the_breaker()
    {
        await using var provider = await ProviderAsync(_ => { });
        var a = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("on-a");
        _emulatorA.InjectFault(new EmulatorFault(FaultKind.UnableToLockRow, RecordPath) { Count = 3, Method = "GET" });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SalesforceError.Codes.UnableToLockRow, (await FailsAsync(a, _idA)).ErrorCode);
        }

        for (var i = 0; i < 3; i++)
        {
            // 404 NOT_FOUND: the org answered; it is the request that is wrong.
            Assert.Equal(SalesforceError.Codes.NotFound, (await FailsAsync(a, "001000000000000AAA")).ErrorCode);
        }

        Assert.Equal("A", (await a.SObjects.GetAsync<SObject>("Account", _idA, cancellationToken: Ct))["Name"]);
    }

    [Fact]
    public async Task Changing_the_retry_count_in_configuration_applies_to_the_next_call_without_a_restart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:ClientId"] = "emulator-client",
            ["Salesforce:LoginUrl"] = _orgA.BaseAddress.ToString(),
            ["Salesforce:Resilience:MaxRetryAttempts"] = "0",
            ["Salesforce:Resilience:BaseDelay"] = "00:00:00.001",
            ["Salesforce:Resilience:MaxDelay"] = "00:00:00.010",
            ["Salesforce:Resilience:CircuitBreaker:Enabled"] = "false",
        }).Build();
        var attempts = new AttemptCounter();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(configuration.GetSection("Salesforce"))
            .ConfigureHttpClient(http => http.AddHttpMessageHandler(() => new AttemptCounter.Handler(attempts)));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync(
            "on-a", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, _emulatorA.InstanceUrl, DateTimeOffset.UtcNow), Ct);
        var a = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("on-a");
        _emulatorA.InjectFault(new EmulatorFault(FaultKind.Unavailable, RecordPath) { Count = 100, RetryAfter = TimeSpan.Zero });

        await FailsAsync(a, _idA);
        var before = attempts.Take();
        configuration["Salesforce:Resilience:MaxRetryAttempts"] = "2";
        configuration.Reload();
        await FailsAsync(a, _idA);
        var after = attempts.Take();

        Assert.Equal(1, before);
        Assert.Equal(3, after);
    }

    /// <summary>Calls until the breaker lets a request through (the break lasts <see cref="BreakDuration"/>); a generous limit.</summary>
    private static async Task<T> UntilNotOpenAsync<T>(Func<Task<T>> call)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return await call();
            }
            catch (SalesforceException e) when (e.ErrorCode == SalesforceError.Codes.CircuitOpen && i < 600)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
            }
        }
    }

    /// <summary>Counts the attempts that reach the network (the handler sits under the SDK's retries).</summary>
    private sealed class AttemptCounter
    {
        private int _count;

        public int Take() => Interlocked.Exchange(ref _count, 0);

        public sealed class Handler(AttemptCounter counter) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.RequestUri!.AbsolutePath.Contains("/sobjects/Account/", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref counter._count);
                }

                return base.SendAsync(request, cancellationToken);
            }
        }
    }

    /// <summary>The breaker's openings and rejections from the SDK's meter, by <c>server.address</c>.</summary>
    private sealed class CircuitMeter : IDisposable
    {
        private readonly MeterListener _listener = new();

        public CircuitMeter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Atom.Salesforce" && instrument.Name.StartsWith("salesforce.client.circuit_breaker.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
            {
                string? host = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "server.address")
                    {
                        host = tag.Value as string;
                    }
                }

                (instrument.Name.EndsWith(".opened", StringComparison.Ordinal) ? Opened : Rejected).Add(host ?? "?");
            });
            _listener.Start();
        }

        public System.Collections.Concurrent.ConcurrentBag<string> Opened { get; } = [];

        public System.Collections.Concurrent.ConcurrentBag<string> Rejected { get; } = [];

        public void Dispose() => _listener.Dispose();
    }
}
