using System.Collections.Specialized;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Web;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Emulator.Tests.OAuth;

/// <summary>An emulated org on a fake clock, spoken to over raw HTTP through the in-process handler, as any OAuth client would.</summary>
internal sealed class OAuthOrg : IDisposable
{
    public const string Callback = "https://app.example/oauth/callback";
    public const string ClientId = "emulator-client";
    public const string ClientSecret = "emulator-secret";

    public static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public OAuthOrg(Action<SalesforceEmulatorOptions>? configure = null)
    {
        var options = new SalesforceEmulatorOptions { TimeProvider = Time };
        configure?.Invoke(options);
        Emulator = new SalesforceEmulator(options);
        Http = new HttpClient(Emulator.CreateHandler()) { BaseAddress = Emulator.InstanceUrl };
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public SalesforceEmulator Emulator { get; }

    public HttpClient Http { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>GET /services/oauth2/authorize with the parameters (nulls left out).</summary>
    public async Task<HttpResponseMessage> AuthorizeAsync(params (string Name, string? Value)[] query)
    {
        var text = string.Join('&', query.Where(q => q.Value is not null).Select(q => q.Name + "=" + Uri.EscapeDataString(q.Value!)));
        return await Http.GetAsync(new Uri("/services/oauth2/authorize?" + text, UriKind.Relative), Ct);
    }

    /// <summary>Authorizes with the default app and callback, and returns the query of the redirect.</summary>
    public async Task<NameValueCollection> RedirectAsync(string? challenge = null, string? scope = null, string? loginHint = null, string? state = "xyz")
    {
        using var response = await AuthorizeAsync(
            ("response_type", "code"), ("client_id", ClientId), ("redirect_uri", Callback), ("state", state), ("scope", scope),
            ("login_hint", loginHint), ("code_challenge", challenge), ("code_challenge_method", challenge is null ? null : "S256"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(Callback + "?", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return HttpUtility.ParseQueryString(response.Headers.Location.Query);
    }

    public async Task<string> CodeAsync(string? challenge = null, string? scope = null, string? loginHint = null) =>
        (await RedirectAsync(challenge, scope, loginHint))["code"]!;

    /// <summary>POST /services/oauth2/token with the form fields (nulls left out).</summary>
    public async Task<TokenResult> TokenAsync(params (string Name, string? Value)[] form) => await TokenAsync(null, form);

    public async Task<TokenResult> TokenAsync(AuthenticationHeaderValue? authorization, params (string Name, string? Value)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/services/oauth2/token")
        {
            Content = new FormUrlEncodedContent(form.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Name, f.Value!))),
        };
        request.Headers.Authorization = authorization;
        using var response = await Http.SendAsync(request, Ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return new TokenResult(response.StatusCode, body.RootElement.Clone(), response.Headers.CacheControl, response.Content.Headers.ContentType?.ToString());
    }

    /// <summary>The code grant with the default app's secret and callback.</summary>
    public Task<TokenResult> ExchangeAsync(string code, string? verifier = null, string? secret = ClientSecret, string? redirectUri = Callback) =>
        TokenAsync(("grant_type", "authorization_code"), ("code", code), ("client_id", ClientId), ("client_secret", secret),
            ("redirect_uri", redirectUri), ("code_verifier", verifier));

    /// <summary>A signed-in access token of the default user, through the code grant.</summary>
    public async Task<TokenResult> SignInAsync(string? scope = null) => await ExchangeAsync(await CodeAsync(scope: scope));

    /// <summary>The status of a REST call with the token.</summary>
    public async Task<(HttpStatusCode Status, string Body)> RestAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/data/v66.0/limits");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await Http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    public async Task<(HttpStatusCode Status, string Body)> GetWithTokenAsync(string path, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        using var response = await Http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    public async Task<(HttpStatusCode Status, string Body)> RevokeAsync(string token)
    {
        using var response = await Http.PostAsync(
            new Uri("/services/oauth2/revoke", UriKind.Relative), new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]), Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    public void Dispose() => Http.Dispose();

    /// <summary>base64url(SHA-256(verifier)).</summary>
    public static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A token endpoint answer: status, JSON body and the caching headers.</summary>
internal sealed record TokenResult(HttpStatusCode Status, JsonElement Body, CacheControlHeaderValue? CacheControl, string? ContentType)
{
    public string? this[string name] => Body.TryGetProperty(name, out var value) ? value.GetString() : null;

    public bool Has(string name) => Body.TryGetProperty(name, out _);

    public string AccessToken => this["access_token"] ?? throw new InvalidOperationException($"No access token: {Body}");
}

/// <summary>RSA keys with self-signed certificates, and JWT bearer assertions signed with them.</summary>
internal static class Jwt
{
    private static readonly Lazy<(RSA Key, X509Certificate2 Certificate)> Default = new(Create);
    private static readonly Lazy<(RSA Key, X509Certificate2 Certificate)> Other = new(Create);

    public static RSA Key => Default.Value.Key;

    public static X509Certificate2 Certificate => Default.Value.Certificate;

    /// <summary>A key the org's certificate does not match.</summary>
    public static RSA OtherKey => Other.Value.Key;

    public static string Sign(RSA key, object claims, string alg = "RS256")
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Base64Url(signature);
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (RSA, X509Certificate2) Create()
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Atom emulator test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return (key, request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
    }
}
