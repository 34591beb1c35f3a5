using System.Security.Cryptography;
using System.Text;

namespace Atom.Salesforce.Client.Auth;

/// <summary>Proof Key for Code Exchange (RFC 7636, S256), the state value, and base64url.</summary>
internal static class Pkce
{
    /// <summary>32 random bytes, base64url: a 43-character verifier, the shortest RFC 7636 allows and 256 bits of entropy.</summary>
    public static string CreateCodeVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>An unguessable state value that ties the redirect back to the request that started it.</summary>
    public static string CreateState() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary><c>BASE64URL(SHA256(ASCII(verifier)))</c>.</summary>
    public static string CodeChallenge(string codeVerifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

    /// <summary>True when <paramref name="codeVerifier"/> has the form RFC 7636 requires: 43 to 128 unreserved characters.</summary>
    public static bool IsValidCodeVerifier(string codeVerifier) =>
        codeVerifier.Length is >= 43 and <= 128 && codeVerifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    /// <summary>Base64 with the URL alphabet and no padding (RFC 4648 section 5).</summary>
    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
