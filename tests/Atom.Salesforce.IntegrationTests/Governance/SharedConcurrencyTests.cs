using Atom.Salesforce.Client.Redis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.IntegrationTests.Governance;

/// <summary>
/// The concurrency caps shared by every instance through Redis (<c>ShareConcurrencyLimits</c>): two OS processes, each allowed
/// three calls in flight, together never have more than three in flight at a stand-in org that holds every call until the test
/// lets them go; and the lower long-running cap counts calls across instances (two stores on one Redis).
/// </summary>
public sealed class SharedConcurrencyTests
{
    private const int Cap = 3;
    private const int CallsPerProcess = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Redis => Environment.GetEnvironmentVariable("ATOM_TEST_REDIS")
        ?? throw new InvalidOperationException("ATOM_TEST_REDIS is not set: run the tests through ./build.sh test, or set it to a Redis host:port.");

    [Fact]
    public async Task Two_processes_together_never_have_more_calls_in_flight_than_the_shared_cap_and_the_rest_queue()
    {
        var org = new StandInOrg();
        await using var app = await org.StartAsync();
        var url = new Uri(app.Urls.First());
        var connection = $"{Redis}|atom-sf-test:{Guid.NewGuid():N}:|{RedisApiBudgetStore.DefaultBlockSize}";
        var workers = Enumerable.Range(0, 2)
            .Select(_ => BudgetWorker.Start("redis", connection, url, url, "00Dstandin!token", CallsPerProcess, sharedCap: Cap))
            .ToList();
        try
        {
            foreach (var worker in workers)
            {
                Assert.Equal("ready", await worker.StandardOutput.ReadLineAsync(Ct));
            }

            foreach (var worker in workers)
            {
                await worker.StandardInput.WriteLineAsync("go");
                await worker.StandardInput.FlushAsync(Ct);
            }

            // Both processes fire all their calls at once; the org holds each until released.
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                wait.CancelAfter(TimeSpan.FromMinutes(2));
                while (Volatile.Read(ref org.InFlight) < Cap)
                {
                    await Task.Delay(10, wait.Token);
                }

                // Give the other process every chance to push past the cap before letting the calls go (no assertion on time).
                await Task.Delay(500, wait.Token);
            }

            var heldAtOnce = Volatile.Read(ref org.InFlight);
            org.Release.SetResult();
            var ok = 0;
            foreach (var worker in workers)
            {
                var output = await worker.StandardOutput.ReadToEndAsync(Ct);
                using var exit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                exit.CancelAfter(TimeSpan.FromMinutes(5));
                await worker.WaitForExitAsync(exit.Token);
                Assert.True(worker.ExitCode == 0, $"worker exited {worker.ExitCode}: {await worker.StandardError.ReadToEndAsync(Ct)}");
                var counts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1]);
                Assert.Equal("0", counts["other"].Trim());
                ok += int.Parse(counts["ok"], System.Globalization.CultureInfo.InvariantCulture);
            }

            Assert.Equal(Cap, heldAtOnce);
            Assert.Equal(Cap, org.MaxInFlight);
            Assert.Equal(2 * CallsPerProcess, ok);
            Assert.Equal(2 * CallsPerProcess, org.Served);
        }
        finally
        {
            org.Release.TrySetResult();
            foreach (var worker in workers)
            {
                if (!worker.HasExited)
                {
                    worker.Kill(entireProcessTree: true);
                }

                worker.Dispose();
            }
        }
    }

    [Fact]
    public async Task The_long_running_cap_counts_calls_of_every_instance()
    {
        var prefix = $"atom-sf-test:{Guid.NewGuid():N}:";
        await using var first = new RedisApiBudgetStore(Redis, prefix);
        await using var second = new RedisApiBudgetStore(Redis, prefix);
        const string Org = "acme.my.salesforce.com";
        var threshold = TimeSpan.FromSeconds(1);

        Assert.True(await first.TryEnterAsync(Org, "a1", 5, 1, threshold, Ct));
        Assert.True(await first.TryEnterAsync(Org, "a2", 5, 1, threshold, Ct));
        await Task.Delay(threshold * 1.5, Ct); // both are now in flight for longer than the threshold
        var whileTwoRunLong = await second.TryEnterAsync(Org, "b1", 5, 1, threshold, Ct);
        await first.LeaveAsync(Org, "a1", Ct);
        var whileOneRunsLong = await second.TryEnterAsync(Org, "b1", 5, 1, threshold, Ct);
        await first.LeaveAsync(Org, "a2", Ct);
        var whenNoneRunsLong = await second.TryEnterAsync(Org, "b1", 5, 1, threshold, Ct);
        var secondOfTwo = await first.TryEnterAsync(Org, "a3", 2, 1, threshold, Ct);
        var thirdOfTwo = await first.TryEnterAsync(Org, "a4", 2, 1, threshold, Ct);

        Assert.False(whileTwoRunLong);
        Assert.False(whileOneRunsLong);
        Assert.True(whenNoneRunsLong);
        Assert.True(secondOfTwo);
        Assert.False(thirdOfTwo);
    }

    /// <summary>A Salesforce stand-in on a loopback socket: answers every call with an empty query page, holding it until released.</summary>
    private sealed class StandInOrg
    {
        public int InFlight;
        public int MaxInFlight;
        public int Served;

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<WebApplication> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.Run(async context =>
            {
                var now = Interlocked.Increment(ref InFlight);
                int seen;
                while ((seen = Volatile.Read(ref MaxInFlight)) < now && Interlocked.CompareExchange(ref MaxInFlight, now, seen) != seen)
                {
                }

                try
                {
                    await Release.Task;
                }
                finally
                {
                    Interlocked.Decrement(ref InFlight);
                }

                var served = Interlocked.Increment(ref Served);
                context.Response.ContentType = "application/json";
                context.Response.Headers["Sforce-Limit-Info"] = $"api-usage={served}/1000000";
                await context.Response.WriteAsync("""{"totalSize":0,"done":true,"records":[]}""");
            });
            await app.StartAsync();
            return app;
        }
    }
}
