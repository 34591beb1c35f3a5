using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;
using static Atom.Salesforce.Client.Tests.Auth.OAuthTestSupport;

namespace Atom.Salesforce.Client.Tests.Auth;

/// <summary>
/// A token response decides where the bearer token goes next (its <c>instance_url</c>, its identity URL), so the SDK accepts
/// only https Salesforce hosts, the hosts the application allowed, and loopback when it logs in over loopback (the emulator).
/// Every refusal stores nothing and names the host, never a token.
/// </summary>
public sealed class InstanceUrlTrustTests
{
    private static readonly Uri Callback = new("https://app.example.com/salesforce/callback");
    private const string Leaked = "00Dxx!must-not-leak";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ISalesforceOAuth OAuth(SalesforceTestHost host) => host.Provider.GetRequiredService<ISalesforceOAuth>();

    private static string Response(string instance, string? id = "https://login.salesforce.com/id/00Dxx0000000001AAA/005xx000000456AAA") =>
        JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["access_token"] = Leaked,
            ["refresh_token"] = "5Aep-must-not-leak",
            ["instance_url"] = instance,
            ["id"] = id,
            ["issued_at"] = "1772366400000",
            ["token_type"] = "Bearer",
        }.Where(p => p.Value is not null).ToDictionary());

    /// <summary>The stored access token is refused with 401, so the next call refreshes it.</summary>
    private static void Expire(SalesforceTestHost host)
    {
        host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken)
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
    }

    public static TheoryData<string, string> Untrusted => new()
    {
        { "https://evil.example", "evil.example" },
        { "http://acme.my.salesforce.com", "acme.my.salesforce.com" },
        { "https://salesforce.com.evil.example", "salesforce.com.evil.example" },
        { "https://acme.my.salesforce.com.evil.example", "acme.my.salesforce.com.evil.example" },
        { "https://evilsalesforce.com", "evilsalesforce.com" },
        { "https://my-force.com", "my-force.com" },
        { "https://127.0.0.1:8443", "127.0.0.1" },
        { "http://localhost:5000", "localhost" },
        { "https://user@acme.my.salesforce.com", "acme.my.salesforce.com" },
    };

    [Theory]
    [MemberData(nameof(Untrusted))]
    public async Task A_code_exchange_naming_an_untrusted_instance_is_refused_and_stores_nothing(string instance, string host)
    {
        await using var testHost = Host();
        testHost.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", Response(instance));
        testHost.Http.Fallback.Throw(new InvalidOperationException("the token must not be sent anywhere"));
        var request = OAuth(testHost).CreateAuthorizationRequest(Callback);

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(
            () => OAuth(testHost).ExchangeCodeAsync("web-user", "code", request.CodeVerifier, Callback, Ct));

        Assert.Equal(SalesforceAuthenticationException.Codes.UntrustedInstanceUrl, e.ErrorCode);
        Assert.Contains(host, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("must-not-leak", e.ToString(), StringComparison.Ordinal);
        Assert.Null(await testHost.Tokens.GetAsync("web-user", Ct));
    }

    [Fact]
    public async Task A_refresh_naming_another_host_is_refused_the_request_is_not_sent_there_and_the_stored_token_stays()
    {
        await using var host = Host();
        Expire(host);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", Response("https://evil.example"));
        var evil = host.Http.When("https://evil.example/*").Respond(HttpStatusCode.OK);

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Client.Limits.GetAsync(Ct));

        Assert.Equal(SalesforceAuthenticationException.Codes.UntrustedInstanceUrl, e.ErrorCode);
        Assert.Contains("evil.example", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Http.GetMatchCount(evil));
        var stored = await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct);
        Assert.Equal(SalesforceTestHost.AccessToken, stored!.AccessToken);
        Assert.Equal(new Uri(SalesforceTestHost.Instance), stored.InstanceUrl);
        Assert.True(stored.IsUsable);
    }

    [Fact]
    public async Task A_refresh_moving_the_user_to_another_Salesforce_host_is_refused_unless_that_host_is_allowed()
    {
        await using (var host = Host())
        {
            Expire(host);
            host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", Response("https://other.my.salesforce.com"));

            var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Client.Limits.GetAsync(Ct));

            Assert.Equal(SalesforceAuthenticationException.Codes.UntrustedInstanceUrl, e.ErrorCode);
            Assert.Contains("'acme.my.salesforce.com' to 'other.my.salesforce.com'", e.Message, StringComparison.Ordinal);
            Assert.Equal(new Uri(SalesforceTestHost.Instance), (await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct))!.InstanceUrl);
        }

        await using (var allowed = Host(configure: o => o.TrustedInstanceHosts.Add("other.my.salesforce.com")))
        {
            Expire(allowed);
            allowed.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", Response("https://other.my.salesforce.com"));
            var replay = allowed.Http.When(HttpMethod.Get, "https://other.my.salesforce.com/services/data/v66.0/limits/")
                .WithHeaders("Authorization", "Bearer " + Leaked).Respond("application/json", "{}");

            await allowed.Client.Limits.GetAsync(Ct);

            Assert.Equal(1, allowed.Http.GetMatchCount(replay));
            Assert.Equal(new Uri("https://other.my.salesforce.com"), (await allowed.Tokens.GetAsync(SalesforceTestHost.UserId, Ct))!.InstanceUrl);
        }
    }

    [Theory]
    [MemberData(nameof(Untrusted))]
    public async Task A_token_the_application_saved_itself_is_held_to_the_same_rule_and_nothing_is_sent(string instance, string host)
    {
        await using var testHost = Host();
        await testHost.Tokens.SaveAsync("saved-user", new SalesforceToken(Leaked, new Uri(instance), DateTimeOffset.UtcNow) { RefreshToken = "5Aep-must-not-leak" }, Ct);
        var anything = testHost.Http.When("*").Respond(HttpStatusCode.OK);
        var client = testHost.Provider.GetRequiredService<ISalesforceClientFactory>().ForUser("saved-user");

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => client.Limits.GetAsync(Ct));

        Assert.Equal(SalesforceAuthenticationException.Codes.UntrustedInstanceUrl, e.ErrorCode);
        Assert.Equal("saved-user", e.UserId);
        Assert.Contains(host, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("must-not-leak", e.ToString(), StringComparison.Ordinal);
        Assert.False(e.IsTransient);
        Assert.Equal(0, testHost.Http.GetMatchCount(anything));
    }

    [Fact]
    public async Task A_saved_token_on_an_allowed_host_or_a_Salesforce_host_is_used()
    {
        await using var host = Host(configure: o => o.TrustedInstanceHosts.Add("sf.proxy.example.com"));
        await host.Tokens.SaveAsync("proxy-user", new SalesforceToken(Leaked, new Uri("https://sf.proxy.example.com"), DateTimeOffset.UtcNow), Ct);
        var proxied = host.Http.When(HttpMethod.Get, "https://sf.proxy.example.com/services/data/v66.0/limits/")
            .WithHeaders("Authorization", "Bearer " + Leaked).Respond("application/json", "{}");
        var salesforce = host.Http.When(HttpMethod.Get, LimitsUrl)
            .WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken).Respond("application/json", "{}");

        await host.Provider.GetRequiredService<ISalesforceClientFactory>().ForUser("proxy-user").Limits.GetAsync(Ct);
        await host.Client.Limits.GetAsync(Ct);

        Assert.Equal((1, 1), (host.Http.GetMatchCount(proxied), host.Http.GetMatchCount(salesforce)));
    }

    [Fact]
    public async Task A_refresh_on_the_same_host_is_accepted()
    {
        await using var host = Host();
        Expire(host);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", Response("https://ACME.my.salesforce.com/"));
        var replay = host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer " + Leaked).Respond("application/json", "{}");

        await host.Client.Limits.GetAsync(Ct);

        Assert.Equal(1, host.Http.GetMatchCount(replay));
        Assert.Equal(Leaked, (await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct))!.AccessToken);
    }

    public static TheoryData<string> SalesforceInstances => new()
    {
        "https://acme.my.salesforce.com",
        "https://acme--uat.sandbox.my.salesforce.com",
        "https://acme.develop.my.salesforce.com",
        "https://na1.salesforce.com",
        "https://cs42.salesforce.com",
        "https://acme.lightning.force.com",
        "https://acme.my.salesforce.mil",
        "https://acme.my.cloudforce.com",
    };

    [Theory]
    [MemberData(nameof(SalesforceInstances))]
    public async Task Every_form_of_Salesforce_host_is_accepted_by_a_code_exchange(string instance)
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", Response(instance));
        var request = OAuth(host).CreateAuthorizationRequest(Callback);

        var token = await OAuth(host).ExchangeCodeAsync("web-user", "code", request.CodeVerifier, Callback, Ct);

        Assert.Equal(new Uri(instance), token.InstanceUrl);
    }

    [Fact]
    public async Task An_allowed_proxy_host_is_accepted_but_only_over_https()
    {
        await using var host = Host(configure: o => o.TrustedInstanceHosts.Add("*.proxy.example.com"));
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", Response("https://sf.proxy.example.com"));
        var request = OAuth(host).CreateAuthorizationRequest(Callback);
        var token = await OAuth(host).ExchangeCodeAsync("web-user", "code", request.CodeVerifier, Callback, Ct);
        Assert.Equal(new Uri("https://sf.proxy.example.com"), token.InstanceUrl);

        host.Http.Clear();
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", Response("http://sf.proxy.example.com"));
        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(
            () => OAuth(host).ExchangeCodeAsync("other-user", "code", request.CodeVerifier, Callback, Ct));
        Assert.Equal(SalesforceAuthenticationException.Codes.UntrustedInstanceUrl, e.ErrorCode);
        Assert.Null(await host.Tokens.GetAsync("other-user", Ct));
    }

    [Fact]
    public async Task An_identity_URL_on_another_host_is_refused()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Post, TokenEndpoint)
            .Respond("application/json", Response(SalesforceTestHost.Instance, id: "https://evil.example/id/00Dxx0000000001AAA/005xx000000456AAA"));
        var request = OAuth(host).CreateAuthorizationRequest(Callback);

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(
            () => OAuth(host).ExchangeCodeAsync("web-user", "code", request.CodeVerifier, Callback, Ct));

        Assert.Equal(SalesforceAuthenticationException.Codes.UntrustedInstanceUrl, e.ErrorCode);
        Assert.Contains("identity URL", e.Message, StringComparison.Ordinal);
        Assert.Contains("evil.example", e.Message, StringComparison.Ordinal);
        Assert.Null(await host.Tokens.GetAsync("web-user", Ct));
    }

    [Fact]
    public async Task JWT_and_client_credentials_responses_are_held_to_the_same_rule()
    {
        await using var host = Host(configure: o =>
        {
            o.JwtPrivateKeyPem = KeyPem;
            o.LoginUrl = new Uri("https://acme.my.salesforce.com");
        });
        host.Http.When(HttpMethod.Post, "https://acme.my.salesforce.com/services/oauth2/token")
            .Respond("application/json", Response("http://acme.my.salesforce.com"));

        var jwt = await Assert.ThrowsAsync<SalesforceAuthenticationException>(
            () => OAuth(host).AuthenticateWithJwtAsync("jwt-user", "integration@acme.example", Ct));
        var cc = await Assert.ThrowsAsync<SalesforceAuthenticationException>(
            () => OAuth(host).AuthenticateWithClientCredentialsAsync("cc-user", Ct));

        Assert.Equal(SalesforceAuthenticationException.Codes.UntrustedInstanceUrl, jwt.ErrorCode);
        Assert.Equal(SalesforceAuthenticationException.Codes.UntrustedInstanceUrl, cc.ErrorCode);
        Assert.Null(await host.Tokens.GetAsync("jwt-user", Ct));
        Assert.Null(await host.Tokens.GetAsync("cc-user", Ct));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5123")]
    [InlineData("http://localhost:5123")]
    [InlineData("http://[::1]:5123")]
    public async Task Loopback_instances_over_http_are_accepted_when_the_login_URL_is_loopback(string loopback)
    {
        await using var host = Host(configure: o => o.LoginUrl = new Uri("http://127.0.0.1:5123"));
        host.Http.When(HttpMethod.Post, "http://127.0.0.1:5123/services/oauth2/token")
            .Respond("application/json", Response(loopback, id: loopback + "/id/00Dxx0000000001AAA/005xx000000456AAA"));
        var request = OAuth(host).CreateAuthorizationRequest(Callback);

        var token = await OAuth(host).ExchangeCodeAsync("emulator-user", "code", request.CodeVerifier, Callback, Ct);

        Assert.Equal(new Uri(loopback), token.InstanceUrl);
        Assert.Equal(token, await host.Tokens.GetAsync("emulator-user", Ct));
    }

    [Fact]
    public async Task A_loopback_login_still_refuses_a_foreign_host()
    {
        await using var host = Host(configure: o => o.LoginUrl = new Uri("http://127.0.0.1:5123"));
        host.Http.When(HttpMethod.Post, "http://127.0.0.1:5123/services/oauth2/token").Respond("application/json", Response("http://evil.example"));
        var request = OAuth(host).CreateAuthorizationRequest(Callback);

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(
            () => OAuth(host).ExchangeCodeAsync("emulator-user", "code", request.CodeVerifier, Callback, Ct));

        Assert.Equal(SalesforceAuthenticationException.Codes.UntrustedInstanceUrl, e.ErrorCode);
    }

    [Theory]
    [InlineData("acme.my.salesforce.com", true)]
    [InlineData("ACME.MY.SALESFORCE.COM.", true)]
    [InlineData("salesforce.com", true)]
    [InlineData("acme.file.force.com", true)]
    [InlineData("salesforce.com.evil.example", false)]
    [InlineData("xsalesforce.com", false)]
    [InlineData("salesforce.co", false)]
    [InlineData("force.com.cn", false)]
    public void Salesforce_hosts_are_matched_by_whole_labels(string host, bool expected)
    {
        Assert.Equal(expected, SalesforceHosts.IsSalesforceHost(host));
    }
}
