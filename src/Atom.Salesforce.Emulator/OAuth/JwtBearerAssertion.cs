using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Atom.Salesforce.Emulator.OAuth;

/// <summary>
/// Checks a JWT bearer assertion as Salesforce does: RS256 signed with the key of the app's certificate, <c>iss</c> the
/// client id, <c>aud</c> a login URL, <c>exp</c> ahead but within three minutes, <c>sub</c> a username.
/// </summary>
internal static class JwtBearerAssertion
{
    /// <summary>How far ahead <c>exp</c> may lie: Salesforce's three minutes, plus a little for a client clock that runs fast.</summary>
    internal static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(10);

    /// <summary>The claims of a well-formed assertion, before any check.</summary>
    internal sealed record Claims(string Issuer, string? Subject, IReadOnlyList<string> Audiences, DateTimeOffset? Expires);

    /// <summary>The assertion's parts and claims, or <c>invalid assertion</c> when it is not a JWT with an RS256 header.</summary>
    public static (Claims Claims, byte[] SigningInput, byte[] Signature) Parse(string? assertion)
    {
        var parts = assertion?.Split('.') ?? [];
        if (parts.Length != 3)
        {
            throw InvalidAssertion();
        }

        try
        {
            using var header = JsonDocument.Parse(Base64UrlDecode(parts[0]));
            if (header.RootElement.ValueKind != JsonValueKind.Object
                || !header.RootElement.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "RS256")
            {
                throw InvalidAssertion();
            }

            using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
            var claims = payload.RootElement;
            if (claims.ValueKind != JsonValueKind.Object)
            {
                throw InvalidAssertion();
            }

            var issuer = StringClaim(claims, "iss") ?? throw OAuthException.InvalidClientId();
            var audiences = claims.TryGetProperty("aud", out var aud) && aud.ValueKind == JsonValueKind.Array
                ? aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList()
                : StringClaim(claims, "aud") is { } single ? [single] : [];
            DateTimeOffset? expires = null;
            if (claims.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetDouble(out var seconds)
                && seconds is > 0 and < 253_402_300_799)
            {
                expires = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
            }

            return (new Claims(issuer, StringClaim(claims, "sub"), audiences, expires), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlDecode(parts[2]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw InvalidAssertion();
        }
    }

    /// <summary>Checks the signature, audience and expiry; returns the username of <c>sub</c> and the app of <c>iss</c>.</summary>
    public static (string Username, ConnectedApp App) Verify(string? assertion, Func<string, ConnectedApp?> findApp, IReadOnlyCollection<string> audiences, DateTimeOffset now)
    {
        var (claims, signingInput, signature) = Parse(assertion);
        var app = findApp(claims.Issuer) ?? throw OAuthException.InvalidClientId();
        using var key = app.JwtCertificate?.GetRSAPublicKey();
        if (key is null || !key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            throw InvalidAssertion();
        }

        if (!claims.Audiences.Any(a => audiences.Contains(a.TrimEnd('/'), StringComparer.OrdinalIgnoreCase)))
        {
            throw OAuthException.InvalidGrant("audience is invalid");
        }

        // Salesforce reports an assertion past its exp as an expired "authorization code".
        if (claims.Expires is not { } expires || expires <= now)
        {
            throw OAuthException.InvalidGrant("expired authorization code");
        }

        if (expires > now + MaxLifetime)
        {
            throw InvalidAssertion();
        }

        return string.IsNullOrEmpty(claims.Subject) ? throw InvalidAssertion() : (claims.Subject, app);
    }

    internal static byte[] Base64UrlDecode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    internal static string Base64UrlEncode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? StringClaim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static OAuthException InvalidAssertion() => OAuthException.InvalidGrant("invalid assertion");
}
