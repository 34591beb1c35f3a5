using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Emulator.OAuth;

namespace Atom.Salesforce.Emulator;

/// <summary>
/// <c>dotnet run --project src/Atom.Salesforce.Emulator -- --urls http://127.0.0.1:PORT [--seed demo|empty] [--scale N]
/// [--random-seed N] [--access-token TOKEN] [--api-limit N] [--session-timeout SECONDS] [--client-id ID]
/// [--client-secret SECRET] [--callback-url URL]... [--jwt-certificate PATH] [--rotate-refresh-tokens]
/// [--user USERNAME[:PASSWORD]]...</c>. The executable serves the demo org by default (what the samples and a first look
/// want); <c>--seed empty</c> starts with no data. The OAuth flags set up the org's one connected app and add users to
/// sign in as.
/// </summary>
internal static class Program
{
    public const string Usage =
        "Usage: --urls URL [--seed demo|empty] [--scale N] [--random-seed N] [--access-token TOKEN] [--api-limit N] [--session-timeout SECONDS] "
        + "[--client-id ID] [--client-secret SECRET] [--callback-url URL]... [--jwt-certificate PATH] [--rotate-refresh-tokens] "
        + "[--user USERNAME[:PASSWORD]]...";

    public static async Task<int> Main(string[] args)
    {
        if (!TryParse(args, out var options, out var url, out var error))
        {
            await Console.Error.WriteLineAsync($"{error} {Usage}").ConfigureAwait(false);
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var emulator = new SalesforceEmulator(options);
        if (options.DemoData is { } demo)
        {
            Console.WriteLine(DemoSummary(emulator, demo, clock.Elapsed));
        }

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

    /// <summary>Reads the command line; on a mistake, false and a message saying which argument is wrong.</summary>
    public static bool TryParse(string[] args, out SalesforceEmulatorOptions options, out string url, out string? error)
    {
        options = new SalesforceEmulatorOptions();
        url = "http://127.0.0.1:0";
        error = null;
        var demo = true;
        var demoOptions = new DemoDataOptions();
        var tunedDemo = false;
        var app = options.OAuth.ConnectedApps[0];
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--rotate-refresh-tokens")
            {
                app.RotateRefreshTokens = true;
                continue;
            }

            if (name is not ("--urls" or "--seed" or "--scale" or "--random-seed" or "--access-token" or "--api-limit" or "--session-timeout"
                or "--client-id" or "--client-secret" or "--callback-url" or "--jwt-certificate" or "--user"))
            {
                error = $"Unknown argument '{name}'.";
                return false;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value.";
                return false;
            }

            var value = args[++i];
            var valid = true;
            switch (name)
            {
                case "--urls":
                    url = value;
                    break;
                case "--seed":
                    valid = value is "demo" or "empty";
                    demo = value == "demo";
                    break;
                case "--scale":
                    valid = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale > 0 && scale <= DemoDataOptions.MaxScale;
                    if (valid)
                    {
                        demoOptions.Scale = scale;
                        tunedDemo = true;
                    }

                    break;
                case "--random-seed":
                    valid = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed);
                    demoOptions.RandomSeed = seed;
                    tunedDemo = true;
                    break;
                case "--access-token":
                    options.AccessToken = value;
                    break;
                case "--api-limit":
                    valid = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && limit > 0;
                    options.DailyApiLimit = limit;
                    break;
                case "--session-timeout":
                    valid = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0;
                    options.SessionTimeout = TimeSpan.FromSeconds(seconds);
                    break;
                case "--client-id":
                    app.ClientId = value;
                    break;
                case "--client-secret":
                    app.ClientSecret = value;
                    break;
                case "--callback-url":
                    valid = Uri.TryCreate(value, UriKind.Absolute, out var callback);
                    if (valid)
                    {
                        app.CallbackUrls.Add(callback!);
                    }

                    break;
                case "--jwt-certificate":
                    valid = File.Exists(value);
                    if (valid)
                    {
                        app.JwtCertificate = LoadCertificate(value);
                    }

                    break;
                default:
                    options.OAuth.Users.Add(ParseUser(value));
                    break;
            }

            if (!valid)
            {
                error = $"Invalid value '{value}' for {name}.";
                return false;
            }
        }

        if (!demo && tunedDemo)
        {
            error = "--scale and --random-seed apply to --seed demo only.";
            return false;
        }

        options.DemoData = demo ? demoOptions : null;
        return true;
    }

    private static string DemoSummary(SalesforceEmulator emulator, DemoDataOptions demo, TimeSpan elapsed)
    {
        var org = emulator.Org;
        string Count(string objectName, string label) =>
            $"{org.Records(org.Schema.Find(objectName)!).Count.ToString("N0", CultureInfo.InvariantCulture)} {label}";
        var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var scale = demo.Scale.ToString(CultureInfo.InvariantCulture);
        var seed = demo.RandomSeed.ToString(CultureInfo.InvariantCulture);
        return $"Demo org (random seed {seed}, scale {scale}) generated in {seconds} s: "
            + $"{Count("User", "users")}, {Count("Campaign", "campaigns")}, {Count("Account", "accounts")}, {Count("Contact", "contacts")}, "
            + $"{Count("Lead", "leads")}, {Count("Opportunity", "opportunities")}, {Count("OpportunityHistory", "history rows")}, "
            + $"{Count("Task", "tasks")}, {Count("Event", "events")}";
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
