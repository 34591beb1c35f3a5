using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Streaming;
using Atom.Salesforce.Client.Streaming.Consumer;
using Atom.Salesforce.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// Change → handler latency through the emulator (issue 18), at a fixed rate of changes per second. BenchmarkDotNet measures
/// how long an operation takes when it is called in a loop; it cannot hold an open-loop arrival rate and report percentiles
/// of a delay measured across two parties, so this is a harness of its own (<c>./build.sh bench latency</c>).
/// <para>
/// One process: the emulator with its Pub/Sub API served over Kestrel on loopback (h2c), and an app with the SDK's hosted
/// consumer (<c>AddAtomSalesforceChangeEvents</c>, one handler for Account, the memory replay store: the replay id is
/// committed after each handler), subscribed through the Pub/Sub client like any app. The producer creates one Account per
/// change with a REST call through the emulator's in-process handler (<see cref="SalesforceEmulator.CreateHandler"/>: the
/// org commits and publishes as over HTTP, without a loopback HTTP/1.1 round trip that would compete for the same two
/// cores), each started at its scheduled time (i / rate, open loop: a slow change does not delay the next one's start).
/// The latency of a change is from just before its REST create is sent to the moment the handler is called with its
/// change event (change capture, the event bus, the gRPC stream, the Avro decode, the consumer); the handler does
/// nothing else.
/// </para>
/// </summary>
internal static class ChangeLatencyHarness
{
    private const string UserId = "latency-user";
    private const string OrgId = "00DHs0000000001MAA";

    public static async Task<int> RunAsync(string[] args)
    {
        var rates = new[] { 1, 100, 1_000 };
        var seconds = new Dictionary<int, double> { [1] = 60, [100] = 20, [1_000] = 10 };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rates":
                    rates = [.. args[++i].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture))];
                    break;
                case "--seconds":
                    var s = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    foreach (var rate in rates)
                    {
                        seconds[rate] = s;
                    }

                    break;
            }
        }

        var emulator = new SalesforceEmulator();
        await using var server = await emulator.ListenAsync();
        var recorder = new LatencyRecorder();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(recorder);
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "latency-harness";
                o.LoginUrl = server.BaseAddress;
            })
            .AddPubSub(o => o.Endpoint = server.PubSubAddress!);
        services.AddAtomSalesforceChangeEvents(o => o.UserId = UserId).AddHandler<AccountName, RecordingHandler>("Account");
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync(UserId, new SalesforceToken(emulator.Options.AccessToken!, server.BaseAddress, DateTimeOffset.UtcNow)
        {
            IdentityUrl = new Uri(server.BaseAddress, $"/id/{OrgId}/005Hs00000000001AAA"),
        });
        provider.GetRequiredService<IStartupValidator>().Validate();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        using var client = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", emulator.Options.AccessToken);
        Console.WriteLine($"// change → handler latency through the emulator; {Environment.ProcessorCount} CPUs, load average {LoadAverage()}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, .NET {Environment.Version}");

        // Warm-up: the subscription starts at the newest event, so changes are made until the handler sees one, then 200
        // more at 100/s (JIT, connection pools, the stream's first batches).
        var warm = 0;
        while (recorder.Seen == 0)
        {
            await CreateAsync(client, recorder, $"warm-{warm++}");
            await Task.Delay(50);
        }

        await RunPhaseAsync(client, recorder, rate: 100, TimeSpan.FromSeconds(2), "warm-up");

        Console.WriteLine("| Rate (changes/s) | Changes | Achieved rate | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var rate in rates)
        {
            var (latencies, achieved) = await RunPhaseAsync(client, recorder, rate, TimeSpan.FromSeconds(seconds.GetValueOrDefault(rate, 10)), $"r{rate}");
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {rate:N0} | {latencies.Length:N0} | {achieved:N0}/s | {Percentile(latencies, 0.50):F2} | {Percentile(latencies, 0.90):F2} | {Percentile(latencies, 0.99):F2} | {latencies[^1]:F2} |"));
        }

        Console.WriteLine($"// load average after the run {LoadAverage()}");
        foreach (var service in Enumerable.Reverse(hosted))
        {
            await service.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    /// <summary>Makes <paramref name="rate"/> changes a second for <paramref name="duration"/>, then waits for every one to reach the handler.</summary>
    private static async Task<(double[] Latencies, double Achieved)> RunPhaseAsync(
        HttpClient client, LatencyRecorder recorder, int rate, TimeSpan duration, string phase)
    {
        var count = Math.Max(1, (int)(rate * duration.TotalSeconds));
        var names = Enumerable.Range(0, count).Select(i => $"{phase}-{i}").ToArray();
        var pending = new List<Task>(count);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)rate);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            pending.Add(CreateAsync(client, recorder, names[i]));
        }

        await Task.WhenAll(pending);
        var sent = Stopwatch.GetElapsedTime(start);
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 60);
        while (!names.All(recorder.Received.ContainsKey))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Phase {phase}: {names.Count(n => !recorder.Received.ContainsKey(n))} changes never reached the handler.");
            }

            await Task.Delay(10);
        }

        var latencies = names.Select(n => Stopwatch.GetElapsedTime(recorder.Sent[n], recorder.Received[n]).TotalMilliseconds).Order().ToArray();
        return (latencies, count / sent.TotalSeconds);
    }

    private static async Task CreateAsync(HttpClient client, LatencyRecorder recorder, string name)
    {
        recorder.Sent[name] = Stopwatch.GetTimestamp();
        using var response = await client.PostAsJsonAsync("/services/data/v66.0/sobjects/Account", new Dictionary<string, string> { ["Name"] = name });
        response.EnsureSuccessStatusCode();
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    internal sealed class LatencyRecorder
    {
        private int _seen;

        public ConcurrentDictionary<string, long> Sent { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, long> Received { get; } = new(StringComparer.Ordinal);

        public int Seen => Volatile.Read(ref _seen);

        public void Record(string name)
        {
            var now = Stopwatch.GetTimestamp();
            Received.TryAdd(name, now);
            Interlocked.Increment(ref _seen);
        }
    }

    internal sealed class AccountName
    {
        public string? Name { get; init; }
    }

    internal sealed class RecordingHandler(LatencyRecorder recorder) : IChangeEventHandler<AccountName>
    {
        public Task HandleAsync(ChangeEvent<AccountName> change, ChangeEventContext context, CancellationToken cancellationToken = default)
        {
            if (change.Record.Name is { } name)
            {
                recorder.Record(name);
            }

            return Task.CompletedTask;
        }
    }
}
