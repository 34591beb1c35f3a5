using System.Net;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Limits;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Auth;

public sealed class AuthenticationTests
{
    private const string TokenEndpoint = "https://login.salesforce.com/services/oauth2/token";
    private const string NewAccessToken = "00Dxx0000000001!AQ4AQRefreshedAccessToken";
    private const string LimitsUrl = SalesforceTestHost.Instance + "/services/data/v66.0/limits/";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SalesforceTestHost Host() =>
        new(services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));

    private static string RefreshResponse(string? rotatedRefreshToken = null, string instance = "https://acme.my.salesforce.com") =>
        $$"""
        {"access_token":"{{NewAccessToken}}",{{(rotatedRefreshToken is null ? "" : $"\"refresh_token\":\"{rotatedRefreshToken}\",")}}
         "instance_url":"{{instance}}","id":"https://login.salesforce.com/id/00Dxx0000000001AAA/005xx000000456AAA",
         "issued_at":"1733000000000","signature":"c2ln","token_type":"Bearer","scope":"api refresh_token"}
        """;

    private static void ServeLimits(MockHttpMessageHandler http)
    {
        http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken)
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer " + NewAccessToken)
            .Respond("application/json", Fixtures.Read("limits/limits.simple-salesforce.json"));
    }

    [Fact]
    public async Task A_401_refreshes_the_token_once_and_replays_the_request()
    {
        await using var host = Host();
        ServeLimits(host.Http);
        var refresh = host.Http.When(HttpMethod.Post, TokenEndpoint)
            .WithFormData([
                new("grant_type", "refresh_token"),
                new("refresh_token", SalesforceTestHost.RefreshToken),
                new("client_id", "test-client-id"),
                new("client_secret", "test-client-secret"),
            ])
            .Respond("application/json", RefreshResponse());

        var limits = await host.Client.Limits.GetAsync(Ct);

        Assert.Equal(15000, limits["DailyApiRequests"].Max);
        Assert.Equal(1, host.Http.GetMatchCount(refresh));
        var stored = await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct);
        Assert.Equal(NewAccessToken, stored!.AccessToken);
        Assert.Equal(SalesforceTestHost.RefreshToken, stored.RefreshToken);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1733000000000), stored.IssuedAt);
        Assert.Equal("api refresh_token", stored.Scope);
    }

    [Fact]
    public async Task A_user_with_two_logins_picks_one_by_username_and_a_401_refreshes_only_that_login()
    {
        await using var host = Host();
        const string Uat = "https://acme--uat.sandbox.my.salesforce.com";
        var prod = SalesforceTestHost.Token("00Dxx0000000001!AQ4AQProdAccess", "5AepProdRefresh") with { Username = "jane@acme.example" };
        var uat = new SalesforceToken("00Dxx0000000002!AQ4AQUatAccess", new Uri(Uat), DateTimeOffset.UnixEpoch)
        {
            RefreshToken = "5AepUatRefresh",
            Username = "jane@acme.example.uat",
        };
        await host.Tokens.SaveAsync("multi", prod, Ct);
        await host.Tokens.SaveAsync("multi", uat, Ct);
        host.Http.When(HttpMethod.Get, Uat + "/services/data/v66.0/limits/").WithHeaders("Authorization", "Bearer " + uat.AccessToken)
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        host.Http.When(HttpMethod.Get, Uat + "/services/data/v66.0/limits/").WithHeaders("Authorization", "Bearer " + NewAccessToken)
            .Respond("application/json", Fixtures.Read("limits/limits.simple-salesforce.json"));
        var refresh = host.Http.When(HttpMethod.Post, TokenEndpoint).WithFormData("refresh_token", "5AepUatRefresh")
            .Respond("application/json", RefreshResponse(instance: Uat));
        var factory = host.Provider.GetRequiredService<Atom.Salesforce.Client.DependencyInjection.ISalesforceClientFactory>();

        var ambiguous = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => factory.ForUser("multi").Limits.GetAsync(Ct));
        var limits = await factory.ForUser("multi", "jane@acme.example.uat").Limits.GetAsync(Ct);

        Assert.Equal(SalesforceAuthenticationException.Codes.SeveralLogins, ambiguous.ErrorCode);
        Assert.Contains("username", ambiguous.Message, StringComparison.Ordinal);
        Assert.Equal(15000, limits["DailyApiRequests"].Max);
        Assert.Equal(1, host.Http.GetMatchCount(refresh));
        Assert.Equal(NewAccessToken, (await host.Tokens.GetAsync(new SalesforceLogin("multi", "jane@acme.example.uat"), Ct))!.AccessToken);
        Assert.Equal(prod, await host.Tokens.GetAsync(new SalesforceLogin("multi", "jane@acme.example"), Ct));
        Assert.Equal(["jane@acme.example", "jane@acme.example.uat"], (await host.Tokens.GetLoginsAsync("multi", Ct)).Select(t => t.Username));
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_kept()
    {
        await using var host = Host();
        ServeLimits(host.Http);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", RefreshResponse(rotatedRefreshToken: "5AepRotated"));

        await host.Client.Limits.GetAsync(Ct);

        Assert.Equal("5AepRotated", (await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct))!.RefreshToken);
    }

    [Fact]
    public async Task A_refresh_that_moves_the_instance_to_an_allowed_host_sends_later_calls_to_the_new_instance()
    {
        // A move to another host is followed only when the application allowed that host (see InstanceUrlTrustTests).
        await using var host = new SalesforceTestHost(
            o => o.TrustedInstanceHosts.Add("acme2.my.salesforce.com"),
            s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));
        ServeLimits(host.Http);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", RefreshResponse(instance: "https://acme2.my.salesforce.com"));
        host.Http.When(HttpMethod.Get, "https://acme2.my.salesforce.com/services/data/v66.0/limits/")
            .WithHeaders("Authorization", "Bearer " + NewAccessToken)
            .Respond("application/json", Fixtures.Read("limits/limits.simple-salesforce.json"));
        var moved = host.Http.When(HttpMethod.Get, "https://acme2.my.salesforce.com/services/data/v66.0/sobjects/Account/001D000000IRFma")
            .WithHeaders("Authorization", "Bearer " + NewAccessToken)
            .Respond("application/json", """{"attributes":{"type":"Account"},"Id":"001D000000IRFmaIAH"}""");

        await host.Client.Limits.GetAsync(Ct);
        await host.Client.SObjects.GetAsync<SObject>("Account", "001D000000IRFma", cancellationToken: Ct);

        Assert.Equal(1, host.Http.GetMatchCount(moved));
    }

    [Fact]
    public async Task A_thousand_concurrent_calls_on_an_expired_token_make_one_refresh()
    {
        await using var host = Host();
        ServeLimits(host.Http);
        var refreshes = 0;
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(async () =>
        {
            Interlocked.Increment(ref refreshes);
            await Task.Delay(50, Ct);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(RefreshResponse(), System.Text.Encoding.UTF8, "application/json") };
        });

        var calls = Enumerable.Range(0, 1000).Select(_ => Task.Run(() => host.Client.Limits.GetAsync(Ct), Ct));
        var results = await Task.WhenAll(calls);

        Assert.Equal(1, refreshes);
        Assert.All(results, r => Assert.Equal(14998, r["DailyApiRequests"].Remaining));
    }

    [Fact]
    public async Task A_refused_refresh_token_gives_an_authentication_error_and_is_not_tried_again()
    {
        await using var host = Host();
        ServeLimits(host.Http);
        var refresh = host.Http.When(HttpMethod.Post, TokenEndpoint)
            .Respond(HttpStatusCode.BadRequest, "application/json", Fixtures.Read("oauth/refresh_error_expired.restforce.json"));

        var calls = Enumerable.Range(0, 50).Select(_ => Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Client.Limits.GetAsync(Ct)));
        var errors = await Task.WhenAll(calls);
        var later = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Client.Limits.GetAsync(Ct));

        Assert.All(errors, e => Assert.Equal("invalid_grant", e.ErrorCode));
        Assert.Equal("invalid_grant", later.ErrorCode);
        Assert.Equal(SalesforceTestHost.UserId, later.UserId);
        Assert.False(later.IsTransient);
        Assert.Equal(1, host.Http.GetMatchCount(refresh));
        var stored = await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct);
        Assert.False(stored!.IsUsable);
        Assert.Contains("expired access/refresh token", stored.InvalidationReason);
    }

    [Fact]
    public async Task A_token_without_refresh_token_is_marked_unusable_on_401()
    {
        await using var host = Host();
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, SalesforceTestHost.Token(refreshToken: null), Ct);
        ServeLimits(host.Http);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Throw(new InvalidOperationException("no refresh may be attempted"));

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Client.Limits.GetAsync(Ct));

        Assert.Equal("invalid_grant", e.ErrorCode);
        Assert.False((await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct))!.IsUsable);
    }

    [Fact]
    public async Task A_second_401_after_refresh_is_an_authentication_error()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Get, LimitsUrl)
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        var refresh = host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", RefreshResponse());

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Client.Limits.GetAsync(Ct));

        Assert.Equal("INVALID_SESSION_ID", e.ErrorCode);
        Assert.Equal(1, host.Http.GetMatchCount(refresh));
    }

    [Fact]
    public async Task A_user_without_a_token_fails_before_any_request()
    {
        await using var host = Host();
        host.Http.Fallback.Throw(new InvalidOperationException("nothing may be sent"));
        var stranger = host.Provider.GetRequiredService<Atom.Salesforce.Client.DependencyInjection.ISalesforceClientFactory>().ForUser("nobody");

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => stranger.Limits.GetAsync(Ct));

        Assert.Equal("no_token", e.ErrorCode);
        Assert.Equal("nobody", e.UserId);
    }

    [Fact]
    public async Task A_transient_token_endpoint_failure_is_transient_and_does_not_invalidate_the_token()
    {
        await using var host = Host();
        ServeLimits(host.Http);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(HttpStatusCode.ServiceUnavailable, "text/html", "<html>down</html>");

        var e = await Assert.ThrowsAnyAsync<SalesforceException>(() => host.Client.Limits.GetAsync(Ct));

        Assert.True(e.IsTransient);
        Assert.True((await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct))!.IsUsable);
    }

    [Fact]
    public async Task No_token_reaches_a_log_or_an_exception()
    {
        await using var host = Host();
        ServeLimits(host.Http);
        host.Http.When(HttpMethod.Post, TokenEndpoint)
            .Respond(HttpStatusCode.BadRequest, "application/json", Fixtures.Read("oauth/refresh_error_expired.restforce.json"));

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Client.Limits.GetAsync(Ct));

        var logs = host.Provider.GetRequiredService<FakeLogCollector>().GetSnapshot();
        Assert.NotEmpty(logs);
        // The structured state too: a structured log provider exports it, and HttpClient's header logs put raw values there.
        var everything = string.Join("\n", logs.Select(l => l.Message + l.Exception + string.Join(",", l.StructuredState ?? [])))
            + e + (await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct));
        Assert.DoesNotContain(SalesforceTestHost.AccessToken, everything);
        Assert.DoesNotContain(SalesforceTestHost.RefreshToken, everything);
        Assert.DoesNotContain("test-client-secret", everything);
    }

    [Fact]
    public async Task Each_response_updates_the_api_usage_seen_by_the_client()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Get, LimitsUrl)
            .Respond(_ =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
                response.Headers.Add("Sforce-Limit-Info", "api-usage=18/5000");
                return response;
            });

        Assert.Null(host.Client.ApiUsage);
        await host.Client.Limits.GetAsync(Ct);

        Assert.Equal(new ApiUsage(18, 5000), host.Client.ApiUsage);
        Assert.Equal(4982, host.Client.ApiUsage!.Value.Remaining);
    }

    [Fact]
    public void SalesforceToken_ToString_hides_the_tokens()
    {
        var text = SalesforceTestHost.Token().ToString();

        Assert.DoesNotContain(SalesforceTestHost.AccessToken, text);
        Assert.DoesNotContain(SalesforceTestHost.RefreshToken, text);
        Assert.Contains("acme.my.salesforce.com", text);
    }

    [Fact]
    public async Task InMemoryTokenStore_refresh_runs_once_for_a_stale_token()
    {
        var store = new InMemoryTokenStore();
        var original = SalesforceTestHost.Token();
        await store.SaveAsync("u", original, Ct);
        var calls = 0;

        var first = await store.RefreshAsync("u", original, (t, _) => { calls++; return Task.FromResult(t with { AccessToken = "new" }); }, Ct);
        var second = await store.RefreshAsync("u", original, (t, _) => { calls++; return Task.FromResult(t with { AccessToken = "newer" }); }, Ct);

        Assert.Equal("new", first.AccessToken);
        Assert.Equal("new", second.AccessToken);
        Assert.Equal(1, calls);
    }
}
