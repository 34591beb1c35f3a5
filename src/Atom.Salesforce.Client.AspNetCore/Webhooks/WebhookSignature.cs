using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Atom.Salesforce.Client.AspNetCore.Webhooks;

/// <summary>
/// Standard Webhooks signing (https://www.standardwebhooks.com): a secret is <c>whsec_</c> and the base64 of its key bytes;
/// the signed content is <c>{webhook-id}.{webhook-timestamp}.{body}</c>; <c>webhook-signature</c> is <c>v1,</c> and the
/// base64 HMAC-SHA256 of it, one per secret, separated by spaces (two while a rotated secret is still honoured).
/// </summary>
internal static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The key length of a new secret: 32 random bytes (the HMAC-SHA256 block's worth of entropy).</summary>
    private const int KeyBytes = 32;

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>A new message id (<c>msg_</c> and 26 characters), unique per event and endpoint, the same on every retry.</summary>
    public static string NewMessageId() => "msg_" + Guid.NewGuid().ToString("N")[..26];

    /// <summary>The <c>webhook-signature</c> value for <paramref name="secrets"/> (each <c>whsec_...</c>).</summary>
    public static string Sign(string messageId, long timestamp, string body, IEnumerable<string> secrets)
    {
        var content = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{messageId}.{timestamp}.{body}"));
        return string.Join(' ', secrets.Select(secret =>
        {
            var key = KeyOf(secret);
            try
            {
                return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }));
    }

    /// <summary>The key bytes of a <c>whsec_</c> secret.</summary>
    private static byte[] KeyOf(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
}
