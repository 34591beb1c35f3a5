using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// Issue 22: memory stays flat in the record count. Pages N Opportunity records (pages of 2,000, Salesforce's largest, linked by
/// <c>nextRecordsUrl</c>) from an in-memory org, each count and variant in a fresh process, and reports each process's peak
/// working set (the kernel's high-water mark, <c>VmHWM</c>): a process's peak cannot be reset, so 100,000 and 1,000,000
/// records are compared across processes. Variants: <c>floor</c> (HttpClient + source-generated System.Text.Json, streamed,
/// following <c>nextRecordsUrl</c> by hand) and <c>sdk</c> (<c>AddAtomSalesforce</c>, <c>QueryAsync&lt;Opportunity&gt;</c>).
/// The org serves the same record bytes for every page with its own head, without copying them, so that the org itself
/// allocates next to nothing per page.
/// </summary>
/// <remarks>
/// <c>./build.sh bench paging-memory [--counts 100000,1000000] [--runs 3]</c>; the child process is
/// <c>paging-memory --child VARIANT COUNT</c>.
/// </remarks>
internal static class PagingMemoryHarness
{
    private const int PageSize = 2_000;
    private const string Instance = "https://bench.my.salesforce.com";
    private const string AccessToken = "00Dbench!token";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 3 && args[0] == "--child")
        {
            return await ChildAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        }

        var counts = new[] { 100_000, 1_000_000 };
        var runs = 3;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--counts":
                    counts = [.. args[++i].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
                    break;
                case "--runs":
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument {args[i]}; use --counts 100000,1000000 --runs 3.");
                    return 2;
            }
        }

        string[] variants = ["floor", "sdk"];
        var results = new Dictionary<(string Variant, int Count), List<ChildResult>>();
        for (var run = 0; run < runs; run++)
        {
            // Interleaved, so that load elsewhere on the machine falls on every variant and count alike.
            foreach (var count in counts)
            {
                foreach (var variant in variants)
                {
                    var result = await RunChildAsync(variant, count);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"// {variant} {count:N0}: {result.Records:N0} records, peak working set {Mb(result.PeakWorkingSet)}, {result.Elapsed.TotalMilliseconds:N0} ms"));
                    (results.TryGetValue((variant, count), out var list) ? list : results[(variant, count)] = []).Add(result);
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Variant | Records | Runs | Records per run | Peak working set (median) | min – max | vs {counts[0]:N0} records | Median wall |"));
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var variant in variants)
        {
            var first = Median(results[(variant, counts[0])].Select(r => r.PeakWorkingSet));
            foreach (var count in counts)
            {
                var list = results[(variant, count)];
                var peak = Median(list.Select(r => r.PeakWorkingSet));
                var records = list.Select(r => r.Records).Distinct().ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {variant} | {count:N0} | {list.Count} | {(records.Count == 1 ? records[0].ToString(CultureInfo.InvariantCulture) : string.Join("/", records))} | {Mb(peak)} | "
                    + $"{Mb(list.Min(r => r.PeakWorkingSet))} – {Mb(list.Max(r => r.PeakWorkingSet))} | ×{(double)peak / first:0.00} | "
                    + $"{Median(list.Select(r => (long)r.Elapsed.TotalMilliseconds)):N0} ms |"));
            }
        }

        return 0;
    }

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private sealed record ChildResult(long Records, long PeakWorkingSet, TimeSpan Elapsed);

    private static async Task<ChildResult> RunChildAsync(string variant, int count)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PagingMemoryHarness).Assembly.Location);
        }

        foreach (var arg in new[] { "paging-memory", "--child", variant, count.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The {variant} child paging {count} records failed ({process.ExitCode}): {output}{await stderr}");
        }

        // The child's last line: records, peak working set in bytes, milliseconds.
        var cells = output.Trim().Split('\n')[^1].Split(' ');
        return new ChildResult(
            long.Parse(cells[1], CultureInfo.InvariantCulture), long.Parse(cells[2], CultureInfo.InvariantCulture),
            TimeSpan.FromMilliseconds(double.Parse(cells[3], CultureInfo.InvariantCulture)));
    }

    private static async Task<int> ChildAsync(string variant, int count)
    {
        var org = new PagingOrg(count);
        var started = Stopwatch.GetTimestamp();
        var records = variant switch
        {
            "floor" => await FloorAsync(org),
            "sdk" => await SdkAsync(org),
            _ => throw new ArgumentException($"Unknown variant {variant}."),
        };
        var elapsed = Stopwatch.GetElapsedTime(started);

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {records} {PeakWorkingSet(self)} {elapsed.TotalMilliseconds:0}"));
        return records == count ? 0 : 1;
    }

    /// <summary>The kernel's high-water mark of the resident set (<c>VmHWM</c>); the runtime's figure elsewhere.</summary>
    private static long PeakWorkingSet(Process self)
    {
        if (OperatingSystem.IsLinux())
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        return self.PeakWorkingSet64;
    }

    private static async Task<long> FloorAsync(PagingOrg org)
    {
        using var raw = new HttpClient(org, disposeHandler: false) { BaseAddress = new Uri(Instance) };
        long count = 0;
        string? next = "/services/data/v66.0/query/?q=SELECT+Id+FROM+Opportunity";
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
            using var response = await raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            var page = await JsonSerializer.DeserializeAsync(stream, BenchmarkJsonContext.Default.RawPage);
            count += page!.Records.Count;
            next = page.Done ? null : page.NextRecordsUrl;
        }

        return count;
    }

    private static async Task<long> SdkAsync(PagingOrg org)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "bench").ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => org));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("bench", new SalesforceToken(AccessToken, new Uri(Instance), DateTimeOffset.UtcNow));
        var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("bench");
        long count = 0;
        await foreach (var _ in client.Query.QueryAsync<Opportunity>("SELECT Id FROM Opportunity"))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// An org of <c>total</c> records in pages of 2,000: every page is the same 2,000 records (about 1 MB of JSON, built once)
    /// behind its own head (<c>done</c>, <c>nextRecordsUrl</c>), streamed without a copy.
    /// </summary>
    private sealed class PagingOrg : HttpMessageHandler
    {
        private readonly int _total;
        private readonly byte[] _records;
        private static readonly byte[] Tail = "]}"u8.ToArray();

        public PagingOrg(int total)
        {
            _total = total;
            var page = QueryPageData.Page(0, PageSize, total, nextRecordsUrl: null);
            var start = page.AsSpan().IndexOf("\"records\":["u8) + "\"records\":["u8.Length;
            _records = page[start..^2];
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The query answers page 0; /query/01gPAGE-k answers page k.
            var path = request.RequestUri!.AbsolutePath;
            var page = path.EndsWith("/query/", StringComparison.Ordinal) ? 0 : int.Parse(path[(path.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);
            var done = (page + 1) * PageSize >= _total;
            var head = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"totalSize\":{_total},\"done\":{(done ? "true" : "false")},{(done ? string.Empty : $"\"nextRecordsUrl\":\"/services/data/v66.0/query/01gPAGE-{page + 1}\",")}\"records\":["));
            var response = new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StreamContent(new SegmentStream(head, _records, Tail)),
                RequestMessage = request,
            };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            response.Content.Headers.ContentLength = head.Length + _records.Length + Tail.Length;
            return Task.FromResult(response);
        }
    }

    /// <summary>A read-only stream over a few arrays one after the other.</summary>
    private sealed class SegmentStream(params byte[][] segments) : Stream
    {
        private int _segment;
        private int _offset;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length && _segment < segments.Length)
            {
                var source = segments[_segment].AsSpan(_offset);
                var n = Math.Min(source.Length, buffer.Length - written);
                source[..n].CopyTo(buffer[written..]);
                written += n;
                _offset += n;
                if (_offset == segments[_segment].Length)
                {
                    _segment++;
                    _offset = 0;
                }
            }

            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
