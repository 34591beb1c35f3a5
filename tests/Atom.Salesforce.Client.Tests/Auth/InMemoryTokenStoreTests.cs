using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Tests.Auth;

/// <summary>
/// The memory store keeps the <see cref="ITokenStore"/> contract under races: a token deleted while its refresh runs stays
/// deleted, a token saved meanwhile wins, and per-user locking does not grow with the number of users.
/// </summary>
public sealed class InMemoryTokenStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts a refresh whose callback waits for <paramref name="release"/>; returns once the callback has begun.</summary>
    private static async Task<Task<SalesforceToken>> StartBlockedRefreshAsync(InMemoryTokenStore store, SalesforceToken original, TaskCompletionSource release)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refresh = Task.Run(() => store.RefreshAsync("u", original, async (t, _) =>
        {
            entered.SetResult();
            await release.Task;
            return t with { AccessToken = "resurrected" };
        }, Ct), Ct);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        return refresh;
    }

    [Fact]
    public async Task A_token_deleted_while_its_refresh_runs_is_not_brought_back()
    {
        var store = new InMemoryTokenStore();
        var original = SalesforceTestHost.Token();
        await store.SaveAsync("u", original, Ct);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refresh = await StartBlockedRefreshAsync(store, original, release);

        Assert.True(await store.DeleteAsync("u", Ct));
        release.SetResult();

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => refresh);
        Assert.Equal(SalesforceAuthenticationException.Codes.NoToken, e.ErrorCode);
        Assert.Null(await store.GetAsync("u", Ct));
    }

    [Fact]
    public async Task A_token_saved_while_its_refresh_runs_wins_over_the_refresh()
    {
        var store = new InMemoryTokenStore();
        var original = SalesforceTestHost.Token();
        await store.SaveAsync("u", original, Ct);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refresh = await StartBlockedRefreshAsync(store, original, release);

        var reconnected = SalesforceTestHost.Token("reconnected", "reconnected-refresh");
        await store.SaveAsync("u", reconnected, Ct);
        release.SetResult();

        Assert.Equal(reconnected, await refresh);
        Assert.Equal(reconnected, await store.GetAsync("u", Ct));
    }

    [Fact]
    public async Task A_user_with_no_stored_token_is_not_refreshed_into_existence()
    {
        var store = new InMemoryTokenStore();
        var called = false;

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => store.RefreshAsync("ghost", SalesforceTestHost.Token(),
            (t, _) => { called = true; return Task.FromResult(t); }, Ct));

        Assert.Equal(SalesforceAuthenticationException.Codes.NoToken, e.ErrorCode);
        Assert.False(called);
        Assert.Null(await store.GetAsync("ghost", Ct));
    }

    [Fact]
    public async Task Refreshes_of_many_users_share_a_fixed_set_of_locks()
    {
        var stripes = new UserStripes();
        var store = new InMemoryTokenStore();
        var users = Enumerable.Range(0, 10_000).Select(i => "user-" + i).ToList();
        foreach (var user in users)
        {
            await store.SaveAsync(user, SalesforceTestHost.Token(), Ct);
            await store.RefreshAsync(user, SalesforceTestHost.Token(), (t, _) => Task.FromResult(t with { AccessToken = "new-" + user }), Ct);
        }

        Assert.Equal(UserStripes.Count, users.Select(stripes.For).Distinct().Count());
        Assert.Equal("new-user-9999", (await store.GetAsync("user-9999", Ct))!.AccessToken);
    }

    [Fact]
    public async Task A_users_lock_is_one_lock_even_when_first_asked_for_by_many_threads_at_once()
    {
        // The stripes' locks are made on first use (issue 22: start-up): threads racing to make one must still all get the
        // same lock, or two refreshes of one user could run at once.
        var stripes = new UserStripes();
        using var start = new Barrier(8);
        var locks = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromMinutes(1), Ct);
            return stripes.For("user-1");
        }, Ct)));

        Assert.Single(locks.Distinct());
        Assert.Same(locks[0], stripes.For("user-1"));
        Assert.Equal(1, locks[0].CurrentCount);
    }

    [Fact]
    public async Task Users_on_one_lock_stripe_still_refresh_independently()
    {
        var store = new InMemoryTokenStore();
        var first = "user-0";
        var second = Enumerable.Range(1, 10_000).Select(i => "user-" + i).First(u => UserStripes.IndexOf(u) == UserStripes.IndexOf(first));
        await store.SaveAsync(first, SalesforceTestHost.Token(), Ct);
        await store.SaveAsync(second, SalesforceTestHost.Token(), Ct);

        await store.RefreshAsync(first, SalesforceTestHost.Token(), (t, _) => Task.FromResult(t with { AccessToken = "first-new" }), Ct);
        var other = await store.RefreshAsync(second, SalesforceTestHost.Token(), (t, _) => Task.FromResult(t with { AccessToken = "second-new" }), Ct);

        Assert.Equal("second-new", other.AccessToken);
        Assert.Equal("first-new", (await store.GetAsync(first, Ct))!.AccessToken);
    }

    [Fact]
    public async Task Logins_are_kept_per_Salesforce_username_and_a_single_login_lookup_refuses_to_guess()
    {
        var store = new InMemoryTokenStore();
        var prod = SalesforceTestHost.Token("prod-access", "prod-refresh") with { Username = "jane@acme.example" };
        var uat = SalesforceTestHost.Token("uat-access", "uat-refresh") with { Username = "jane@acme.example.uat" };

        await store.SaveAsync("u", prod, Ct);
        Assert.Equal(prod, await store.GetAsync("u", Ct));
        await store.SaveAsync("u", uat, Ct);
        await store.SaveAsync("u", prod with { AccessToken = "prod-access-2" }, Ct);

        var error = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => store.GetAsync("u", Ct));
        Assert.Equal(SalesforceAuthenticationException.Codes.SeveralLogins, error.ErrorCode);
        Assert.Equal(["prod-access-2", "uat-access"], (await store.GetLoginsAsync("u", Ct)).Select(t => t.AccessToken));
        Assert.Equal(uat, await store.GetAsync(new SalesforceLogin("u", "jane@acme.example.uat"), Ct));
        Assert.Null(await store.GetAsync(new SalesforceLogin("u", "someone@else.example"), Ct));

        // A refresh replaces only its own login, and is serialised per login.
        var refreshed = await store.RefreshAsync("u", uat, (t, _) => Task.FromResult(t with { AccessToken = "uat-access-2" }), Ct);
        Assert.Equal(("uat-access-2", "jane@acme.example.uat"), (refreshed.AccessToken, refreshed.Username));
        Assert.Equal("prod-access-2", (await store.GetAsync(new SalesforceLogin("u", "jane@acme.example"), Ct))!.AccessToken);

        Assert.True(await store.DeleteAsync(new SalesforceLogin("u", "jane@acme.example"), Ct));
        Assert.Equal(refreshed, await store.GetAsync("u", Ct));
        Assert.True(await store.DeleteAsync("u", Ct));
        Assert.Empty(await store.GetLoginsAsync("u", Ct));
        Assert.False(await store.DeleteAsync("u", Ct));
    }
}
