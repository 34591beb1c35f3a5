using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Postgres.Tests;

/// <summary>
/// Several Salesforce logins per user, keyed as the documented table is, by <c>(user_id, username)</c>: each is stored,
/// read, refreshed (once, across store instances) and deleted on its own.
/// </summary>
public sealed class MultiLoginTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SalesforceToken Prod = Secrets.Token("prod-access", "prod-refresh") with { Username = "jane@acme.example" };

    private static readonly SalesforceToken Uat = new("uat-access", new Uri("https://acme--uat.sandbox.my.salesforce.com"), new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero))
    {
        RefreshToken = "uat-refresh",
        Username = "jane@acme.example.uat",
        Email = "jane@acme.example",
        IdentityUrl = new Uri("https://test.salesforce.com/id/00Dxx0000000002AAA/005xx0000000002AAA"),
    };

    [Fact]
    public async Task A_second_login_is_added_beside_the_first_and_each_is_read_by_its_username()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        var store = host.Store;

        await store.SaveAsync("jane", Prod, Ct);
        Assert.Equal(Prod, await store.GetAsync("jane", Ct));
        await store.SaveAsync("jane", Uat, Ct);

        var error = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => store.GetAsync("jane", Ct));
        Assert.Equal(SalesforceAuthenticationException.Codes.SeveralLogins, error.ErrorCode);
        Assert.Equal(Prod, await store.GetAsync(new SalesforceLogin("jane", "jane@acme.example"), Ct));
        Assert.Equal(Uat, await store.GetAsync(new SalesforceLogin("jane", "jane@acme.example.uat"), Ct));
        Assert.Null(await store.GetAsync(new SalesforceLogin("jane", "nobody@acme.example"), Ct));
        Assert.Equal([Prod, Uat], await store.GetLoginsAsync("jane", Ct));
        Assert.Equal(
            [["jane@acme.example", "production", null], ["jane@acme.example.uat", "sandbox", "00Dxx0000000002AAA"]],
            await database.RowsAsync("SELECT username, environment, organization_id FROM salesforce_oauth_tokens WHERE user_id = 'jane' ORDER BY id"));

        Assert.True(await store.DeleteAsync(new SalesforceLogin("jane", "jane@acme.example"), Ct));
        Assert.Equal(Uat, await store.GetAsync("jane", Ct));
        Assert.Equal(
            [["stored", "jane@acme.example"], ["stored", "jane@acme.example.uat"], ["revoked", "jane@acme.example"]],
            await database.RowsAsync("SELECT action, username FROM salesforce_oauth_audit_log ORDER BY id"));
        Assert.True(await store.DeleteAsync("jane", Ct));
        Assert.Empty(await store.GetLoginsAsync("jane", Ct));
    }

    [Fact]
    public async Task Access_count_and_last_used_at_are_counted_on_the_login_row_that_served_each_lookup()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        await using var host = new StoreHost(database.ConnectionString, services: s => s.AddSingleton<TimeProvider>(time));
        await host.Migrator.MigrateAsync(Ct);
        await host.Store.SaveAsync("jane", Prod, Ct);
        await host.Store.SaveAsync("jane", Uat, Ct);
        await host.Store.SaveAsync("solo", Prod, Ct);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Prod, await host.Store.GetAsync(new SalesforceLogin("jane", Prod.Username), Ct));
        }

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(Uat, await host.Store.GetAsync(new SalesforceLogin("jane", Uat.Username), Ct));

        // A lookup that names no login serves none when the user has two, and the user's only login when there is one.
        await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Store.GetAsync("jane", Ct));
        Assert.Null(await host.Store.GetAsync(new SalesforceLogin("jane", "nobody@acme.example"), Ct));
        Assert.Equal(Prod, await host.Store.GetAsync("solo", Ct));
        Assert.Equal(Prod, await host.Store.GetAsync("solo", Ct));
        await host.Usage.FlushAsync(Ct);

        var at10 = new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc);
        Assert.Equal(
            [
                ["jane", "jane@acme.example", 3, at10],
                ["jane", "jane@acme.example.uat", 1, at10.AddHours(1)],
                ["solo", "jane@acme.example", 2, at10.AddHours(1)],
            ],
            await database.RowsAsync("SELECT user_id, username, access_count, last_used_at FROM salesforce_oauth_tokens ORDER BY user_id, username"));
    }

    [Fact]
    public async Task Two_stores_meeting_the_same_expired_login_refresh_it_once_and_other_logins_refresh_on_their_own()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var first = await StoreHost.MigratedAsync(database, o => o.CacheDuration = TimeSpan.Zero);
        await using var second = new StoreHost(database.ConnectionString, configure: o => o.CacheDuration = TimeSpan.Zero);
        await first.Store.SaveAsync("jane", Prod, Ct);
        await first.Store.SaveAsync("jane", Uat, Ct);
        var calls = new Dictionary<string, int> { ["jane@acme.example"] = 0, ["jane@acme.example.uat"] = 0 };

        async Task<SalesforceToken> Renew(SalesforceToken current, CancellationToken cancellationToken)
        {
            lock (calls)
            {
                calls[current.Username!]++;
            }

            // Widen the window in which the other store meets the same expired token.
            await Task.Delay(100, cancellationToken);
            return current with { AccessToken = current.AccessToken + "-renewed" };
        }

        var results = await Task.WhenAll(
            Task.Run(() => first.Store.RefreshAsync("jane", Prod, Renew, Ct), Ct),
            Task.Run(() => second.Store.RefreshAsync("jane", Prod, Renew, Ct), Ct),
            Task.Run(() => first.Store.RefreshAsync("jane", Uat, Renew, Ct), Ct),
            Task.Run(() => second.Store.RefreshAsync("jane", Uat, Renew, Ct), Ct));

        Assert.Equal(1, calls["jane@acme.example"]);
        Assert.Equal(1, calls["jane@acme.example.uat"]);
        Assert.Equal(["prod-access-renewed", "prod-access-renewed", "uat-access-renewed", "uat-access-renewed"], results.Select(t => t.AccessToken));
        Assert.Equal(["prod-refresh", "uat-refresh"], (await second.Store.GetLoginsAsync("jane", Ct)).Select(t => t.RefreshToken));
        Assert.Equal(2, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_audit_log WHERE action = 'refreshed' AND success"));
    }
}
