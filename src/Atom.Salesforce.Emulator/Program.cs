using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Atom.Salesforce.Emulator.OAuth;

namespace Atom.Salesforce.Emulator;

/// <summary>
/// <c>dotnet run --project src/Atom.Salesforce.Emulator -- --urls http://127.0.0.1:PORT [--access-token TOKEN]
/// [--api-limit N] [--session-timeout SECONDS] [--client-id ID] [--client-secret SECRET] [--callback-url URL]...
/// [--jwt-certificate PATH] [--rotate-refresh-tokens] [--user USERNAME[:PASSWORD]]...</c>. The OAuth flags set up the
/// org's one connected app and add users to sign in as.
/// </summary>
internal static class Program
{
    private const string Usage = "Usage: --urls URL [--access-token TOKEN] [--api-limit N] [--session-timeout SECONDS] "
        + "[--client-id ID] [--client-secret SECRET] [--callback-url URL]... [--jwt-certificate PATH] [--rotate-refresh-tokens] "
        + "[--user USERNAME[:PASSWORD]]...";

    public static async Task<int> Main(string[] args)
    {
        var options = new SalesforceEmulatorOptions();
        var app = options.OAuth.ConnectedApps[0];
        var url = "http://127.0.0.1:0";
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--urls":
                    url = Next();
                    break;
                case "--access-token":
                    options.AccessToken = Next();
                    break;
                case "--api-limit":
                    options.DailyApiLimit = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--session-timeout":
                    options.SessionTimeout = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture));
                    break;
                case "--client-id":
                    app.ClientId = Next();
                    break;
                case "--client-secret":
                    app.ClientSecret = Next();
                    break;
                case "--callback-url":
                    app.CallbackUrls.Add(new Uri(Next(), UriKind.Absolute));
                    break;
                case "--jwt-certificate":
                    app.JwtCertificate = LoadCertificate(Next());
                    break;
                case "--rotate-refresh-tokens":
                    app.RotateRefreshTokens = true;
                    break;
                case "--user":
                    options.OAuth.Users.Add(ParseUser(Next()));
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'. {Usage}").ConfigureAwait(false);
                    return 2;
            }
        }

        var emulator = new SalesforceEmulator(options);
        await using var server = await emulator.ListenAsync(url).ConfigureAwait(false);
        Console.WriteLine($"Atom.Salesforce.Emulator listening on {server.BaseAddress.ToString().TrimEnd('/')}");
        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
        await stop.Task.ConfigureAwait(false);
        return 0;
    }

    /// <summary><c>USERNAME[:PASSWORD]</c>: usernames hold no ':', passwords may.</summary>
    private static EmulatorUser ParseUser(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new EmulatorUser(value) : new EmulatorUser(value[..colon]) { Password = value[(colon + 1)..] };
    }

    /// <summary>A certificate file, PEM (<c>-----BEGIN CERTIFICATE-----</c>) or DER; only its public key is used.</summary>
    private static X509Certificate2 LoadCertificate(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            return X509Certificate2.CreateFromPem(text);
        }

#if NET9_0_OR_GREATER
        return X509CertificateLoader.LoadCertificate(bytes);
#else
        return new X509Certificate2(bytes);
#endif
    }
}
