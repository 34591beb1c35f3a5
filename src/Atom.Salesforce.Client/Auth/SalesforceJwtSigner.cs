using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Configuration;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Signs the assertions of the JWT bearer flow: RS256 over <c>iss</c> (the client id), <c>sub</c> (the username), <c>aud</c>
/// (the login URL or <see cref="SalesforceOptions.JwtAudience"/>) and <c>exp</c> (within the three minutes Salesforce allows).
/// The key comes from the options and is loaded once per options instance. Neither the key nor an assertion is ever logged.
/// </summary>
internal sealed class SalesforceJwtSigner(IOptionsMonitor<SalesforceOptions> options, TimeProvider timeProvider)
{
    /// <summary>
    /// How far ahead <c>exp</c> lies. Salesforce refuses an <c>exp</c> more than three minutes ahead of its own clock; two and a
    /// half leave room for a local clock that runs a little fast.
    /// </summary>
    internal static readonly TimeSpan AssertionLifetime = TimeSpan.FromSeconds(150);

    private static readonly string Header = Pkce.Base64Url("""{"alg":"RS256"}"""u8);

    private readonly object _gate = new();
    private CachedKey? _cached;

    /// <summary>True when one of the key settings is set.</summary>
    public static bool IsConfigured(SalesforceOptions settings) =>
        !string.IsNullOrEmpty(settings.JwtPrivateKeyPem) || !string.IsNullOrEmpty(settings.JwtPrivateKeyPath) || settings.JwtCertificate is not null;

    /// <summary>A signed assertion for <paramref name="username"/>.</summary>
    public string CreateAssertion(string username)
    {
        var settings = options.CurrentValue;
        var payload = Payload(settings, username, timeProvider.GetUtcNow());
        var signingInput = Header + "." + Pkce.Base64Url(payload);
        var data = Encoding.ASCII.GetBytes(signingInput);
        byte[] signature;
        lock (_gate)
        {
            signature = KeyFor(settings).SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        return signingInput + "." + Pkce.Base64Url(signature);
    }

    /// <summary>The audience: <see cref="SalesforceOptions.JwtAudience"/>, else the login URL, without a trailing slash.</summary>
    internal static string Audience(SalesforceOptions settings) =>
        (settings.JwtAudience ?? settings.LoginUrl).GetLeftPart(UriPartial.Path).TrimEnd('/');

    private static byte[] Payload(SalesforceOptions settings, string username, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("iss", settings.ClientId);
            json.WriteString("sub", username);
            json.WriteString("aud", Audience(settings));
            json.WriteNumber("exp", (now + AssertionLifetime).ToUnixTimeSeconds());
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Called under <see cref="_gate"/>.</summary>
    private RSA KeyFor(SalesforceOptions settings)
    {
        if (_cached is { } cached && ReferenceEquals(cached.Options, settings))
        {
            return cached.Key;
        }

        if (!IsConfigured(settings))
        {
            throw new InvalidOperationException(
                "The JWT bearer flow needs a signing key: set Salesforce:JwtPrivateKeyPem, Salesforce:JwtPrivateKeyPath or SalesforceOptions.JwtCertificate.");
        }

        var key = LoadKey(settings, out var error) ?? throw new InvalidOperationException(error);
        _cached?.Key.Dispose();
        _cached = new CachedKey(settings, key);
        return key;
    }

    /// <summary>
    /// Loads the configured RSA private key, or returns null with an explanation that names the setting and never quotes the
    /// key. Used by options validation at start-up and by the signer.
    /// </summary>
    internal static RSA? LoadKey(SalesforceOptions settings, out string? error)
    {
        var configured = new[] { !string.IsNullOrEmpty(settings.JwtPrivateKeyPem), !string.IsNullOrEmpty(settings.JwtPrivateKeyPath), settings.JwtCertificate is not null }
            .Count(set => set);
        if (configured > 1)
        {
            error = "Set only one of Salesforce:JwtPrivateKeyPem, Salesforce:JwtPrivateKeyPath and SalesforceOptions.JwtCertificate.";
            return null;
        }

        if (settings.JwtCertificate is { } certificate)
        {
            RSA? fromCertificate;
            try
            {
                fromCertificate = certificate.GetRSAPrivateKey();
            }
            catch (CryptographicException)
            {
                fromCertificate = null;
            }

            error = fromCertificate is null ? "SalesforceOptions.JwtCertificate must be an RSA certificate with its private key." : null;
            return fromCertificate;
        }

        string pem;
        string setting;
        if (!string.IsNullOrEmpty(settings.JwtPrivateKeyPath))
        {
            setting = "Salesforce:JwtPrivateKeyPath";
            try
            {
                pem = File.ReadAllText(settings.JwtPrivateKeyPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error = $"{setting}: the file '{settings.JwtPrivateKeyPath}' cannot be read ({e.GetType().Name}).";
                return null;
            }
        }
        else if (!string.IsNullOrEmpty(settings.JwtPrivateKeyPem))
        {
            setting = "Salesforce:JwtPrivateKeyPem";
            pem = settings.JwtPrivateKeyPem;
        }
        else
        {
            error = "No JWT signing key is configured.";
            return null;
        }

        return ImportPrivateKey(pem, setting, out error);
    }

    private static RSA? ImportPrivateKey(string pem, string setting, out string? error)
    {
        if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
        {
            error = $"{setting} holds an encrypted private key; give the key unencrypted (kept in a secret store) or use SalesforceOptions.JwtCertificate.";
            return null;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            // A public key imports too; only a private key can sign.
            _ = rsa.ExportParameters(includePrivateParameters: true);
            error = null;
            return rsa;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            error = $"{setting} must be an unencrypted PEM RSA private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).";
            return null;
        }
    }

    private sealed record CachedKey(SalesforceOptions Options, RSA Key);
}
