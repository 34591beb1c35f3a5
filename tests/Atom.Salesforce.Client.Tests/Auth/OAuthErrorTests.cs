using System.Net;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using RichardSzalay.MockHttp;
using static Atom.Salesforce.Client.Tests.Auth.OAuthTestSupport;

namespace Atom.Salesforce.Client.Tests.Auth;

/// <summary>OAuth error bodies become typed exceptions, and no secret reaches an exception or a log.</summary>
public sealed class OAuthErrorTests
{
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private const string Code = "aPrxSecretAuthorizationCode0001";
    private static readonly Uri Callback = new("https://app.example.com/callback");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ISalesforceOAuth OAuth(SalesforceTestHost host) => host.Provider.GetRequiredService<ISalesforceOAuth>();

    public static TheoryData<string, string> OAuthErrors => new()
    {
        { "invalid_grant", "authentication failure" },
        { "invalid_grant", "authorization code expired" },
        { "invalid_client", "invalid client credentials" },
        { "invalid_client_id", "client identifier invalid" },
        { "unsupported_grant_type", "grant type not supported" },
        { "redirect_uri_mismatch", "redirect_uri must match configuration" },
        { "invalid_request", "invalid code verifier" },
        { "invalid_scope", "the requested scope is not allowed" },
    };

    [Theory]
    [MemberData(nameof(OAuthErrors))]
    public async Task Every_OAuth_error_of_the_token_endpoint_is_an_authentication_exception_with_its_code(string error, string description)
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Post, TokenEndpoint)
            .Respond(HttpStatusCode.BadRequest, "application/json", $$"""{"error":"{{error}}","error_description":"{{description}}"}""");

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => OAuth(host).ExchangeCodeAsync("web-user", Code, Verifier, Callback, Ct));

        Assert.Equal(error, e.ErrorCode);
        Assert.Equal(description, e.ErrorDescription);
        Assert.Equal("web-user", e.UserId);
        Assert.False(e.IsTransient);
        Assert.Contains(error, e.Message, StringComparison.Ordinal);
        Assert.Contains(description, e.Message, StringComparison.Ordinal);
        Assert.Null(await host.Tokens.GetAsync("web-user", Ct));
    }

    [Theory]
    [InlineData("oauth/token_error_invalid_client_id.simple-salesforce.json", "invalid_client_id", "client identifier invalid")]
    [InlineData("oauth/token_error_invalid_grant.restforce.json", "invalid_grant", "authentication failure - Invalid Password")]
    [InlineData("oauth/token_error_not_approved.simple-salesforce.json", "invalid_grant", "user hasn't approved this consumer")]
    [InlineData("oauth/refresh_error_expired.restforce.json", "invalid_grant", "expired access/refresh token")]
    public async Task Recorded_OAuth_errors_map_to_their_codes(string fixture, string error, string description)
    {
        await using var host = Host(configure: o => o.JwtPrivateKeyPem = KeyPem);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(HttpStatusCode.BadRequest, "application/json", Fixtures.Read(fixture));

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => OAuth(host).AuthenticateWithJwtAsync("jwt-user", "integration@acme.com", Ct));

        Assert.Equal((error, description), (e.ErrorCode, e.ErrorDescription));
        Assert.Null(await host.Tokens.GetAsync("jwt-user", Ct));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task A_failing_token_endpoint_is_a_transient_api_exception(HttpStatusCode status)
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(status, "text/html", "<html><body>Maintenance</body></html>");

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => OAuth(host).ExchangeCodeAsync("web-user", Code, Verifier, Callback, Ct));

        Assert.Equal(status, e.Status);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task An_unreachable_token_endpoint_is_a_transient_exception()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Post, TokenEndpoint).Throw(new HttpRequestException("Connection refused"));

        var e = await Assert.ThrowsAsync<SalesforceException>(() => OAuth(host).ExchangeCodeAsync("web-user", Code, Verifier, Callback, Ct));

        Assert.True(e.IsTransient);
        Assert.Contains("token endpoint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_response_that_is_not_JSON_is_refused_without_quoting_it()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", "access_token=00Dxx!leaky&instance_url=x");

        var e = await Assert.ThrowsAsync<SalesforceException>(() => OAuth(host).ExchangeCodeAsync("web-user", Code, Verifier, Callback, Ct));

        Assert.DoesNotContain("00Dxx!leaky", e.ToString(), StringComparison.Ordinal);
        Assert.Null(await host.Tokens.GetAsync("web-user", Ct));
    }

    [Fact]
    public async Task A_token_response_without_instance_url_is_refused()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", """{"access_token":"00Dxx!no-instance"}""");

        var e = await Assert.ThrowsAsync<SalesforceException>(() => OAuth(host).ExchangeCodeAsync("web-user", Code, Verifier, Callback, Ct));

        Assert.Contains("instance_url", e.Message, StringComparison.Ordinal);
        Assert.Null(await host.Tokens.GetAsync("web-user", Ct));
    }

    [Fact]
    public async Task No_token_code_verifier_assertion_key_or_secret_reaches_an_exception_or_a_log()
    {
        await using var host = Host(configure: o => o.JwtPrivateKeyPem = KeyPem);
        var assertions = new List<string>();
        // A hostile proxy that echoes every request body back in its error page, for every endpoint.
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(async request =>
        {
            var body = await request.Content!.ReadAsStringAsync(Ct);
            if (Form(body)["assertion"] is { } assertion)
            {
                assertions.Add(assertion);
            }

            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent($"<html>Bad request: {body} {System.Web.HttpUtility.UrlDecode(body)}</html>", System.Text.Encoding.UTF8, "text/html"),
            };
        });
        host.Http.When(HttpMethod.Post, RevokeEndpoint).Respond(async request =>
        {
            var body = await request.Content!.ReadAsStringAsync(Ct);
            return JsonResponse($$"""{"error":"server_error","error_description":"{{body}} {{System.Web.HttpUtility.UrlDecode(body)}}"}""", HttpStatusCode.InternalServerError);
        });
        host.Http.When(HttpMethod.Get, OAuthTestSupport.LimitsUrl)
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        host.Http.When(HttpMethod.Get, UserInfoEndpoint)
            .Respond(request => JsonResponse($$"""{"error":"invalid_token","error_description":"{{request.Headers.Authorization}}"}""", HttpStatusCode.Forbidden));

        await host.Tokens.SaveAsync("access-only", SalesforceTestHost.Token(refreshToken: null), Ct);
        var failures = new List<Exception>
        {
            await Assert.ThrowsAnyAsync<SalesforceException>(() => OAuth(host).ExchangeCodeAsync("web-user", Code, Verifier, Callback, Ct)),
            await Assert.ThrowsAnyAsync<SalesforceException>(() => OAuth(host).AuthenticateWithJwtAsync("jwt-user", "integration@acme.com", Ct)),
            await Assert.ThrowsAnyAsync<SalesforceException>(() => OAuth(host).AuthenticateWithClientCredentialsAsync("cc-user", Ct)),
            await Assert.ThrowsAnyAsync<SalesforceException>(() => OAuth(host).GetUserInfoAsync(SalesforceTestHost.UserId, Ct)),
            await Assert.ThrowsAnyAsync<SalesforceException>(() => OAuth(host).RevokeAsync(SalesforceTestHost.UserId, Ct)),
            await Assert.ThrowsAnyAsync<SalesforceException>(() => OAuth(host).RevokeAsync("access-only", Ct)),
            await Assert.ThrowsAnyAsync<SalesforceException>(() => host.Client.Limits.GetAsync(Ct)),
        };

        var logs = host.Provider.GetRequiredService<FakeLogCollector>().GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.NotEmpty(assertions);
        var stored = await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct);
        var everything = string.Join("\n", failures.Select(e => e.ToString()))
            + string.Join("\n", failures.OfType<SalesforceAuthenticationException>().Select(e => e.ErrorDescription))
            + string.Join("\n", failures.OfType<SalesforceApiException>().SelectMany(e => e.Errors).Select(e => e.Message))
            + string.Join("\n", logs.Select(l => l.Message + l.Exception + string.Join(",", l.StructuredState ?? [])))
            + stored + stored?.InvalidationReason;
        string[] secrets =
        [
            SalesforceTestHost.AccessToken, SalesforceTestHost.RefreshToken, "test-client-secret", Code, Verifier,
            .. assertions, .. assertions.Select(a => a.Split('.')[2]), KeyPem, KeyPem.Split('\n')[1],
        ];
        Assert.All(secrets.Concat(secrets.Select(Uri.EscapeDataString)), secret => Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase));
    }
}
