using System.Net;
using System.Text;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Postgres.Tests.Usage;

public sealed class UsageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ten_thousand_concurrent_calls_and_lookups_are_counted_exactly_while_batches_are_written()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        await using var host = new StoreHost(database.ConnectionString, services: s => s.AddSingleton<TimeProvider>(time));
        await host.Migrator.MigrateAsync(Ct);
        for (var u = 0; u < 10; u++)
        {
            await host.Store.SaveAsync($"user-{u}", Secrets.Token(), Ct);
        }

        using var stop = new CancellationTokenSource();
        var flusher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await host.Usage.FlushAsync(Ct);
                await Task.Delay(2, Ct);
            }
        }, Ct);

        await Parallel.ForAsync(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = Ct }, async (i, ct) =>
        {
            host.Usage.Record($"user-{i % 10}", i % 7, failed: i % 13 == 0);
            if (i % 4 == 0)
            {
                await host.Store.GetAsync($"user-{i / 4 % 10}", ct);
            }

            if (i % 1000 == 500)
            {
                // Batches written in the middle of the calls, besides the background flusher's.
                await host.Usage.FlushAsync(ct);
            }
        });
        await stop.CancelAsync();
        await flusher;
        await host.Usage.FlushAsync(Ct);

        var rows = await database.RowsAsync("SELECT user_id, date_yyyymm, api_calls, data_transferred, errors FROM salesforce_token_usage ORDER BY user_id");
        Assert.Equal(10, rows.Count);
        for (var u = 0; u < 10; u++)
        {
            var mine = Enumerable.Range(0, 10_000).Where(i => i % 10 == u).ToList();
            Assert.Equal(
                [$"user-{u}", "2026-11", 1000, (long)mine.Sum(i => i % 7), mine.Count(i => i % 13 == 0)],
                rows[u]);
        }

        var lookups = await database.RowsAsync("SELECT user_id, access_count, last_used_at FROM salesforce_oauth_tokens ORDER BY user_id");
        Assert.All(lookups, r => Assert.Equal(250, r[1]));
        Assert.All(lookups, r => Assert.Equal(new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc), r[2]));
    }

    [Fact]
    public async Task Calls_are_counted_per_calendar_month_in_UTC()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero));
        await using var host = new StoreHost(database.ConnectionString, services: s => s.AddSingleton<TimeProvider>(time));
        await host.Migrator.MigrateAsync(Ct);
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);

        host.Usage.Record("user-1", 100, failed: false);
        time.Advance(TimeSpan.FromMinutes(2));
        host.Usage.Record("user-1", 200, failed: true);
        host.Usage.Record("user-1", 300, failed: false);
        host.Usage.Record("nobody", 300, failed: false);
        await host.Usage.FlushAsync(Ct);

        Assert.Equal(
            [["2026-11", 1, 100L, 0], ["2026-12", 2, 500L, 1]],
            await database.RowsAsync("SELECT date_yyyymm, api_calls, data_transferred, errors FROM salesforce_token_usage ORDER BY date_yyyymm"));
    }

    [Fact]
    public async Task Calls_made_through_the_SDK_are_counted_for_their_user_without_a_database_write_per_call()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var body = """{"attributes":{"type":"Account"},"Id":"001D000000IRFmaIAH"}""";
        await using var host = new StoreHost(database.ConnectionString, sdk: b => b.ConfigureHttpClient(h =>
            h.ConfigurePrimaryHttpMessageHandler(() => new StubHandler(request => request.RequestUri!.AbsolutePath.EndsWith("IRFmbIAH", StringComparison.Ordinal)
                ? new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""[{"errorCode":"NOT_FOUND","message":"gone"}]""", Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") }))));
        await host.Migrator.MigrateAsync(Ct);
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        var client = host.Provider.GetRequiredService<ISalesforceClientFactory>().ForUser("user-1");

        for (var i = 0; i < 20; i++)
        {
            await client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmaIAH", ["Id"], Ct);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmbIAH", ["Id"], Ct));
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM salesforce_token_usage"));
        await host.Usage.FlushAsync(Ct);

        var row = Assert.Single(await database.RowsAsync("SELECT user_id, api_calls, data_transferred, errors FROM salesforce_token_usage"));
        Assert.Equal(["user-1", 21, 20L * Encoding.UTF8.GetByteCount(body) + Encoding.UTF8.GetByteCount("""[{"errorCode":"NOT_FOUND","message":"gone"}]"""), 1], row);
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(respond(request));
    }
}
