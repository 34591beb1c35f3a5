using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres.Tests;

/// <summary>The database going away in the middle of things, through a TCP proxy the test cuts.</summary>
public sealed class OutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(TestDatabase Database, FlakyProxy Proxy, StoreHost Host)> StartAsync()
    {
        var database = await TestDatabase.CreateAsync(Ct);
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var proxy = new FlakyProxy(target.Host!, target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 };
        var host = new StoreHost(viaProxy.ConnectionString);
        await host.Migrator.MigrateAsync(Ct);
        return (database, proxy, host);
    }

    [Fact]
    public async Task A_database_lost_during_a_refresh_gives_a_transient_error_and_the_rotated_token_is_kept_and_written_later()
    {
        var (database, proxy, host) = await StartAsync();
        await using var _ = database;
        await using var __ = proxy;
        await using var ___ = host;
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);

        var error = await Assert.ThrowsAsync<SalesforceException>(() => host.Store.RefreshAsync("user-1", Secrets.Token(), (t, _) =>
        {
            proxy.Cut();
            return Task.FromResult(t with { AccessToken = "fresh-after-outage", RefreshToken = "rotated-after-outage" });
        }, Ct));

        Assert.True(error.IsTransient);
        Assert.Contains("kept in this process", error.Message, StringComparison.Ordinal);
        TokenStoreTests.AssertNoSecret(error.ToString());
        Assert.DoesNotContain("rotated-after-outage", error.ToString(), StringComparison.Ordinal);

        // While the database is away, this process serves the new token; other reads fail clearly.
        Assert.Equal("rotated-after-outage", (await host.Store.GetAsync("user-1", Ct))!.RefreshToken);
        var readError = await Assert.ThrowsAsync<SalesforceException>(() => host.Store.GetAsync("user-2", Ct));
        Assert.True(readError.IsTransient);
        TokenStoreTests.AssertNoSecret(readError.ToString());
        Assert.Equal("fresh-after-outage", (await host.Store.RefreshAsync("user-1", Secrets.Token(),
            (_, _) => throw new InvalidOperationException("must not be called"), Ct)).AccessToken);

        proxy.Restore();
        await host.Background.FlushAsync(Ct);

        Assert.False(host.Store.HasPendingToken("user-1"));
        await using var reader = new StoreHost(database.ConnectionString);
        var stored = await reader.Store.GetAsync("user-1", Ct);
        Assert.Equal(("fresh-after-outage", "rotated-after-outage"), (stored!.AccessToken, stored.RefreshToken));
    }

    [Fact]
    public async Task A_kept_token_replaces_a_row_that_a_stale_refresh_marked_inactive_meanwhile()
    {
        var (database, proxy, host) = await StartAsync();
        await using var _ = database;
        await using var __ = proxy;
        await using var ___ = host;
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        await Assert.ThrowsAsync<SalesforceException>(() => host.Store.RefreshAsync("user-1", Secrets.Token(), (t, _) =>
        {
            proxy.Cut();
            return Task.FromResult(t with { AccessToken = "fresh", RefreshToken = "rotated" });
        }, Ct));

        // Another instance still sees the old row and tries the old refresh token: Salesforce refuses it.
        await using (var other = new StoreHost(database.ConnectionString))
        {
            var refused = await other.Store.RefreshAsync("user-1", Secrets.Token(),
                (t, _) => Task.FromResult(t with { InvalidatedAt = DateTimeOffset.UtcNow, InvalidationReason = "invalid_grant: expired access/refresh token" }), Ct);
            Assert.False(refused.IsUsable);
        }

        proxy.Restore();
        await host.Background.FlushAsync(Ct);

        await using var reader = new StoreHost(database.ConnectionString);
        var stored = await reader.Store.GetAsync("user-1", Ct);
        Assert.True(stored!.IsUsable);
        Assert.Equal("rotated", stored.RefreshToken);
    }

    [Fact]
    public async Task Usage_counts_that_could_not_be_written_are_written_with_the_next_batch()
    {
        var (database, proxy, host) = await StartAsync();
        await using var _ = database;
        await using var __ = proxy;
        await using var ___ = host;
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        host.Usage.Record("user-1", 10, failed: false);

        proxy.Cut();
        var error = await Assert.ThrowsAsync<SalesforceException>(() => host.Usage.FlushAsync(Ct));
        host.Usage.Record("user-1", 5, failed: true);
        proxy.Restore();
        await host.Usage.FlushAsync(Ct);

        Assert.True(error.IsTransient);
        var row = Assert.Single(await database.RowsAsync("SELECT api_calls, data_transferred, errors FROM salesforce_token_usage"));
        Assert.Equal([2, 15L, 1], row);
    }
}
