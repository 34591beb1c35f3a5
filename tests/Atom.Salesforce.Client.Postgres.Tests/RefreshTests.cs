using System.Diagnostics;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Postgres.Tests;

public sealed class RefreshTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_stores_racing_on_one_expired_token_make_one_refresh_and_both_get_its_result()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var first = await StoreHost.MigratedAsync(database);
        await using var second = new StoreHost(database.ConnectionString);
        await first.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        var calls = 0;
        using var bothWaiting = new Barrier(2);

        async Task<SalesforceToken> RefreshOnce(PostgresTokenStore store)
        {
            bothWaiting.SignalAndWait(Ct);
            return await store.RefreshAsync("user-1", Secrets.Token(), async (current, ct) =>
            {
                Interlocked.Increment(ref calls);
                await Task.Delay(300, ct);
                return current with { AccessToken = "fresh", RefreshToken = "rotated" };
            }, Ct);
        }

        var results = await Task.WhenAll(Task.Run(() => RefreshOnce(first.Store), Ct), Task.Run(() => RefreshOnce(second.Store), Ct));

        Assert.Equal(1, calls);
        Assert.All(results, t => Assert.Equal(("fresh", "rotated"), (t.AccessToken, t.RefreshToken)));
        await using var reader = new StoreHost(database.ConnectionString);
        Assert.Equal("rotated", (await reader.Store.GetAsync("user-1", Ct))!.RefreshToken);
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_audit_log WHERE action = 'refreshed'"));
    }

    [Fact]
    public async Task Two_OS_processes_racing_on_one_expired_token_make_one_refresh()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        await database.ExecuteAsync("CREATE TABLE race_refresh_calls (pid int NOT NULL, refresh_token_used text NOT NULL)");

        var workers = new[]
        {
            RaceWorker.Start(database.ConnectionString, "user-1", Secrets.AccessToken, StoreHost.DefaultKeys["k1"]),
            RaceWorker.Start(database.ConnectionString, "user-1", Secrets.AccessToken, StoreHost.DefaultKeys["k1"]),
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(90));
            foreach (var worker in workers)
            {
                Assert.Equal("ready", await worker.StandardOutput.ReadLineAsync(timeout.Token));
            }

            foreach (var worker in workers)
            {
                await worker.StandardInput.WriteLineAsync("go");
                await worker.StandardInput.FlushAsync(timeout.Token);
            }

            var outputs = new List<string>();
            foreach (var worker in workers)
            {
                var output = await worker.StandardOutput.ReadToEndAsync(timeout.Token);
                await worker.WaitForExitAsync(timeout.Token);
                Assert.True(worker.ExitCode == 0, $"worker exited with {worker.ExitCode}: {await worker.StandardError.ReadToEndAsync(timeout.Token)}");
                outputs.Add(output);
            }

            var call = Assert.Single(await database.RowsAsync("SELECT pid, refresh_token_used FROM race_refresh_calls"));
            Assert.Equal(Secrets.RefreshToken, call[1]);
            var winner = (int)call[0]!;
            Assert.All(outputs, o => Assert.Equal($"token:fresh-{winner}\nrefresh:rotated-{winner}\n", o.ReplaceLineEndings("\n")));
            await using var reader = new StoreHost(database.ConnectionString);
            Assert.Equal($"rotated-{winner}", (await reader.Store.GetAsync("user-1", Ct))!.RefreshToken);
        }
        finally
        {
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
    public async Task A_token_already_refreshed_elsewhere_is_returned_without_refreshing()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        await host.Store.SaveAsync("user-1", Secrets.Token("newer"), Ct);

        var result = await host.Store.RefreshAsync("user-1", Secrets.Token("older"),
            (_, _) => throw new InvalidOperationException("must not be called"), Ct);

        Assert.Equal("newer", result.AccessToken);
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_audit_log WHERE action <> 'stored'"));
    }

    [Fact]
    public async Task A_refresh_response_without_a_refresh_token_keeps_the_stored_one()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);

        var result = await host.Store.RefreshAsync("user-1", Secrets.Token(),
            (t, _) => Task.FromResult(new SalesforceToken("fresh", t.InstanceUrl, DateTimeOffset.UtcNow)), Ct);

        Assert.Equal(Secrets.RefreshToken, result.RefreshToken);
        await using var reader = new StoreHost(database.ConnectionString);
        Assert.Equal(("fresh", Secrets.RefreshToken), ((await reader.Store.GetAsync("user-1", Ct))!.AccessToken, (await reader.Store.GetAsync("user-1", Ct))!.RefreshToken));
    }

    [Fact]
    public async Task A_token_saved_while_a_refresh_runs_wins_over_the_refresh()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        await using var other = new StoreHost(database.ConnectionString);
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);

        var result = await host.Store.RefreshAsync("user-1", Secrets.Token(), async (t, ct) =>
        {
            await other.Store.SaveAsync("user-1", Secrets.Token("reconnected", "reconnected-refresh"), ct);
            return t with { AccessToken = "refreshed" };
        }, Ct);

        Assert.Equal("reconnected", result.AccessToken);
        Assert.Equal("reconnected", (await other.Store.GetAsync("user-1", Ct))!.AccessToken);
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_audit_log WHERE action = 'refreshed' AND NOT success"));
    }

    [Fact]
    public async Task A_user_with_no_stored_token_is_not_refreshed_into_existence()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);

        var error = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Store.RefreshAsync("ghost", Secrets.Token(),
            (t, _) => Task.FromResult(t with { AccessToken = "resurrected" }), Ct));

        Assert.Equal("no_token", error.ErrorCode);
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_tokens"));
    }

    /// <summary>Starts a refresh whose callback waits for <paramref name="release"/>; returns once the callback has begun.</summary>
    private static async Task<Task<SalesforceToken>> StartBlockedRefreshAsync(PostgresTokenStore store, TaskCompletionSource release)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refresh = Task.Run(() => store.RefreshAsync("user-1", Secrets.Token(), async (t, _) =>
        {
            entered.SetResult();
            await release.Task;
            return t with { AccessToken = "resurrected", RefreshToken = "resurrected-refresh" };
        }, Ct), Ct);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        return refresh;
    }

    [Theory]
    [InlineData("delete", false)]
    [InlineData("delete", true)]
    [InlineData("erase", false)]
    [InlineData("erase", true)]
    public async Task A_token_deleted_while_its_refresh_runs_is_not_brought_back(string how, bool fromAnotherInstance)
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        await using var other = new StoreHost(database.ConnectionString);
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        Assert.NotNull(await host.Store.GetAsync("user-1", Ct));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refresh = await StartBlockedRefreshAsync(host.Store, release);

        var deleter = fromAnotherInstance ? other.Store : host.Store;
        if (how == "delete")
        {
            Assert.True(await deleter.DeleteAsync("user-1", Ct));
        }
        else
        {
            Assert.Equal(1, (await deleter.EraseUserAsync("user-1", Ct)).TokensDeleted);
        }

        release.SetResult();

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => refresh);
        Assert.Equal("no_token", e.ErrorCode);
        Assert.Null(await host.Store.GetAsync("user-1", Ct));
        Assert.Null(await other.Store.GetAsync("user-1", Ct));
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_tokens"));
    }

    [Fact]
    public async Task The_read_cache_holds_at_most_its_size_limit_and_every_token_stays_readable()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database, o => o.CacheSizeLimit = 10);
        for (var i = 0; i < 50; i++)
        {
            await host.Store.SaveAsync("user-" + i, Secrets.Token("access-" + i), Ct);
            Assert.True(host.Store.CachedCount <= 10);
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("access-" + i, (await host.Store.GetAsync("user-" + i, Ct))!.AccessToken);
            Assert.True(host.Store.CachedCount <= 10);
        }
    }

    [Fact]
    public async Task A_refresh_waiting_longer_than_the_lock_timeout_gives_a_transient_error()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var holder = await StoreHost.MigratedAsync(database);
        await using var waiter = new StoreHost(database.ConnectionString, configure: o => o.RefreshLockTimeout = TimeSpan.FromSeconds(1));
        await holder.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        using var insideRefresh = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);

        var slow = holder.Store.RefreshAsync("user-1", Secrets.Token(), async (t, ct) =>
        {
            insideRefresh.Release();
            await release.WaitAsync(ct);
            return t with { AccessToken = "fresh" };
        }, Ct);
        await insideRefresh.WaitAsync(Ct);
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SalesforceException>(() => waiter.Store.RefreshAsync("user-1", Secrets.Token(),
            (_, _) => throw new InvalidOperationException("must not be called"), Ct));
        release.Release();

        Assert.True(error.IsTransient);
        Assert.Contains("another refresh", error.Message, StringComparison.Ordinal);
        Assert.Equal("fresh", (await slow).AccessToken);
        Assert.Equal("fresh", (await waiter.Store.RefreshAsync("user-1", Secrets.Token(), (_, _) => throw new InvalidOperationException("must not be called"), Ct)).AccessToken);
    }
}
