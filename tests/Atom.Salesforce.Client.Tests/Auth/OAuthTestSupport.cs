using System.Collections.Specialized;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Tests.Auth;

/// <summary>Keys, a fake clock, captured requests and JWT decoding for the OAuth tests.</summary>
internal static class OAuthTestSupport
{
    public const string TokenEndpoint = "https://login.salesforce.com/services/oauth2/token";
    public const string RevokeEndpoint = "https://login.salesforce.com/services/oauth2/revoke";
    public const string UserInfoEndpoint = SalesforceTestHost.Instance + "/services/oauth2/userinfo";
    public const string LimitsUrl = SalesforceTestHost.Instance + "/services/data/v66.0/limits/";

    /// <summary>One key for the whole run: generating RSA keys is slow.</summary>
    public static readonly RSA Key = RSA.Create(2048);

    public static readonly string KeyPem = Key.ExportPkcs8PrivateKeyPem();

    /// <summary>A point in time whose token lifetimes are easy to read in assertions.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Now);

    /// <summary>The test host with a fake clock and captured logs.</summary>
    public static SalesforceTestHost Host(FakeTimeProvider? clock = null, Action<SalesforceOptions>? configure = null) =>
        new(configure, s =>
        {
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
            s.AddSingleton<TimeProvider>(clock ?? Clock());
        });

    public static string TokenResponse(
        string accessToken, string? refreshToken = null, string instance = SalesforceTestHost.Instance, string issuedAt = "1772366400000") =>
        JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["access_token"] = accessToken,
            ["refresh_token"] = refreshToken,
            ["instance_url"] = instance,
            ["id"] = "https://login.salesforce.com/id/00Dxx0000000001AAA/005xx000000456AAA",
            ["issued_at"] = issuedAt,
            ["token_type"] = "Bearer",
            ["scope"] = "api",
            ["signature"] = "c2ln",
        }.Where(p => p.Value is not null).ToDictionary());

    public static HttpResponseMessage JsonResponse(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>The form fields of a captured request body.</summary>
    public static NameValueCollection Form(string body) => System.Web.HttpUtility.ParseQueryString(body);

    public static NameValueCollection QueryOf(Uri url) => System.Web.HttpUtility.ParseQueryString(url.Query);

    /// <summary>A JWT's header and payload as JSON, and whether <paramref name="publicKey"/> verifies its RS256 signature.</summary>
    public static (JsonElement Header, JsonElement Payload, bool SignatureValid) DecodeJwt(string jwt, RSA publicKey)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonDocument.Parse(Base64UrlDecode(parts[0])).RootElement.Clone();
        var payload = JsonDocument.Parse(Base64UrlDecode(parts[1])).RootElement.Clone();
        var valid = publicKey.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return (header, payload, valid);
    }

    public static byte[] Base64UrlDecode(string value)
    {
        var base64 = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
