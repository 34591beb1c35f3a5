// Loopback load against a running WebApi sample:
//
//   dotnet run -c Release --project samples/Atom.Salesforce.Samples.WebApi -- --urls http://127.0.0.1:5087 &
//   dotnet run -c Release --project benchmarks/Atom.Salesforce.EndpointLoad -- http://127.0.0.1:5087 [seconds] [concurrency]
//
// For each route: a warm-up, then `concurrency` workers send POSTs back to back for `seconds` (at most 60) and every
// latency is kept; prints requests/s and p50/p99. Only 200 answers count; any other answer stops the run.
using System.Diagnostics;
using System.Globalization;
using System.Text;

if (args.Length < 1 || !Uri.TryCreate(args[0], UriKind.Absolute, out var baseAddress) || !baseAddress.IsLoopback)
{
    Console.Error.WriteLine("usage: EndpointLoad <loopback base URL> [seconds (1-60, default 10)] [concurrency (1-64, default 8)]");
    return 2;
}

var seconds = args.Length > 1 ? Math.Clamp(int.Parse(args[1], CultureInfo.InvariantCulture), 1, 60) : 10;
var concurrency = args.Length > 2 ? Math.Clamp(int.Parse(args[2], CultureInfo.InvariantCulture), 1, 64) : 8;
var routes = new (string Path, string Body)[]
{
    ("accounts/list", "{\"limit\": 50}"),
    ("analytics/pipeline", "{\"date_range\": \"LAST_N_DAYS:365\", \"group_by\": \"stage\"}"),
};

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = baseAddress };
try
{
    await RunAsync();
}
catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
{
    Console.Error.WriteLine($"load run stopped: {e.Message}");
    return 1;
}

return 0;

async Task RunAsync()
{
    Console.WriteLine($"{baseAddress} | {seconds} s per route | {concurrency} concurrent | {Environment.ProcessorCount} cores | .NET {Environment.Version}");
    foreach (var (path, body) in routes)
    {
        for (var i = 0; i < 20; i++)
        {
            await SendAsync(path, body);
        }

        var latencies = new List<double>[concurrency];
        var stop = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(4096);
            while (stop.Elapsed < deadline)
            {
                var started = Stopwatch.GetTimestamp();
                await SendAsync(path, body);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = stop.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path,-20} {all.Length,7} requests  {all.Length / elapsed,8:F0} req/s  p50 {Percentile(all, 0.50),7:F2} ms  p99 {Percentile(all, 0.99),7:F2} ms"));
    }
}

async Task SendAsync(string path, string body)
{
    using var content = new StringContent(body, Encoding.UTF8, "application/json");
    using var response = await http.PostAsync("/api/salesforce/enhanced/" + path, content);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    await response.Content.CopyToAsync(Stream.Null);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
