using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;
using static Atom.Salesforce.Client.Tests.Auth.OAuthTestSupport;

namespace Atom.Salesforce.Client.Tests.Auth;

/// <summary>The OAuth flows of <see cref="ISalesforceOAuth"/> on the wire: URLs, form fields, headers, and what gets stored.</summary>
public sealed class OAuthFlowTests
{
    private static readonly Uri Callback = new("https://app.example.com/salesforce/callback");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ISalesforceOAuth OAuth(SalesforceTestHost host) => host.Provider.GetRequiredService<ISalesforceOAuth>();

    // ---- Web server flow with PKCE ----

    [Fact]
    public async Task The_authorization_URL_carries_every_parameter_of_the_web_server_flow_with_PKCE()
    {
        await using var host = Host();

        var request = OAuth(host).CreateAuthorizationRequest(Callback, "api refresh_token");

        Assert.Equal("https://login.salesforce.com/services/oauth2/authorize", request.AuthorizationUrl.GetLeftPart(UriPartial.Path));
        var query = QueryOf(request.AuthorizationUrl);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("test-client-id", query["client_id"]);
        Assert.Equal(Callback.OriginalString, query["redirect_uri"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(Pkce.CodeChallenge(request.CodeVerifier), query["code_challenge"]);
        Assert.Equal(request.State, query["state"]);
        Assert.Equal("api refresh_token", query["scope"]);
        Assert.Contains("scope=api%20refresh_token", request.AuthorizationUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(Callback, request.RedirectUri);
    }

    [Fact]
    public async Task Each_authorization_request_has_a_fresh_43_character_verifier_and_state_and_no_scope_unless_asked()
    {
        await using var host = Host();

        var first = OAuth(host).CreateAuthorizationRequest(Callback);
        var second = OAuth(host).CreateAuthorizationRequest(Callback);

        Assert.Equal(43, first.CodeVerifier.Length);
        Assert.True(Pkce.IsValidCodeVerifier(first.CodeVerifier));
        Assert.Equal(32, Base64UrlDecode(first.CodeVerifier).Length);
        Assert.Equal(32, Base64UrlDecode(first.State).Length);
        Assert.NotEqual(first.CodeVerifier, second.CodeVerifier);
        Assert.NotEqual(first.State, second.State);
        Assert.Null(QueryOf(first.AuthorizationUrl)["scope"]);
        Assert.DoesNotContain(first.CodeVerifier, first.AuthorizationUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.DoesNotContain(first.CodeVerifier, first.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(first.State, first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_code_challenge_matches_the_RFC_7636_appendix_B_test_vector()
    {
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.CodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abd", false)]
    [InlineData("abc", "abcd", false)]
    [InlineData("abc", "", false)]
    [InlineData("abc", null, false)]
    public void The_returned_state_is_checked_against_the_kept_one(string expected, string? returned, bool matches)
    {
        Assert.Equal(matches, SalesforceAuthorizationRequest.IsExpectedState(expected, returned));
    }

    [Fact]
    public async Task Exchanging_the_code_posts_the_verifier_and_stores_the_tokens()
    {
        await using var host = Host();
        var request = OAuth(host).CreateAuthorizationRequest(Callback);
        var exchange = host.Http.When(HttpMethod.Post, TokenEndpoint)
            .WithFormData([
                new("grant_type", "authorization_code"),
                new("code", "aPrxCodeFromCallback"),
                new("client_id", "test-client-id"),
                new("client_secret", "test-client-secret"),
                new("redirect_uri", Callback.OriginalString),
                new("code_verifier", request.CodeVerifier),
            ])
            .WithHeaders("Accept", "application/json")
            .Respond("application/json", TokenResponse("00Dxx!web-access", refreshToken: "5Aepweb-refresh"));

        var token = await OAuth(host).ExchangeCodeAsync("web-user", "aPrxCodeFromCallback", request.CodeVerifier, Callback, Ct);

        Assert.Equal(1, host.Http.GetMatchCount(exchange));
        Assert.Equal("00Dxx!web-access", token.AccessToken);
        Assert.Equal("5Aepweb-refresh", token.RefreshToken);
        Assert.Equal(new Uri(SalesforceTestHost.Instance), token.InstanceUrl);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1772366400000), token.IssuedAt);
        Assert.Equal(new Uri("https://login.salesforce.com/id/00Dxx0000000001AAA/005xx000000456AAA"), token.IdentityUrl);
        Assert.Equal(SalesforceGrantType.AuthorizationCode, token.GrantType);
        Assert.Equal("api", token.Scope);
        Assert.Equal(token, await host.Tokens.GetAsync("web-user", Ct));
    }

    [Fact]
    public async Task Connecting_reads_the_username_and_email_from_userinfo_so_the_stored_login_says_who_it_is()
    {
        await using var host = Host();
        var request = OAuth(host).CreateAuthorizationRequest(Callback);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", TokenResponse("00Dxx!web-access", refreshToken: "5Aepweb-refresh"));
        var userInfo = host.Http.When(HttpMethod.Get, UserInfoEndpoint).WithHeaders("Authorization", "Bearer 00Dxx!web-access")
            .Respond("application/json", """{"sub":"https://login.salesforce.com/id/00Dxx0000000001AAA/005xx000000456AAA","user_id":"005xx000000456AAA","organization_id":"00Dxx0000000001AAA","preferred_username":"jane@acme.example","email":"jane.doe@acme.example"}""");

        var token = await OAuth(host).ExchangeCodeAsync("web-user", "aPrxCodeFromCallback", request.CodeVerifier, Callback, Ct);

        Assert.Equal(1, host.Http.GetMatchCount(userInfo));
        Assert.Equal(("jane@acme.example", "jane.doe@acme.example"), (token.Username, token.Email));
        Assert.Equal(token, await host.Tokens.GetAsync("web-user", Ct));
    }

    [Fact]
    public async Task A_token_whose_userinfo_is_refused_is_still_stored_without_username()
    {
        await using var host = Host();
        var request = OAuth(host).CreateAuthorizationRequest(Callback);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", TokenResponse("00Dxx!web-access"));
        host.Http.When(HttpMethod.Get, UserInfoEndpoint).Respond(HttpStatusCode.Forbidden, "application/json", """[{"errorCode":"INSUFFICIENT_ACCESS","message":"insufficient scope"}]""");

        var token = await OAuth(host).ExchangeCodeAsync("web-user", "aPrxCodeFromCallback", request.CodeVerifier, Callback, Ct);

        Assert.Equal(("00Dxx!web-access", null, null), (token.AccessToken, token.Username, token.Email));
        Assert.Equal(token, await host.Tokens.GetAsync("web-user", Ct));
    }

    [Fact]
    public async Task A_recorded_token_response_without_refresh_token_is_stored_as_recorded()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", Fixtures.Read("oauth/token_success.restforce.json"));
        var request = OAuth(host).CreateAuthorizationRequest(Callback);

        var token = await OAuth(host).ExchangeCodeAsync("web-user", "code", request.CodeVerifier, Callback, Ct);

        Assert.StartsWith("00Dx0000000BV7z!", token.AccessToken, StringComparison.Ordinal);
        Assert.Null(token.RefreshToken);
        Assert.Equal(new Uri("https://na1.salesforce.com"), token.InstanceUrl);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1278448832702), token.IssuedAt);
    }

    [Fact]
    public async Task A_token_response_without_issued_at_is_dated_by_the_clock()
    {
        var clock = Clock();
        await using var host = Host(clock);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", Fixtures.Read("oauth/token_success.simple-salesforce.json"));
        var request = OAuth(host).CreateAuthorizationRequest(Callback);

        var token = await OAuth(host).ExchangeCodeAsync("web-user", "code", request.CodeVerifier, Callback, Ct);

        Assert.Equal(Now, token.IssuedAt);
        Assert.Equal("web api", token.Scope);
    }

    public static TheoryData<string, string> LoginUrls => new()
    {
        { "https://login.salesforce.com", "https://login.salesforce.com/services/oauth2/" },
        { "https://test.salesforce.com/", "https://test.salesforce.com/services/oauth2/" },
        { "https://acme.my.salesforce.com", "https://acme.my.salesforce.com/services/oauth2/" },
        { "https://acme--uat.sandbox.my.salesforce.com", "https://acme--uat.sandbox.my.salesforce.com/services/oauth2/" },
        { "http://127.0.0.1:5123", "http://127.0.0.1:5123/services/oauth2/" },
        { "http://127.0.0.1:5123/emulator/org1/", "http://127.0.0.1:5123/emulator/org1/services/oauth2/" },
    };

    [Theory]
    [MemberData(nameof(LoginUrls))]
    public async Task Every_kind_of_login_URL_places_authorize_token_and_revoke_under_it(string loginUrl, string expectedBase)
    {
        await using var host = Host(configure: o => o.LoginUrl = new Uri(loginUrl));
        var token = host.Http.When(HttpMethod.Post, expectedBase + "token").Respond("application/json", TokenResponse("00Dxx!any"));
        var revoke = host.Http.When(HttpMethod.Post, expectedBase + "revoke").Respond(HttpStatusCode.OK);
        host.Http.Fallback.Throw(new InvalidOperationException("unexpected URL"));

        var request = OAuth(host).CreateAuthorizationRequest(Callback);
        await OAuth(host).ExchangeCodeAsync("u", "code", request.CodeVerifier, Callback, Ct);
        await OAuth(host).RevokeAsync("u", Ct);

        Assert.Equal(expectedBase + "authorize", request.AuthorizationUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal(1, host.Http.GetMatchCount(token));
        Assert.Equal(1, host.Http.GetMatchCount(revoke));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_any_request()
    {
        await using var host = Host();
        host.Http.Fallback.Throw(new InvalidOperationException("nothing may be sent"));
        var oauth = OAuth(host);
        var verifier = oauth.CreateAuthorizationRequest(Callback).CodeVerifier;

        Assert.Throws<ArgumentNullException>(() => oauth.CreateAuthorizationRequest(null!));
        Assert.Throws<ArgumentException>(() => oauth.CreateAuthorizationRequest(new Uri("/callback", UriKind.Relative)));
        Assert.Throws<ArgumentException>(() => oauth.CreateAuthorizationRequest(Callback, " "));
        await Assert.ThrowsAsync<ArgumentException>(() => oauth.ExchangeCodeAsync("", "code", verifier, Callback, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => oauth.ExchangeCodeAsync("u", null!, verifier, Callback, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => oauth.ExchangeCodeAsync("u", "code", "too-short", Callback, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => oauth.ExchangeCodeAsync("u", "code", verifier + "!", Callback, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => oauth.ExchangeCodeAsync("u", "code", verifier, null!, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => oauth.AuthenticateWithJwtAsync("u", " ", Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => oauth.AuthenticateWithJwtAsync(null!, "x@y.z", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => oauth.AuthenticateWithClientCredentialsAsync(" ", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => oauth.RevokeAsync("", Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => oauth.GetUserInfoAsync(null!, Ct));
        Assert.Throws<ArgumentException>(() => SalesforceAuthorizationRequest.IsExpectedState("", "x"));
        Assert.Throws<ArgumentNullException>(() => new SalesforceAuthorizationRequest(null!, "s", verifier, Callback));
        Assert.Throws<ArgumentException>(() => new SalesforceAuthorizationRequest(Callback, "", verifier, Callback));
        Assert.Throws<ArgumentException>(() => new SalesforceAuthorizationRequest(Callback, "s", "", Callback));
        Assert.Throws<ArgumentNullException>(() => new SalesforceAuthorizationRequest(Callback, "s", verifier, null!));
    }

    // ---- JWT bearer flow ----

    [Fact]
    public async Task The_JWT_assertion_is_RS256_for_the_client_id_and_username_with_the_login_URL_as_audience_and_a_three_minute_expiry()
    {
        var clock = Clock();
        await using var host = Host(clock, o => o.JwtPrivateKeyPem = KeyPem);
        string? body = null;
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(async request =>
        {
            body = await request.Content!.ReadAsStringAsync(Ct);
            return JsonResponse(TokenResponse("00Dxx!jwt-access"));
        });

        var token = await OAuth(host).AuthenticateWithJwtAsync("jwt-user", "integration@acme.com", Ct);

        var form = Form(body!);
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
        Assert.Null(form["client_secret"]);
        var (header, payload, signatureValid) = DecodeJwt(form["assertion"]!, Key);
        Assert.True(signatureValid);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("test-client-id", payload.GetProperty("iss").GetString());
        Assert.Equal("integration@acme.com", payload.GetProperty("sub").GetString());
        Assert.Equal("https://login.salesforce.com", payload.GetProperty("aud").GetString());
        var exp = DateTimeOffset.FromUnixTimeSeconds(payload.GetProperty("exp").GetInt64());
        Assert.True(exp >= Now.AddMinutes(2) && exp <= Now.AddMinutes(3), $"exp {exp:O}");
        Assert.Equal(SalesforceGrantType.JwtBearer, token.GrantType);
        Assert.Equal("integration@acme.com", token.Username);
        Assert.Null(token.RefreshToken);
        Assert.Equal(token, await host.Tokens.GetAsync("jwt-user", Ct));
    }

    [Theory]
    [InlineData("https://test.salesforce.com/", null, "https://test.salesforce.com")]
    [InlineData("http://127.0.0.1:5123", null, "http://127.0.0.1:5123")]
    [InlineData("https://acme.my.salesforce.com", "https://login.salesforce.com", "https://login.salesforce.com")]
    public async Task The_JWT_audience_is_the_login_URL_unless_configured(string loginUrl, string? audience, string expected)
    {
        await using var host = Host(configure: o =>
        {
            o.LoginUrl = new Uri(loginUrl);
            o.JwtAudience = audience is null ? null : new Uri(audience);
            o.JwtPrivateKeyPem = KeyPem;
        });
        string? body = null;
        host.Http.When(HttpMethod.Post, loginUrl.TrimEnd('/') + "/services/oauth2/token").Respond(async request =>
        {
            body = await request.Content!.ReadAsStringAsync(Ct);
            return JsonResponse(TokenResponse("00Dxx!jwt-access"));
        });

        await OAuth(host).AuthenticateWithJwtAsync("jwt-user", "integration@acme.com", Ct);

        Assert.Equal(expected, DecodeJwt(Form(body!)["assertion"]!, Key).Payload.GetProperty("aud").GetString());
    }

    [Fact]
    public async Task A_certificate_with_its_private_key_signs_the_assertion()
    {
        using var certificateKey = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=Atom JWT test", certificateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        await using var host = Host(configure: o => o.JwtCertificate = certificate);
        string? body = null;
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(async request =>
        {
            body = await request.Content!.ReadAsStringAsync(Ct);
            return JsonResponse(TokenResponse("00Dxx!jwt-access"));
        });

        await OAuth(host).AuthenticateWithJwtAsync("jwt-user", "integration@acme.com", Ct);

        using var publicKey = certificate.GetRSAPublicKey()!;
        Assert.True(DecodeJwt(Form(body!)["assertion"]!, publicKey).SignatureValid);
        Assert.False(DecodeJwt(Form(body!)["assertion"]!, Key).SignatureValid);
    }

    [Fact]
    public async Task A_key_file_signs_the_assertion()
    {
        var path = Path.Combine(Path.GetTempPath(), $"atom-jwt-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, KeyPem, Ct);
        try
        {
            await using var host = Host(configure: o => o.JwtPrivateKeyPath = path);
            string? body = null;
            host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(async request =>
            {
                body = await request.Content!.ReadAsStringAsync(Ct);
                return JsonResponse(TokenResponse("00Dxx!jwt-access"));
            });

            await OAuth(host).AuthenticateWithJwtAsync("jwt-user", "integration@acme.com", Ct);

            Assert.True(DecodeJwt(Form(body!)["assertion"]!, Key).SignatureValid);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_JWT_flow_without_a_key_fails_before_any_request()
    {
        await using var host = Host();
        host.Http.Fallback.Throw(new InvalidOperationException("nothing may be sent"));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => OAuth(host).AuthenticateWithJwtAsync("jwt-user", "integration@acme.com", Ct));

        Assert.Contains("JwtPrivateKeyPem", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_JWT_token_is_replaced_by_a_new_assertion_on_401_and_the_request_replayed()
    {
        var clock = Clock();
        await using var host = Host(clock, o => o.JwtPrivateKeyPem = KeyPem);
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, new SalesforceToken("00Dxx!jwt-old", new Uri(SalesforceTestHost.Instance), Now.AddHours(-3))
        {
            GrantType = SalesforceGrantType.JwtBearer,
            Username = "integration@acme.com",
        }, Ct);
        host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer 00Dxx!jwt-old")
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        var replay = host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer 00Dxx!jwt-new")
            .Respond("application/json", Fixtures.Read("limits/limits.simple-salesforce.json"));
        var assertions = new List<string>();
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(async request =>
        {
            var form = Form(await request.Content!.ReadAsStringAsync(Ct));
            Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
            assertions.Add(form["assertion"]!);
            return JsonResponse(TokenResponse("00Dxx!jwt-new"));
        });

        var limits = await host.Client.Limits.GetAsync(Ct);

        Assert.Equal(15000, limits["DailyApiRequests"].Max);
        Assert.Equal(1, host.Http.GetMatchCount(replay));
        var assertion = Assert.Single(assertions);
        Assert.Equal("integration@acme.com", DecodeJwt(assertion, Key).Payload.GetProperty("sub").GetString());
        var stored = await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct);
        Assert.Equal("00Dxx!jwt-new", stored!.AccessToken);
        Assert.Equal(SalesforceGrantType.JwtBearer, stored.GrantType);
        Assert.Equal("integration@acme.com", stored.Username);
        Assert.True(stored.IsUsable);
    }

    [Fact]
    public async Task Concurrent_calls_on_an_expired_JWT_token_sign_one_assertion()
    {
        await using var host = Host(configure: o => o.JwtPrivateKeyPem = KeyPem);
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, new SalesforceToken("00Dxx!jwt-old", new Uri(SalesforceTestHost.Instance), Now)
        {
            GrantType = SalesforceGrantType.JwtBearer,
            Username = "integration@acme.com",
        }, Ct);
        host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer 00Dxx!jwt-old")
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer 00Dxx!jwt-new").Respond("application/json", "{}");
        var mints = 0;
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(async () =>
        {
            Interlocked.Increment(ref mints);
            await Task.Delay(50, Ct);
            return JsonResponse(TokenResponse("00Dxx!jwt-new"));
        });

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => host.Client.Limits.GetAsync(Ct), Ct)));

        Assert.Equal(1, mints);
    }

    [Fact]
    public async Task A_refused_JWT_renewal_marks_the_token_unusable_and_is_not_tried_again()
    {
        await using var host = Host(configure: o => o.JwtPrivateKeyPem = KeyPem);
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, new SalesforceToken("00Dxx!jwt-old", new Uri(SalesforceTestHost.Instance), Now)
        {
            GrantType = SalesforceGrantType.JwtBearer,
            Username = "integration@acme.com",
        }, Ct);
        host.Http.When(HttpMethod.Get, LimitsUrl)
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        var mint = host.Http.When(HttpMethod.Post, TokenEndpoint)
            .Respond(HttpStatusCode.BadRequest, "application/json", Fixtures.Read("oauth/token_error_not_approved.simple-salesforce.json"));

        var first = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Client.Limits.GetAsync(Ct));
        var second = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Client.Limits.GetAsync(Ct));

        Assert.Equal("invalid_grant", first.ErrorCode);
        Assert.Equal("invalid_grant", second.ErrorCode);
        Assert.Equal(1, host.Http.GetMatchCount(mint));
        var stored = await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct);
        Assert.False(stored!.IsUsable);
        Assert.Contains("user hasn't approved this consumer", stored.InvalidationReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_JWT_token_without_username_cannot_be_renewed_and_is_marked_unusable()
    {
        await using var host = Host(configure: o => o.JwtPrivateKeyPem = KeyPem);
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, new SalesforceToken("00Dxx!jwt-old", new Uri(SalesforceTestHost.Instance), Now)
        {
            GrantType = SalesforceGrantType.JwtBearer,
        }, Ct);
        host.Http.When(HttpMethod.Get, LimitsUrl)
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        var mint = host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", TokenResponse("00Dxx!never"));

        await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Client.Limits.GetAsync(Ct));

        Assert.Equal(0, host.Http.GetMatchCount(mint));
        var stored = await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct);
        Assert.False(stored!.IsUsable);
        Assert.Equal(SalesforceAuthenticationException.Codes.NoUsername, stored.InvalidationReason);
    }

    // ---- Client credentials ----

    [Fact]
    public async Task Client_credentials_go_to_the_My_Domain_token_endpoint_and_are_stored_without_refresh_token()
    {
        await using var host = Host(configure: o => o.LoginUrl = new Uri("https://acme.my.salesforce.com"));
        var call = host.Http.When(HttpMethod.Post, "https://acme.my.salesforce.com/services/oauth2/token")
            .WithFormData([new("grant_type", "client_credentials"), new("client_id", "test-client-id"), new("client_secret", "test-client-secret")])
            .Respond("application/json", TokenResponse("00Dxx!cc-access"));

        var token = await OAuth(host).AuthenticateWithClientCredentialsAsync("integration", Ct);

        Assert.Equal(1, host.Http.GetMatchCount(call));
        Assert.Equal(SalesforceGrantType.ClientCredentials, token.GrantType);
        Assert.Null(token.RefreshToken);
        Assert.Equal(token, await host.Tokens.GetAsync("integration", Ct));
    }

    [Fact]
    public async Task An_expired_client_credentials_token_is_replaced_by_asking_again()
    {
        await using var host = Host(configure: o => o.LoginUrl = new Uri("https://acme.my.salesforce.com"));
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, new SalesforceToken("00Dxx!cc-old", new Uri(SalesforceTestHost.Instance), Now)
        {
            GrantType = SalesforceGrantType.ClientCredentials,
        }, Ct);
        host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer 00Dxx!cc-old")
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        var replay = host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer 00Dxx!cc-new").Respond("application/json", "{}");
        var mint = host.Http.When(HttpMethod.Post, "https://acme.my.salesforce.com/services/oauth2/token")
            .WithFormData([new("grant_type", "client_credentials")])
            .Respond("application/json", TokenResponse("00Dxx!cc-new"));

        await host.Client.Limits.GetAsync(Ct);

        Assert.Equal(1, host.Http.GetMatchCount(mint));
        Assert.Equal(1, host.Http.GetMatchCount(replay));
        var stored = await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct);
        Assert.Equal(("00Dxx!cc-new", SalesforceGrantType.ClientCredentials), (stored!.AccessToken, stored.GrantType));
    }

    [Fact]
    public async Task Client_credentials_without_a_secret_fail_before_any_request()
    {
        await using var host = Host(configure: o => o.ClientSecret = null);
        host.Http.Fallback.Throw(new InvalidOperationException("nothing may be sent"));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => OAuth(host).AuthenticateWithClientCredentialsAsync("integration", Ct));

        Assert.Contains("ClientSecret", e.Message, StringComparison.Ordinal);
    }

    // ---- Revocation ----

    [Fact]
    public async Task Revoking_sends_the_refresh_token_and_deletes_the_stored_token()
    {
        await using var host = Host();
        var revoke = host.Http.When(HttpMethod.Post, RevokeEndpoint)
            .WithFormData([new("token", SalesforceTestHost.RefreshToken)])
            .Respond(HttpStatusCode.OK);

        await OAuth(host).RevokeAsync(SalesforceTestHost.UserId, Ct);

        Assert.Equal(1, host.Http.GetMatchCount(revoke));
        Assert.Null(await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct));
    }

    [Fact]
    public async Task Revoking_a_token_without_refresh_token_sends_the_access_token()
    {
        await using var host = Host();
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, SalesforceTestHost.Token(refreshToken: null), Ct);
        var revoke = host.Http.When(HttpMethod.Post, RevokeEndpoint)
            .WithFormData([new("token", SalesforceTestHost.AccessToken)])
            .Respond(HttpStatusCode.OK);

        await OAuth(host).RevokeAsync(SalesforceTestHost.UserId, Ct);

        Assert.Equal(1, host.Http.GetMatchCount(revoke));
        Assert.Null(await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct));
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported")]
    [InlineData("application/json", """{"error":"invalid_token","error_description":"the token is invalid"}""")]
    public async Task Revoking_an_already_invalid_token_is_not_an_error(string mediaType, string body)
    {
        await using var host = Host();
        var revoke = host.Http.When(HttpMethod.Post, RevokeEndpoint).Respond(HttpStatusCode.BadRequest, mediaType, body);

        await OAuth(host).RevokeAsync(SalesforceTestHost.UserId, Ct);

        Assert.Equal(1, host.Http.GetMatchCount(revoke));
        Assert.Null(await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct));
    }

    [Fact]
    public async Task A_revocation_that_fails_transiently_keeps_the_token_so_that_it_can_be_tried_again()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Post, RevokeEndpoint).Respond(HttpStatusCode.ServiceUnavailable, "text/html", "<html>down</html>");

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => OAuth(host).RevokeAsync(SalesforceTestHost.UserId, Ct));

        Assert.True(e.IsTransient);
        Assert.NotNull(await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct));
    }

    [Fact]
    public async Task Revoking_a_user_without_a_token_sends_nothing()
    {
        await using var host = Host();
        host.Http.Fallback.Throw(new InvalidOperationException("nothing may be sent"));

        await OAuth(host).RevokeAsync("nobody", Ct);

        Assert.Null(await host.Tokens.GetAsync("nobody", Ct));
    }

    // ---- Userinfo ----

    /// <summary>
    /// Shaped after the userinfo response in Salesforce's help ("UserInfo Endpoint"); no recorded one is among the shared
    /// fixtures. Values are synthetic.
    /// </summary>
    private const string UserInfoBody = """
        {"sub":"https://login.salesforce.com/id/00Dxx0000000001AAA/005xx000000456AAA","user_id":"005xx000000456AAA",
         "organization_id":"00Dxx0000000001AAA","preferred_username":"ada@acme.com","nickname":"ada","name":"Ada Lovelace",
         "email":"ada@acme.com","email_verified":true,"given_name":"Ada","family_name":"Lovelace","zoneinfo":"Europe/London",
         "photos":{"picture":"https://acme.file.force.com/profilephoto/005/F","thumbnail":"https://acme.file.force.com/profilephoto/005/T"},
         "profile":"https://acme.my.salesforce.com/005xx000000456AAA","picture":"https://acme.file.force.com/profilephoto/005/F",
         "address":{"country":"GB"},"is_salesforce_integration_user":false,
         "urls":{"rest":"https://acme.my.salesforce.com/services/data/v{version}/","sobjects":"https://acme.my.salesforce.com/services/data/v{version}/sobjects/",
                 "custom_domain":"https://acme.my.salesforce.com"},
         "active":true,"user_type":"STANDARD","language":"en_US","locale":"en_GB","utcOffset":0,"updated_at":"2025-01-31T10:00:00Z",
         "is_app_installed":true}
        """;

    [Fact]
    public async Task Userinfo_is_read_on_the_token_instance_with_the_bearer_token()
    {
        await using var host = Host();
        var call = host.Http.When(HttpMethod.Get, UserInfoEndpoint)
            .WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken)
            .Respond("application/json", UserInfoBody);

        var info = await OAuth(host).GetUserInfoAsync(SalesforceTestHost.UserId, Ct);

        Assert.Equal(1, host.Http.GetMatchCount(call));
        Assert.Equal("https://login.salesforce.com/id/00Dxx0000000001AAA/005xx000000456AAA", info.Subject);
        Assert.Equal("005xx000000456AAA", info.UserId);
        Assert.Equal("00Dxx0000000001AAA", info.OrganizationId);
        Assert.Equal("ada@acme.com", info.PreferredUsername);
        Assert.Equal(("Ada Lovelace", "Ada", "Lovelace", "ada"), (info.Name, info.GivenName, info.FamilyName, info.Nickname));
        Assert.Equal(("ada@acme.com", true), (info.Email, info.EmailVerified));
        Assert.Equal(("Europe/London", "en_GB", "en_US"), (info.ZoneInfo, info.Locale, info.Language));
        Assert.Equal(("STANDARD", true), (info.UserType, info.IsActive));
        Assert.Equal("https://acme.my.salesforce.com/services/data/v{version}/", info.Urls["rest"]);
        Assert.Equal("https://acme.my.salesforce.com", info.Urls["custom_domain"]);
        Assert.Equal("https://acme.file.force.com/profilephoto/005/T", info.AdditionalClaims["photos"].GetProperty("thumbnail").GetString());
        Assert.Equal(0, info.AdditionalClaims["utcOffset"].GetInt32());
        Assert.Equal("2025-01-31T10:00:00Z", info.AdditionalClaims["updated_at"].GetString());
        Assert.False(info.AdditionalClaims.ContainsKey("user_id"));
        Assert.False(info.AdditionalClaims.ContainsKey("urls"));
    }

    [Fact]
    public async Task Userinfo_keeps_the_path_base_of_an_instance_URL()
    {
        await using var host = Host();
        await host.Tokens.SaveAsync("emulated", new SalesforceToken("00Dxx!emu", new Uri("http://127.0.0.1:5123/emulator/org1/"), Now), Ct);
        var call = host.Http.When(HttpMethod.Get, "http://127.0.0.1:5123/emulator/org1/services/oauth2/userinfo")
            .WithHeaders("Authorization", "Bearer 00Dxx!emu")
            .Respond("application/json", """{"user_id":"005emu","urls":"not an object","active":"yes"}""");

        var info = await OAuth(host).GetUserInfoAsync("emulated", Ct);

        Assert.Equal(1, host.Http.GetMatchCount(call));
        Assert.Equal("005emu", info.UserId);
        Assert.Empty(info.Urls);
        Assert.Null(info.IsActive);
        Assert.Equal("yes", info.AdditionalClaims["active"].GetString());
        Assert.Equal("not an object", info.AdditionalClaims["urls"].GetString());
    }

    [Fact]
    public async Task Userinfo_refreshes_a_refused_token_once_and_asks_again()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Get, UserInfoEndpoint).WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken)
            .Respond(HttpStatusCode.Forbidden, "text/plain", "Bad_OAuth_Token");
        var fresh = host.Http.When(HttpMethod.Get, UserInfoEndpoint).WithHeaders("Authorization", "Bearer 00Dxx!fresh")
            .Respond("application/json", UserInfoBody);
        var refresh = host.Http.When(HttpMethod.Post, TokenEndpoint).WithFormData([new("grant_type", "refresh_token")])
            .Respond("application/json", TokenResponse("00Dxx!fresh"));

        var info = await OAuth(host).GetUserInfoAsync(SalesforceTestHost.UserId, Ct);

        Assert.Equal("ada@acme.com", info.PreferredUsername);
        Assert.Equal(1, host.Http.GetMatchCount(refresh));
        Assert.Equal(1, host.Http.GetMatchCount(fresh));
    }

    [Fact]
    public async Task Userinfo_refused_even_after_a_refresh_is_an_authentication_error()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Get, UserInfoEndpoint).Respond(HttpStatusCode.Unauthorized, "text/plain", "Bad_OAuth_Token");
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", TokenResponse("00Dxx!fresh"));

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => OAuth(host).GetUserInfoAsync(SalesforceTestHost.UserId, Ct));

        Assert.Equal("Bad_OAuth_Token", e.ErrorCode);
        Assert.Equal(SalesforceTestHost.UserId, e.UserId);
    }

    // ---- Session timeout ----

    [Fact]
    public async Task With_a_session_timeout_an_older_token_is_refreshed_before_use()
    {
        var clock = Clock();
        await using var host = Host(clock, o => o.SessionTimeout = TimeSpan.FromHours(2));
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, SalesforceTestHost.Token() with { IssuedAt = Now.AddHours(-2).AddSeconds(-1) }, Ct);
        var stale = host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken)
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        var fresh = host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer 00Dxx!fresh").Respond("application/json", "{}");
        var refresh = host.Http.When(HttpMethod.Post, TokenEndpoint)
            .Respond("application/json", TokenResponse("00Dxx!fresh", issuedAt: Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await host.Client.Limits.GetAsync(Ct);
        await host.Client.Limits.GetAsync(Ct);

        Assert.Equal(0, host.Http.GetMatchCount(stale));
        Assert.Equal(1, host.Http.GetMatchCount(refresh));
        Assert.Equal(2, host.Http.GetMatchCount(fresh));
    }

    [Fact]
    public async Task With_a_session_timeout_a_younger_token_is_used_as_it_is()
    {
        var clock = Clock();
        await using var host = Host(clock, o => o.SessionTimeout = TimeSpan.FromHours(2));
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, SalesforceTestHost.Token() with { IssuedAt = Now.AddMinutes(-119) }, Ct);
        var call = host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken).Respond("application/json", "{}");
        var refresh = host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", TokenResponse("00Dxx!fresh"));

        await host.Client.Limits.GetAsync(Ct);
        clock.Advance(TimeSpan.FromMinutes(2));
        host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer 00Dxx!fresh").Respond("application/json", "{}");
        await host.Client.Limits.GetAsync(Ct);

        Assert.Equal(1, host.Http.GetMatchCount(call));
        Assert.Equal(1, host.Http.GetMatchCount(refresh));
    }

    [Fact]
    public async Task With_a_session_timeout_an_old_JWT_token_is_reissued_before_use()
    {
        var clock = Clock();
        await using var host = Host(clock, o =>
        {
            o.SessionTimeout = TimeSpan.FromMinutes(15);
            o.JwtPrivateKeyPem = KeyPem;
        });
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, new SalesforceToken("00Dxx!jwt-old", new Uri(SalesforceTestHost.Instance), Now.AddMinutes(-16))
        {
            GrantType = SalesforceGrantType.JwtBearer,
            Username = "integration@acme.com",
        }, Ct);
        var fresh = host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer 00Dxx!jwt-new").Respond("application/json", "{}");
        var mint = host.Http.When(HttpMethod.Post, TokenEndpoint).WithFormData([new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")])
            .Respond("application/json", TokenResponse("00Dxx!jwt-new"));
        host.Http.Fallback.Throw(new InvalidOperationException("the old token may not be sent"));

        await host.Client.Limits.GetAsync(Ct);

        Assert.Equal(1, host.Http.GetMatchCount(mint));
        Assert.Equal(1, host.Http.GetMatchCount(fresh));
    }

    [Fact]
    public async Task With_a_session_timeout_a_token_endpoint_outage_falls_back_to_the_current_token()
    {
        var clock = Clock();
        await using var host = Host(clock, o => o.SessionTimeout = TimeSpan.FromHours(2));
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, SalesforceTestHost.Token() with { IssuedAt = Now.AddHours(-3) }, Ct);
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond(HttpStatusCode.ServiceUnavailable, "text/html", "<html>down</html>");
        var call = host.Http.When(HttpMethod.Get, LimitsUrl).WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken).Respond("application/json", "{}");

        await host.Client.Limits.GetAsync(Ct);

        Assert.Equal(1, host.Http.GetMatchCount(call));
        Assert.True((await host.Tokens.GetAsync(SalesforceTestHost.UserId, Ct))!.IsUsable);
    }
}
