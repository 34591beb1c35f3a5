using System.Diagnostics;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// Where a Bulk API 2.0 ingest's wall time goes (<c>dotnet run -c Release -- bulkphases [rows] [rounds]</c>): each request of the
/// job (create, upload, close, polls, result files) timed from the client's side, and the waits between them, against the
/// emulator served by Kestrel on loopback; then the collections route of the same rows, alternately, a new org each round.
/// Not a BenchmarkDotNet benchmark (it names phases, it does not measure a method); the figures go with the
/// <c>SaveRouteThresholdBenchmarks</c> ones in benchmarks/README.md.
/// </summary>
public static class BulkPhasesHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 6;
        var data = Enumerable.Range(0, rows).Select(i => new AccountRow { Name = "Account " + i, Industry = "Media", AnnualRevenue = 1000 + i, BillingCity = "Springfield, IL" }).ToList();
        var bulk = new List<double>();
        var collections = new List<double>();
        var bulkCpu = new List<double>();
        var collectionsCpu = new List<double>();
        for (var round = 0; round < rounds + 1; round++)
        {
            foreach (var route in new[] { "bulk", "collections" })
            {
                var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = 10_000_000 });
                var server = await emulator.ListenAsync();
                var log = new List<(string What, double Start, double End)>();
                var clock = Stopwatch.StartNew();
                var services = new ServiceCollection();
                services.AddAtomSalesforce(o =>
                {
                    o.ClientId = "bench";
                    o.LoginUrl = server.BaseAddress;
                }).ConfigureHttpClient(b => b.AddHttpMessageHandler(() => new TimingHandler(log, clock)));
                await using var provider = services.BuildServiceProvider();
                await provider.GetRequiredService<ITokenStore>().SaveAsync("bench", new SalesforceToken(emulator.Options.AccessToken!, server.BaseAddress, DateTimeOffset.UtcNow));
                var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("bench");
                await client.Limits.GetAsync();
                var before = emulator.Usage.Used;
                log.Clear();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var start = clock.Elapsed.TotalMilliseconds;
                var saved = route == "bulk"
                    ? (await client.Bulk.IngestAsync("Account", SaveOperation.Insert, data)).SuccessCount
                    : (await client.Composite.Collections.CreateAsync("Account", data)).Count(r => r.Success);
                var total = clock.Elapsed.TotalMilliseconds - start;
                var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                if (saved != rows)
                {
                    throw new InvalidOperationException($"Saved {saved} of {rows}.");
                }

                if (round > 0)
                {
                    (route == "bulk" ? bulk : collections).Add(total);
                    (route == "bulk" ? bulkCpu : collectionsCpu).Add(cpuMs);
                }

                Console.WriteLine($"{(round == 0 ? "warm-up " : string.Empty)}{route}: {total:F0} ms ({cpuMs:F0} ms of CPU, both sides), {emulator.Usage.Used - before} API calls");
                if (route == "bulk")
                {
                    var last = start;
                    foreach (var (what, s, e) in log)
                    {
                        Console.WriteLine($"    {s - last,6:F0} ms before, {e - s,6:F0} ms  {what}");
                        last = e;
                    }

                    Console.WriteLine($"    {start + total - last,6:F0} ms after the last response");
                }

                await server.DisposeAsync();
            }
        }

        bulk.Sort();
        collections.Sort();
        bulkCpu.Sort();
        collectionsCpu.Sort();
        Console.WriteLine($"median of {rounds}: bulk {bulk[rounds / 2]:F0} ms, collections {collections[rounds / 2]:F0} ms, ratio {bulk[rounds / 2] / collections[rounds / 2]:F2}; "
            + $"CPU (client and emulator): bulk {bulkCpu[rounds / 2]:F0} ms, collections {collectionsCpu[rounds / 2]:F0} ms, ratio {bulkCpu[rounds / 2] / collectionsCpu[rounds / 2]:F2}; "
            + $"best: bulk {bulk[0]:F0} ms, collections {collections[0]:F0} ms; load {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private sealed class TimingHandler(List<(string What, double Start, double End)> log, Stopwatch clock) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var start = clock.Elapsed.TotalMilliseconds;
            var response = await base.SendAsync(request, cancellationToken);
            lock (log)
            {
                log.Add(($"{request.Method} {request.RequestUri?.AbsolutePath}", start, clock.Elapsed.TotalMilliseconds));
            }

            return response;
        }
    }
}
