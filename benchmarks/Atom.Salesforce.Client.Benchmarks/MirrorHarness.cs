using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Mirror;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Demo;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// The PostgreSQL mirror's figures (issue 19), <c>./build.sh bench mirror</c>: the initial load of an emulator org (rows/s,
/// API calls, the writer's peak memory) and the change → mirror row lag at fixed rates of changes per second. Like
/// <see cref="ChangeLatencyHarness"/> it is a harness of its own (open-loop rates, a delay measured across processes).
/// <para>
/// The emulator (REST, Bulk API 2.0, Pub/Sub over Kestrel on loopback) runs in this process; the mirror's writer runs in a
/// child process (this program with <c>mirror-writer</c>), so that its peak resident memory (<c>VmHWM</c>) is its own, not the
/// emulator's org. The database is ATOM_TEST_PG; each run writes a fresh schema and drops it.
/// </para>
/// <para>
/// Lag: the producer creates one Account per change through the emulator's in-process handler, each started at its scheduled
/// time (i / rate); a trigger on the mirror's account table calls <c>pg_notify</c> with the new row's name, and PostgreSQL
/// delivers the notification when the writer's transaction commits. The lag of a change is from just before its REST create
/// to the notification's arrival here: change capture, the event bus, the gRPC stream, the Avro decode, the writer's
/// transaction (row and replay id) and its commit.
/// </para>
/// </summary>
internal static class MirrorHarness
{
    private const string UserId = "mirror-bench";
    private const string OrgId = "00DHs0000000001MAA";
    private const string WriterArgument = "mirror-writer";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == WriterArgument)
        {
            return await WriterAsync(args);
        }

        var connectionString = Environment.GetEnvironmentVariable("ATOM_TEST_PG");
        if (string.IsNullOrEmpty(connectionString))
        {
            Console.Error.WriteLine("ATOM_TEST_PG (an Npgsql connection string) is required: the mirror writes to PostgreSQL.");
            return 2;
        }

        var rates = new[] { 100, 1_000 };
        var seconds = 10.0;
        var scales = new List<double>();
        var opportunities = new List<int>();
        var historyPerOpportunity = 5;
        var lag = true;
        var report = false;
        var keep = false;
        string? reportSchema = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rates":
                    rates = [.. args[++i].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture))];
                    break;
                case "--seconds":
                    seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--scales":
                    scales.AddRange(args[++i].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)));
                    break;
                case "--opportunities":
                    opportunities.AddRange(args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
                    break;
                case "--history":
                    historyPerOpportunity = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--no-lag":
                    lag = false;
                    break;
                case "--report":
                    report = true;
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--report-schema":
                    reportSchema = args[++i];
                    break;
            }
        }

        if (scales.Count == 0 && opportunities.Count == 0 && reportSchema is null && !args.Contains("--no-load"))
        {
            scales.Add(20);
        }

        Console.WriteLine($"// the PostgreSQL mirror against the emulator; {Environment.ProcessorCount} CPUs, load average {LoadAverage()}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, .NET {Environment.Version}");
        if (scales.Count + opportunities.Count > 0)
        {
            Console.WriteLine("| Org | Rows | Load (s) | Rows/s | API calls | Bulk result pages | Writer peak RSS (MB) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var scale in scales)
            {
                await LoadAsync(connectionString, $"demo scale {scale:G}", new SalesforceEmulatorOptions { DemoData = new DemoDataOptions { Scale = scale } }, null, keep: false, report: false);
            }

            foreach (var count in opportunities)
            {
                await LoadAsync(
                    connectionString,
                    $"{count:N0} opportunities, {count * historyPerOpportunity:N0} history rows (generated)",
                    new SalesforceEmulatorOptions(),
                    org => GenerateOpportunities(org, count, historyPerOpportunity),
                    keep,
                    report);
            }
        }

        if (reportSchema is not null)
        {
            await ReportAsync(connectionString, reportSchema);
        }

        if (lag)
        {
            await LagAsync(connectionString, rates, seconds);
        }

        Console.WriteLine($"// load average after the run {LoadAverage()}");
        return 0;
    }

    /// <summary>The initial load of the analytics objects (the mirror's default) from a fresh org, timed from the writer's start to the last object loaded.</summary>
    private static async Task LoadAsync(string connectionString, string label, SalesforceEmulatorOptions options, Action<SalesforceEmulator>? seed, bool keep, bool report)
    {
        var emulator = new SalesforceEmulator(options);
        var seeding = Stopwatch.GetTimestamp();
        seed?.Invoke(emulator);
        if (seed is not null)
        {
            Console.WriteLine($"// {label}: org prepared in {Stopwatch.GetElapsedTime(seeding).TotalSeconds:F1} s; harness working set {Environment.WorkingSet / 1048576} MB");
        }

        await using var server = await emulator.ListenAsync();
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..16];
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            var callsBefore = emulator.Usage.Used;
            var started = Stopwatch.GetTimestamp();
            using var writer = StartWriter(connectionString, server, emulator, schema, changeEvents: false);
            var objects = MirrorOptions.AnalyticsObjects.Count;
            while (await CountAsync(dataSource, $"SELECT count(*) FROM \"{schema}\"._mirror_state WHERE phase = 'loaded'") < objects)
            {
                if (writer.HasExited)
                {
                    throw new InvalidOperationException($"The writer exited: {await writer.StandardError.ReadToEndAsync()}");
                }

                await Task.Delay(100);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var (peak, pages) = await StopWriterAsync(writer);
            var rows = await CountAsync(dataSource, $"SELECT coalesce(sum(rows_loaded), 0) FROM \"{schema}\"._mirror_state");
            var calls = emulator.Usage.Used - callsBefore;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {label} | {rows:N0} | {elapsed.TotalSeconds:F1} | {rows / elapsed.TotalSeconds:N0} | {calls:N0} | {pages} | {peak / 1048576.0:F0} |"));
            foreach (var line in await RowCountsAsync(dataSource, schema))
            {
                Console.WriteLine("//   " + line);
            }

            if (report)
            {
                await server.DisposeAsync();
                await ReportAsync(connectionString, schema);
            }
        }
        finally
        {
            if (keep)
            {
                Console.WriteLine($"// kept schema {schema} (--report-schema {schema}; drop it with DROP SCHEMA \"{schema}\" CASCADE)");
            }
            else
            {
                await DropAsync(dataSource, schema);
            }
        }
    }

    /// <summary>
    /// The pipeline report from the mirror in <paramref name="schema"/>, in this process: cold (the first call reads the
    /// opportunities and their history from PostgreSQL and builds the set), warm (the same report again: the set is reused while
    /// the mirror's state shows no change to the objects it read), and the same report over the set already in memory
    /// (<see cref="Analytics.Pipeline.PipelineAnalytics.Analyze"/>, what the analytics do after an in-memory load), each a median
    /// of several calls but the cold one (one call each: a second would be warm).
    /// </summary>
    private static async Task ReportAsync(string connectionString, string schema)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "mirror-bench")
            .AddAtomSalesforceMirror(o =>
            {
                o.ConnectionString = connectionString;
                o.UserId = UserId;
                o.Schema = schema;
                o.RunWriter = false;
            });
        var provider = services.BuildServiceProvider();
        var source = provider.GetRequiredService<Analytics.Data.ISalesDataSource>();
        var analytics = new Analytics.Pipeline.PipelineAnalytics();
        var query = new Analytics.Pipeline.PipelineQuery { GroupBy = Analytics.Pipeline.PipelineDimension.Stage };

        static (double Ms, double AllocatedMb) Measure(long started, long allocated) =>
            (Stopwatch.GetElapsedTime(started).TotalMilliseconds, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0);

        GC.Collect();
        var workingSetBefore = Environment.WorkingSet;
        var t0 = Stopwatch.GetTimestamp();
        var a0 = GC.GetTotalAllocatedBytes(precise: true);
        var cold = await analytics.AnalyzeAsync(source, query);
        var (coldMs, coldMb) = Measure(t0, a0);
        GC.Collect();
        var retained = GC.GetTotalMemory(forceFullCollection: true);
        var fragmented = GC.GetGCMemoryInfo().FragmentedBytes;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;

        var warm = new List<(double Ms, double Mb)>();
        for (var i = 0; i < 7; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var a = GC.GetTotalAllocatedBytes(precise: true);
            var report = await analytics.AnalyzeAsync(source, query);
            warm.Add(Measure(t, a));
            if (report.Count != cold.Count)
            {
                throw new InvalidOperationException($"The warm report counts {report.Count} deals, the cold one {cold.Count}.");
            }
        }

        var set = await source.LoadOpportunitiesAsync();
        var memory = new List<(double Ms, double Mb)>();
        for (var i = 0; i < 7; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var a = GC.GetTotalAllocatedBytes(precise: true);
            var report = analytics.Analyze(set, query);
            memory.Add(Measure(t, a));
            if (report.Count != cold.Count)
            {
                throw new InvalidOperationException($"The in-memory report counts {report.Count} deals, the mirror's {cold.Count}.");
            }
        }

        static (double Ms, double Mb) Median(List<(double Ms, double Mb)> runs) => runs.OrderBy(r => r.Ms).ElementAt(runs.Count / 2);
        var (warmMs, warmMb) = Median(warm);
        var (memoryMs, memoryMb) = Median(memory);
        Console.WriteLine($"// pipeline report (group by stage) from the mirror: {cold.Count:N0} deals, {set.HistoryCount:N0} history rows; load average {LoadAverage()}");
        Console.WriteLine("| Pipeline report | Time (ms) | Allocated (MB) | Ratio to in-memory (time) |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| in memory: `Analyze` over the set already loaded (median of 7) | {memoryMs:F1} | {memoryMb:F2} | 1.00 |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| warm: from the mirror, set cached, state unchanged (median of 7) | {warmMs:F1} | {warmMb:F2} | {warmMs / memoryMs:F2} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| cold: from the mirror, read from PostgreSQL (1 call) | {coldMs:F0} | {coldMb:F0} | {coldMs / memoryMs:F0} |"));
        // What holds the heap: the same measure once the data source (its kept reads) and the set are dropped.
        var count = set.Count;
        set = null;
        source = null;
        await provider.DisposeAsync();
        provider = null;
        GC.Collect();
        var withoutSource = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// harness process: working set {workingSetBefore / 1048576} MB before the cold call, peak {peak / 1048576} MB; managed heap after it {retained / 1048576} MB"
            + $" (fragmentation {fragmented / 1048576} MB, not counted), {withoutSource / 1048576} MB once the data source and its kept set ({count:N0} deals) are dropped");
    }

    private static async Task<List<string>> RowCountsAsync(NpgsqlDataSource dataSource, string schema)
    {
        var lines = new List<string>();
        await using var command = dataSource.CreateCommand($"SELECT object, rows_loaded, pages_loaded FROM \"{schema}\"._mirror_state ORDER BY rows_loaded DESC");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)}: {reader.GetInt64(1):N0} rows, {reader.GetInt32(2)} pages"));
        }

        return lines;
    }

    /// <summary>
    /// <paramref name="count"/> opportunities (one account per 10) with <paramref name="history"/> stage history rows each, made
    /// when the mirror's Bulk query jobs read them rather than held by the emulator (<c>Org.AddGenerated</c>): nine template
    /// deals are written by the org itself (created at Prospecting, then <paramref name="history"/> − 1 stage and amount
    /// updates, its history rows written by the org's trigger) and deal i is a copy of template i % 9 under its own id, name,
    /// account, dates (created i seconds after the first) and close date; its history rows are copies of the template's. The
    /// templates (1 account, 9 deals, their history) are ordinary records and are loaded too.
    /// </summary>
    private static void GenerateOpportunities(SalesforceEmulator emulator, int count, int history)
    {
        var org = emulator.Org;
        var stages = new[] { "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won" };
        var start = org.Now.AddYears(-1);
        const int Templates = 9;
        const long Base = 1_000_000_000_000;
        var account = org.Find(org.Seed("Account", new Dictionary<string, object?> { ["Name"] = "Account template" }, start))!;
        var deals = new StoredRecord[Templates];
        var rows = new StoredRecord[Templates][];
        var historyObject = org.Schema.Find("OpportunityHistory")!;
        for (var t = 0; t < Templates; t++)
        {
            var id = org.Seed("Opportunity", new Dictionary<string, object?>
            {
                ["Name"] = $"Deal template {t}", ["AccountId"] = account.Id, ["StageName"] = stages[0], ["Amount"] = 1000m + (t * 250), ["CloseDate"] = DateOnly.FromDateTime(start.AddDays(60).UtcDateTime),
            }, start);
            for (var h = 1; h < history; h++)
            {
                org.SeedUpdate("Opportunity", id, new Dictionary<string, object?> { ["StageName"] = stages[(t + h) % stages.Length], ["Amount"] = 1000m + (t * 250) + (h * 100) }, start.AddMinutes(h));
            }

            deals[t] = org.Find(id)!;
            rows[t] = [.. org.Records(historyObject).Where(r => Equals(r["OpportunityId"], id)).OrderBy(r => (DateTimeOffset)r["CreatedDate"]!)];
            if (rows[t].Length != history)
            {
                throw new InvalidOperationException($"Template {t} has {rows[t].Length} history rows, not {history}.");
            }
        }

        string AccountId(int j) => RecordIds.Create(account.Schema.KeyPrefix, Base + j);
        string DealId(int i) => RecordIds.Create(deals[0].Schema.KeyPrefix, Base + i);
        DateOnly Close(int i) => DateOnly.FromDateTime(start.AddSeconds(i).AddDays(60).UtcDateTime);
        static StoredRecord Shifted(StoredRecord template, string id, TimeSpan by)
        {
            var copy = template.CopyAs(id);
            foreach (var (field, value) in template.Values)
            {
                if (value is DateTimeOffset at)
                {
                    copy[field] = at + by;
                }
            }

            return copy;
        }

        org.AddGenerated("Account", (count + 9) / 10, j =>
        {
            var copy = Shifted(account, AccountId(j), TimeSpan.FromSeconds(j * 10));
            copy["Name"] = $"Account {j}";
            return copy;
        });
        org.AddGenerated("Opportunity", count, i =>
        {
            var copy = Shifted(deals[i % Templates], DealId(i), TimeSpan.FromSeconds(i));
            var close = Close(i);
            copy["Name"] = $"Deal {i}";
            copy["AccountId"] = AccountId(i / 10);
            copy["CloseDate"] = close;
            copy["FiscalYear"] = (decimal)close.Year;
            copy["FiscalQuarter"] = (decimal)(((close.Month - 1) / 3) + 1);
            return copy;
        });
        org.AddGenerated("OpportunityHistory", count * history, k =>
        {
            var (i, h) = Math.DivRem(k, history);
            var copy = Shifted(rows[i % Templates][h], RecordIds.Create(historyObject.KeyPrefix, Base + k), TimeSpan.FromSeconds(i));
            copy["OpportunityId"] = DealId(i);
            copy["CloseDate"] = Close(i);
            if (copy["PrevCloseDate"] is not null)
            {
                copy["PrevCloseDate"] = Close(i);
            }

            return copy;
        });
    }

    /// <summary>Change → mirror row lag at each rate, against a writer that has loaded an empty org and follows Account's change events.</summary>
    private static async Task LagAsync(string connectionString, int[] rates, double seconds)
    {
        var emulator = new SalesforceEmulator();
        await using var server = await emulator.ListenAsync();
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..16];
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            using var writer = StartWriter(connectionString, server, emulator, schema, changeEvents: true, objects: "Account");
            while (await CountAsync(dataSource, $"SELECT count(*) FROM \"{schema}\"._mirror_state WHERE phase = 'loaded' AND last_synced_at IS NOT NULL") < 1)
            {
                await Task.Delay(100);
            }

            await using (var trigger = dataSource.CreateCommand($"""
                CREATE FUNCTION "{schema}".notify_lag() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('{schema}', NEW.name); RETURN NEW; END $$;
                CREATE TRIGGER notify_lag AFTER INSERT ON "{schema}".account FOR EACH ROW EXECUTE FUNCTION "{schema}".notify_lag();
                """))
            {
                await trigger.ExecuteNonQueryAsync();
            }

            var received = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            await using var listener = await dataSource.OpenConnectionAsync();
            listener.Notification += (_, e) => received.TryAdd(e.Payload, Stopwatch.GetTimestamp());
            await using (var listen = new NpgsqlCommand($"LISTEN \"{schema}\"", listener))
            {
                await listen.ExecuteNonQueryAsync();
            }

            using var stopListening = new CancellationTokenSource();
            var listening = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        await listener.WaitAsync(stopListening.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });

            using var client = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
            client.DefaultRequestHeaders.Authorization = new("Bearer", emulator.Options.AccessToken);
            var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            await PhaseAsync(client, sent, received, 100, TimeSpan.FromSeconds(2), "warm-up");

            Console.WriteLine("| Rate (changes/s) | Changes | Achieved rate | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var rate in rates)
            {
                var (latencies, achieved) = await PhaseAsync(client, sent, received, rate, TimeSpan.FromSeconds(seconds), $"r{rate}");
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {rate:N0} | {latencies.Length:N0} | {achieved:N0}/s | {Percentile(latencies, 0.50):F1} | {Percentile(latencies, 0.90):F1} | {Percentile(latencies, 0.99):F1} | {latencies[^1]:F1} |"));
            }

            await stopListening.CancelAsync();
            await listening;
            await StopWriterAsync(writer);
        }
        finally
        {
            await DropAsync(dataSource, schema);
        }
    }

    private static async Task<(double[] Latencies, double Achieved)> PhaseAsync(
        HttpClient client, ConcurrentDictionary<string, long> sent, ConcurrentDictionary<string, long> received, int rate, TimeSpan duration, string phase)
    {
        var count = Math.Max(1, (int)(rate * duration.TotalSeconds));
        var names = Enumerable.Range(0, count).Select(i => $"{phase}-{i}").ToArray();
        var pending = new List<Task>(count);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var wait = TimeSpan.FromSeconds(i / (double)rate) - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var name = names[i];
            pending.Add(Task.Run(async () =>
            {
                sent[name] = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync("/services/data/v66.0/sobjects/Account", new Dictionary<string, string> { ["Name"] = name });
                response.EnsureSuccessStatusCode();
            }));
        }

        await Task.WhenAll(pending);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
        while (!names.All(received.ContainsKey))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Phase {phase}: {names.Count(n => !received.ContainsKey(n))} changes never reached the mirror.");
            }

            await Task.Delay(10);
        }

        var latencies = names.Select(n => Stopwatch.GetElapsedTime(sent[n], received[n]).TotalMilliseconds).Order().ToArray();
        return (latencies, count / elapsed.TotalSeconds);
    }

    private static Process StartWriter(string connectionString, Emulator.Hosting.EmulatorServer server, SalesforceEmulator emulator, string schema, bool changeEvents, string? objects = null)
    {
        var assembly = typeof(MirrorHarness).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        start.ArgumentList.Add("mirror");
        start.ArgumentList.Add(WriterArgument);
        start.ArgumentList.Add(connectionString);
        start.ArgumentList.Add(server.BaseAddress.ToString());
        start.ArgumentList.Add(server.PubSubAddress!.ToString());
        start.ArgumentList.Add(schema);
        start.ArgumentList.Add(changeEvents ? "events" : "poll");
        start.ArgumentList.Add(objects ?? string.Join(',', MirrorOptions.AnalyticsObjects));
        start.Environment["ATOM_MIRROR_TOKEN"] = emulator.Options.AccessToken;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return Process.Start(start) ?? throw new InvalidOperationException("The writer did not start.");
    }

    /// <summary>Closes the writer's standard input (it stops) and reads its peak resident memory and Bulk result pages.</summary>
    private static async Task<(long PeakRss, int Pages)> StopWriterAsync(Process writer)
    {
        writer.StandardInput.Close();
        var output = await writer.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await writer.WaitForExitAsync();
        var fields = output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var peak = Array.IndexOf(fields, "peak-rss") is var i and >= 0 ? long.Parse(fields[i + 1], CultureInfo.InvariantCulture) : -1;
        var pages = Array.IndexOf(fields, "pages") is var j and >= 0 ? int.Parse(fields[j + 1], CultureInfo.InvariantCulture) : -1;
        return (peak, pages);
    }

    /// <summary>The writer process: the mirror as an app registers it (50,000-row Bulk pages), until its standard input closes.</summary>
    private static async Task<int> WriterAsync(string[] args)
    {
        var loginUrl = new Uri(args[2]);
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "mirror-bench";
                o.LoginUrl = loginUrl;
            })
            .AddPubSub(o => o.Endpoint = new Uri(args[3]))
            .AddAtomSalesforceMirror(o =>
            {
                o.ConnectionString = args[1];
                o.UserId = UserId;
                o.Schema = args[4];
                o.UseChangeEvents = args[5] == "events";
                o.Objects.Clear();
                foreach (var name in args[6].Split(','))
                {
                    o.Objects.Add(name);
                }

                o.RunWriter = false;
            });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync(UserId, new SalesforceToken(Environment.GetEnvironmentVariable("ATOM_MIRROR_TOKEN")!, loginUrl, DateTimeOffset.UtcNow)
        {
            IdentityUrl = new Uri(loginUrl, $"/id/{OrgId}/005Hs00000000001AAA"),
        });
        var mirror = provider.GetRequiredService<SalesforceMirror>();
        using var stop = new CancellationTokenSource();
        var writer = mirror.RunAsync(stop.Token);
        await Console.In.ReadToEndAsync();
        await stop.CancelAsync();
        await writer;
        Console.Out.WriteLine($"pages {mirror.PagesRead.ToString(CultureInfo.InvariantCulture)} peak-rss {PeakRss().ToString(CultureInfo.InvariantCulture)}");
        return 0;
    }

    /// <summary>This process's peak resident set (VmHWM), in bytes.</summary>
    private static long PeakRss()
    {
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private static async Task DropAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await drop.ExecuteNonQueryAsync();
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
