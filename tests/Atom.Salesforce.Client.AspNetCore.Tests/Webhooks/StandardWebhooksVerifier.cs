using System.Security.Cryptography;
using System.Text;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Webhooks;

/// <summary>
/// A receiver's verification, written from the Standard Webhooks specification (https://www.standardwebhooks.com), not
/// from the pack's code: the secret's key is the base64 after <c>whsec_</c>; the signed content is
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>; <c>webhook-signature</c> holds space-separated <c>v1,{base64 HMAC-SHA256}</c>
/// entries, any one of which may match.
/// </summary>
internal static class StandardWebhooksVerifier
{
    public static bool Verify(string secret, string id, string timestamp, string signatureHeader, string body)
    {
        var key = Convert.FromBase64String(secret.Split('_', 2)[1]);
        using var hmac = new HMACSHA256(key);
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body))));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(entry => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(entry), expected));
    }

    public static bool Verify(string secret, Received request) =>
        Verify(secret, request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Header("webhook-signature"), request.Body);
}
