using System.Net;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Analytics.Tests.Infrastructure;

/// <summary>
/// The emulator's demo org (scale 0.1, clock standing at 2026-11-24 12:00 UTC) wired to the SDK in-process, as an
/// application would wire a real org, counting the API calls that reach it. <see cref="HideOpportunityStage"/> makes it
/// answer like an org without OpportunityStage. <see cref="Shared"/> is one demo org for the tests that only read.
/// </summary>
internal sealed class DemoOrg : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<Task<DemoOrg>> SharedOrg = new(() => OpenAsync(CancellationToken.None));

    private readonly ServiceProvider _provider;
    private readonly CountingHandler _counter;

    private DemoOrg(ServiceProvider provider, CountingHandler counter, SalesforceClient client, SalesforceEmulator emulator, FakeTimeProvider time)
    {
        _provider = provider;
        _counter = counter;
        Client = client;
        Emulator = emulator;
        Time = time;
    }

    /// <summary>A demo org shared by every test that only reads; never write to it, and do not count its calls.</summary>
    public static Task<DemoOrg> Shared => SharedOrg.Value;

    public SalesforceClient Client { get; }

    public SalesforceEmulator Emulator { get; }

    /// <summary>The fake clock both the emulator and the SDK read.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The container the SDK and the analytics were registered in.</summary>
    public IServiceProvider Services => _provider;

    /// <summary>Requests to the REST API (<c>/services/data/...</c>) since the org was opened or <see cref="ResetCalls"/>.</summary>
    public int ApiCalls => _counter.Calls;

    /// <summary>The SOQL of every query request, in order.</summary>
    public IReadOnlyList<string> Queries => _counter.Queries;

    /// <summary>Method and path (without a trailing slash) of every API request, in order: <c>POST /services/data/v65.0/jobs/query</c>.</summary>
    public IReadOnlyList<string> Requests => _counter.Requests;

    public bool HideOpportunityStage
    {
        get => _counter.HideOpportunityStage;
        set => _counter.HideOpportunityStage = value;
    }

    public void ResetCalls() => _counter.Reset();

    /// <summary>The API calls the org itself has counted (<c>GET /__emulator/stats</c>, which is not one).</summary>
    public async Task<int> OrgApiUsageAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient(Emulator.CreateHandler());
        using var stats = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(Emulator.InstanceUrl, "/__emulator/stats"), cancellationToken));
        return stats.RootElement.GetProperty("apiUsage").GetInt32();
    }

    /// <summary>Opens the demo org, or an empty org when <paramref name="demoData"/> is false.</summary>
    public static async Task<DemoOrg> OpenAsync(CancellationToken cancellationToken, bool demoData = true)
    {
        var clock = new FakeTimeProvider(Now);
        var emulator = new SalesforceEmulator(new() { TimeProvider = clock, DemoData = demoData ? new DemoDataOptions { Scale = 0.1 } : null });
        var counter = new CountingHandler(emulator.CreateHandler());
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.LoginUrl = emulator.InstanceUrl;
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => counter))
            .AddAnalytics();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("user-1", new SalesforceToken(emulator.Options.AccessToken!, emulator.InstanceUrl, Now.AddHours(1)), cancellationToken);
        var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("user-1");
        return new DemoOrg(provider, counter, client, emulator, clock);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly List<string> _queries = [];
        private readonly List<string> _requests = [];
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public IReadOnlyList<string> Queries
        {
            get
            {
                lock (_queries)
                {
                    return [.. _queries];
                }
            }
        }

        public IReadOnlyList<string> Requests
        {
            get
            {
                lock (_queries)
                {
                    return [.. _requests];
                }
            }
        }

        public bool HideOpportunityStage { get; set; }

        public void Reset()
        {
            Interlocked.Exchange(ref _calls, 0);
            lock (_queries)
            {
                _queries.Clear();
                _requests.Clear();
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path.StartsWith("/services/data/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _calls);
                lock (_queries)
                {
                    _requests.Add($"{request.Method} {path.TrimEnd('/')}");
                }
            }

            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query)["q"];
            if (query is not null)
            {
                lock (_queries)
                {
                    _queries.Add(query);
                }

                if (HideOpportunityStage && query.Contains("FROM OpportunityStage", StringComparison.Ordinal))
                {
                    // What an org answers for an object it does not expose.
                    return Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest)
                    {
                        Content = new StringContent(
                            """[{"message":"sObject type 'OpportunityStage' is not supported.","errorCode":"INVALID_TYPE"}]""", Encoding.UTF8, "application/json"),
                    });
                }
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
