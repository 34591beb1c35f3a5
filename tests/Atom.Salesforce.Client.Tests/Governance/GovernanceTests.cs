using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Governance;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Tests.Governance;

/// <summary>
/// The API governance of one process (AddApiGovernance with the in-memory budget): concurrency caps with a queue (interactive
/// calls first), the queue timeout, the budget that follows Sforce-Limit-Info and /limits and stops background work before
/// interactive work, and the options' validation. The cross-process budget (Redis, PostgreSQL) is in the integration tests.
/// </summary>
public sealed class GovernanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Calls_over_the_concurrency_cap_wait_in_the_queue_and_all_succeed()
    {
        var server = new Server();
        await using var host = new Host(server, o => (o.MaxConcurrentRequests, o.MaxConcurrentBackgroundRequests, o.MaxConcurrentLongRunningRequests) = (3, 3, 3));
        await host.WarmUpAsync(server);

        var calls = Enumerable.Range(0, 12).Select(_ => host.QueryAsync("SELECT Id FROM Account")).ToList();
        await host.WaitForAsync(s => s.InFlight == 3 && s.Queued == 9);
        var arrivedWhileFull = server.Arrivals.Count;
        server.Gate!.SetResult();
        await Task.WhenAll(calls);

        Assert.Equal(3, arrivedWhileFull);
        Assert.Equal(3, server.MaxInFlight);
        Assert.Equal(12, server.Arrivals.Count);
        Assert.Equal(0, host.Status().Refused);
    }

    [Fact]
    public async Task A_call_that_waits_longer_than_the_queue_timeout_fails_with_QUEUE_TIMEOUT_and_is_not_sent()
    {
        var server = new Server();
        await using var host = new Host(server, o =>
        {
            (o.MaxConcurrentRequests, o.MaxConcurrentBackgroundRequests, o.MaxConcurrentLongRunningRequests) = (1, 1, 1);
            o.QueueTimeout = TimeSpan.FromMilliseconds(100);
        });
        await host.WarmUpAsync(server);

        var first = host.QueryAsync("SELECT Id FROM Account");
        await host.WaitForAsync(s => s.InFlight == 1);
        var refused = await Assert.ThrowsAsync<SalesforceException>(() => host.QueryAsync("SELECT Id FROM Contact"));
        server.Gate!.SetResult();
        await first;

        Assert.Equal(SalesforceError.Codes.QueueTimeout, refused.ErrorCode);
        Assert.True(refused.IsTransient);
        Assert.Equal(new[] { "Account" }, server.Arrivals.Select(ObjectOf));
    }

    [Fact]
    public async Task Interactive_calls_leave_the_queue_before_background_calls_that_came_first()
    {
        var server = new Server();
        await using var host = new Host(server, o => (o.MaxConcurrentRequests, o.MaxConcurrentBackgroundRequests, o.MaxConcurrentLongRunningRequests) = (1, 1, 1));
        await host.WarmUpAsync(server);

        var first = host.QueryAsync("SELECT Id FROM Account");
        await host.WaitForAsync(s => s.InFlight == 1);
        var background = host.QueryAsync("SELECT Id FROM Contact", RequestPriority.Background);
        await host.WaitForAsync(s => s.Queued == 1);
        var interactive = host.QueryAsync("SELECT Id FROM Lead", RequestPriority.Interactive);
        await host.WaitForAsync(s => s.Queued == 2);
        server.Gate!.SetResult();
        await Task.WhenAll(first, background, interactive);

        Assert.Equal(new[] { "Account", "Lead", "Contact" }, server.Arrivals.Select(ObjectOf));
    }

    [Fact]
    public async Task Background_work_slows_then_stops_at_its_threshold_and_interactive_calls_go_on_to_the_hard_reserve()
    {
        // Salesforce reports api-usage=N/100 after the N-th call. Defaults: slow below 20 % left, background stops at 5 %,
        // interactive calls at the 1 % hard reserve.
        var server = new Server(limit: 100);
        await using var host = new Host(server, o => o.BackgroundMaxDelay = TimeSpan.FromMilliseconds(1));

        var background = 0;
        var stopped = await Assert.ThrowsAsync<SalesforceException>(async () =>
        {
            while (true)
            {
                await host.QueryAsync("SELECT Id FROM Contact", RequestPriority.Background);
                background++;
            }
        });
        var usedWhenBackgroundStopped = server.Used;
        var slowed = host.Status().Throttled;

        var interactive = 0;
        var reserve = await Assert.ThrowsAsync<SalesforceException>(async () =>
        {
            while (true)
            {
                await host.QueryAsync("SELECT Id FROM Lead");
                interactive++;
            }
        });

        Assert.Equal(SalesforceError.Codes.ApiBudgetExhausted, stopped.ErrorCode);
        Assert.True(stopped.IsTransient);
        Assert.Equal(95, usedWhenBackgroundStopped);
        Assert.Equal(95, background);
        Assert.True(slowed > 0, "background calls below 20 % left are spaced out");
        Assert.Equal(SalesforceError.Codes.ApiBudgetExhausted, reserve.ErrorCode);
        Assert.Equal(4, interactive);
        Assert.Equal(99, server.Used);
        Assert.Equal(2, host.Status().Refused);
    }

    [Fact]
    public async Task The_budget_follows_calls_other_clients_made_and_the_exact_limits_answer()
    {
        var server = new Server(limit: 1000);
        await using var host = new Host(server, _ => { });

        server.Used = 500; // another application used 500 calls
        await host.QueryAsync("SELECT Id FROM Account");
        var afterHeader = host.Status();
        server.LimitsRemaining = 900; // the 24-hour window moved on
        await host.Client.Limits.GetAsync(Ct);
        var afterLimits = host.Status();

        Assert.Equal((501L, 1000L), (afterHeader.Used, afterHeader.Max));
        Assert.Equal((100L, 1000L), (afterLimits.Used, afterLimits.Max));
    }

    [Theory]
    [InlineData(nameof(ApiGovernanceOptions.BackgroundStopThreshold))]
    [InlineData(nameof(ApiGovernanceOptions.InteractiveReserve))]
    [InlineData(nameof(ApiGovernanceOptions.MaxConcurrentRequests))]
    [InlineData(nameof(ApiGovernanceOptions.MaxConcurrentLongRunningRequests))]
    [InlineData(nameof(ApiGovernanceOptions.QueueTimeout))]
    [InlineData(nameof(ApiGovernanceOptions.BackgroundSlowdownThreshold))]
    public void Bad_options_fail_validation_naming_the_option(string option)
    {
        Action<ApiGovernanceOptions> bad = option switch
        {
            nameof(ApiGovernanceOptions.BackgroundStopThreshold) => o => o.BackgroundStopThreshold = 0.5, // above the slowdown threshold
            nameof(ApiGovernanceOptions.InteractiveReserve) => o => o.InteractiveReserve = 0.10, // above the background stop
            nameof(ApiGovernanceOptions.MaxConcurrentRequests) => o => o.MaxConcurrentRequests = 0,
            nameof(ApiGovernanceOptions.MaxConcurrentLongRunningRequests) => o => o.MaxConcurrentLongRunningRequests = 26, // above MaxConcurrentRequests
            nameof(ApiGovernanceOptions.QueueTimeout) => o => o.QueueTimeout = TimeSpan.Zero,
            _ => o => o.BackgroundSlowdownThreshold = 1.5,
        };
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "test").AddApiGovernance(bad);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ApiGovernanceOptions>>().Value);

        Assert.Contains(option, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_in_memory_budget_grants_exactly_the_allocation_to_a_thousand_concurrent_takers()
    {
        var store = new InMemoryApiBudgetStore();
        await store.ObserveAsync("acme.my.salesforce.com", new ApiUsage(100, 600), exact: true, Ct);

        var takes = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () => await store.TryTakeAsync("acme.my.salesforce.com", 0, Ct), Ct)));

        Assert.Equal(500, takes.Count(t => t.Granted));
        Assert.Equal(600, takes.Max(t => t.Used));
    }

    [Fact]
    public async Task Bulk_calls_are_background_by_default_and_other_calls_interactive()
    {
        Assert.Equal(RequestPriority.Background, ApiGovernanceHandler.DefaultPriority("/services/data/v66.0/jobs/ingest/750xx/batches/"));
        Assert.Equal(RequestPriority.Background, ApiGovernanceHandler.DefaultPriority("/services/data/v66.0/jobs/query"));
        Assert.Equal(RequestPriority.Interactive, ApiGovernanceHandler.DefaultPriority("/services/data/v66.0/query"));
        using (RequestPriorityScope.Begin(RequestPriority.Background))
        {
            Assert.Equal(RequestPriority.Background, RequestPriorityScope.Current);
            await Task.Yield();
            Assert.Equal(RequestPriority.Background, RequestPriorityScope.Current);
        }

        Assert.Null(RequestPriorityScope.Current);
    }

    [Fact]
    public async Task Background_stopped_at_its_threshold_resumes_once_limits_shows_the_window_moved_on()
    {
        // Sforce-Limit-Info only ever raises the count: the calls that left the 24-hour window come back only through /limits,
        // which the governance asks itself when nothing else has for LimitsRefreshInterval (here: at once).
        var server = new Server(limit: 100);
        await using var host = new Host(server, o =>
        {
            o.BackgroundMaxDelay = TimeSpan.Zero;
            o.LimitsRefreshInterval = TimeSpan.FromTicks(1);
        });
        var stopped = await Assert.ThrowsAsync<SalesforceException>(async () =>
        {
            while (true)
            {
                await host.QueryAsync("SELECT Id FROM Contact", RequestPriority.Background);
            }
        });
        var usedWhenStopped = server.Used;

        Interlocked.Exchange(ref server.Used, 10); // the window moved on: Salesforce counts 10 calls in the last 24 hours
        await host.QueryAsync("SELECT Id FROM Lead", RequestPriority.Background);

        Assert.Equal(SalesforceError.Codes.ApiBudgetExhausted, stopped.ErrorCode);
        Assert.InRange(usedWhenStopped, 95, 100);
        Assert.Contains("GET /services/data/v66.0/limits", server.Paths);
        Assert.Contains("Lead", server.Arrivals.Select(ObjectOf));
        Assert.InRange(host.Status().Used, 11, 20);
    }

    [Fact]
    public async Task No_limits_call_is_made_while_the_budget_is_above_the_slowdown_threshold()
    {
        var server = new Server(limit: 1000);
        await using var host = new Host(server, o => o.LimitsRefreshInterval = TimeSpan.FromTicks(1));

        for (var i = 0; i < 5; i++)
        {
            await host.QueryAsync("SELECT Id FROM Account", RequestPriority.Background);
        }

        Assert.DoesNotContain(server.Paths, p => p.EndsWith("/limits", StringComparison.Ordinal));
        Assert.Equal(5, server.Used);
    }

    [Fact]
    public async Task A_bulk_job_is_background_unless_its_options_say_interactive()
    {
        // 96 of 100 calls used: background work has stopped (5 % left is kept for interactive calls), interactive calls go on.
        var server = new Server(limit: 100);
        await using var host = new Host(server, _ => { });
        await host.QueryAsync("SELECT Id FROM Account");
        Interlocked.Exchange(ref server.Used, 95);
        await host.QueryAsync("SELECT Id FROM Account");
        server.Paths.Clear();

        var refused = await Assert.ThrowsAnyAsync<SalesforceException>(() => host.Client.Bulk.CreateQueryJobAsync("SELECT Id FROM Account", cancellationToken: Ct));
        var sentWhileBackground = server.Paths.Count;
        try
        {
            // The stand-in answers with a query page, not a job: only what was sent matters here.
            await host.Client.Bulk.CreateQueryJobAsync("SELECT Id FROM Account", new BulkQueryOptions { Priority = RequestPriority.Interactive }, Ct);
        }
        catch (SalesforceException)
        {
        }

        Assert.Equal(SalesforceError.Codes.ApiBudgetExhausted, refused.ErrorCode);
        Assert.Equal(0, sentWhileBackground);
        Assert.Equal(["POST /services/data/v66.0/jobs/query/"], server.Paths);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BulkQueryOptions { Priority = (RequestPriority)7 }.Validate());
    }

    [Fact]
    public void Options_bound_from_configuration_apply_keep_defaults_and_are_validated()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:Governance:MaxConcurrentRequests"] = "7",
            ["Salesforce:Governance:MaxConcurrentBackgroundRequests"] = "3",
            ["Salesforce:Governance:MaxConcurrentLongRunningRequests"] = "2",
            ["Salesforce:Governance:QueueTimeout"] = "00:00:05",
            ["Salesforce:Governance:BackgroundStopThreshold"] = "0.1",
            ["Salesforce:Governance:LimitsRefreshInterval"] = "00:01:00",
            ["Bad:MaxConcurrentBackgroundRequests"] = "30",
        }).Build();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "test").AddApiGovernance(configuration.GetSection("Salesforce:Governance"));
        using var provider = services.BuildServiceProvider();
        var bad = new ServiceCollection();
        bad.AddAtomSalesforce(o => o.ClientId = "test").AddApiGovernance(configuration.GetSection("Bad"));
        using var badProvider = bad.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ApiGovernanceOptions>>().Value;
        var failure = Assert.Throws<OptionsValidationException>(() => badProvider.GetRequiredService<IOptions<ApiGovernanceOptions>>().Value);

        Assert.Equal((7, 3), (options.MaxConcurrentRequests, options.MaxConcurrentBackgroundRequests));
        Assert.Equal(TimeSpan.FromSeconds(5), options.QueueTimeout);
        Assert.Equal(0.1, options.BackgroundStopThreshold);
        Assert.Equal(TimeSpan.FromMinutes(1), options.LimitsRefreshInterval);
        Assert.Equal(0.20, options.BackgroundSlowdownThreshold); // absent: the default
        Assert.Equal(2, options.MaxConcurrentLongRunningRequests);
        Assert.Equal(TimeSpan.FromSeconds(20), options.LongRunningThreshold); // absent: the default
        Assert.Contains(nameof(ApiGovernanceOptions.MaxConcurrentBackgroundRequests), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sforce_Limit_Info_is_parsed_once_per_response_and_reaches_both_the_client_and_the_budget()
    {
        var server = new Server(limit: 1000);
        await using var host = new Host(server, _ => { });
        server.Used = 41;

        await host.QueryAsync("SELECT Id FROM Account");
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = new Atom.Salesforce.Client.Http.SalesforceRequest(HttpMethod.Get, "/services/data/v66.0/limits") };
        response.Headers.TryAddWithoutValidation("Sforce-Limit-Info", "api-usage=7/500; per-app-api-usage=1/50(appName=x)");
        var first = Atom.Salesforce.Client.Http.SforceLimitInfo.TryRead(response, out var parsed);
        response.Headers.Remove("Sforce-Limit-Info");
        var second = Atom.Salesforce.Client.Http.SforceLimitInfo.TryRead(response, out var again);

        Assert.Equal(new ApiUsage(42, 1000), host.Client.ApiUsage);
        Assert.Equal((42L, 1000L), (host.Status().Used, host.Status().Max));
        Assert.True(first && second);
        Assert.Equal(new ApiUsage(7, 500), parsed);
        Assert.Equal(parsed, again); // from the request, not parsed again
    }

    private static string ObjectOf(string soql) => soql[(soql.LastIndexOf(' ') + 1)..];

    /// <summary>A Salesforce stand-in: counts calls as an org does, reports them in Sforce-Limit-Info, and holds each call until released.</summary>
    private sealed class Server(long limit = 15000) : HttpMessageHandler
    {
        private int _inFlight;

        /// <summary>While set, every call waits for it.</summary>
        public TaskCompletionSource? Gate { get; set; }

        public ConcurrentQueue<string> Arrivals { get; } = new();

        /// <summary>Every request as "METHOD /path", the ones refused for the limit included.</summary>
        public ConcurrentQueue<string> Paths { get; } = new();

        public int MaxInFlight;

        public long Used;

        public long? LimitsRemaining { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Paths.Enqueue(request.Method.Method + " " + request.RequestUri!.AbsolutePath);
            var used = Interlocked.Increment(ref Used);
            if (used > limit)
            {
                return new HttpResponseMessage(HttpStatusCode.Forbidden)
                {
                    Content = new StringContent("""[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""", Encoding.UTF8, "application/json"),
                };
            }

            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref MaxInFlight, now);
            var query = request.RequestUri!.Query;
            if (query.StartsWith("?q=", StringComparison.Ordinal))
            {
                Arrivals.Enqueue(Uri.UnescapeDataString(query[3..]).Replace('+', ' '));
            }

            try
            {
                if (Gate is { } gate)
                {
                    await gate.Task.WaitAsync(cancellationToken);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }

            var body = request.RequestUri.AbsolutePath.TrimEnd('/').EndsWith("/limits", StringComparison.Ordinal)
                ? "{\"DailyApiRequests\":{\"Max\":" + limit + ",\"Remaining\":" + (LimitsRemaining ?? (limit - used)) + "}}"
                : """{"totalSize":0,"done":true,"records":[]}""";
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            response.Headers.TryAddWithoutValidation("Sforce-Limit-Info", $"api-usage={Interlocked.Read(ref Used)}/{limit}");
            return response;
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    private sealed class Host : IAsyncDisposable
    {
        private readonly ServiceProvider _provider;

        public Host(Server server, Action<ApiGovernanceOptions> configure)
        {
            var services = new ServiceCollection();
            services.AddAtomSalesforce(o =>
                {
                    o.ClientId = "test-client-id";
                    o.Resilience.MaxRetryAttempts = 0;
                })
                .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => server))
                .AddApiGovernance(configure);
            _provider = services.BuildServiceProvider();
            _provider.GetRequiredService<ITokenStore>().SaveAsync(SalesforceTestHost.UserId, SalesforceTestHost.Token()).GetAwaiter().GetResult();
            Client = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser(SalesforceTestHost.UserId);
            Governor = _provider.GetRequiredService<ApiGovernor>();
        }

        public SalesforceClient Client { get; }

        public ApiGovernor Governor { get; }

        public async Task QueryAsync(string soql, RequestPriority? priority = null)
        {
            await foreach (var _ in Client.Query.QueryAsync<SObject>(soql, new QueryOptions { Priority = priority }, Ct))
            {
            }
        }

        /// <summary>
        /// One call answered, so that the org's allocation is known (until then calls go one at a time), then every later
        /// call is held until the test opens the gate.
        /// </summary>
        public async Task WarmUpAsync(Server server)
        {
            await QueryAsync("SELECT Id FROM Opportunity");
            server.Arrivals.Clear();
            server.MaxInFlight = 0;
            server.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public ApiGovernanceStatus Status() => Assert.Single(Governor.GetStatus());

        /// <summary>Waits (generously) until the org's status satisfies <paramref name="condition"/>.</summary>
        public async Task WaitForAsync(Func<ApiGovernanceStatus, bool> condition)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            while (!(Governor.GetStatus() is [var status] && condition(status)))
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        public ValueTask DisposeAsync() => _provider.DisposeAsync();
    }
}
