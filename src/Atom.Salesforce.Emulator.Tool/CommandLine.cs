using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Emulator.OAuth;

namespace Atom.Salesforce.Emulator.Tool;

/// <summary>
/// What the command line asks for: the org's options, where to listen, or the usage. The tool serves the demo org by
/// default (what the samples and a first look want); <c>--seed empty</c> starts with no data. The OAuth flags set up the
/// org's one connected app and add users to sign in as.
/// </summary>
internal sealed record CommandLine(SalesforceEmulatorOptions Options, string Url, bool Help)
{
    /// <summary>Where to write the Pub/Sub API's TLS certificate (PEM), if anywhere.</summary>
    public string? PubSubCertificateFile { get; init; }

    /// <summary>Where the tool listens without <c>--urls</c>: a free loopback port, printed at start.</summary>
    public const string DefaultUrl = "http://127.0.0.1:0";

    /// <summary>Printed by <c>--help</c> to stdout, and after an argument error to stderr.</summary>
    public const string Usage =
        """
        Usage: atom-salesforce-emulator [options]

        Serves an offline Salesforce org (REST, SOQL, composite, Bulk 2.0 and 1.0, SOAP, OAuth) over HTTP until it is
        stopped with Ctrl+C (SIGINT) or SIGTERM.

        Options:
          --urls URL                  Where to listen, e.g. http://127.0.0.1:8443 (default http://127.0.0.1:0: a free port).
          --seed demo|empty           Start with the generated demo sales org (default) or with no data.
          --scale N                   Demo org size, 0 < N <= 20 (default 1: 500 accounts, 2,500 opportunities).
          --random-seed N             Demo org random seed (default 1); another seed gives another org of the same shape.
          --today yyyy-MM-dd          The org clock starts at 12:00 UTC on that date (default: the system clock),
                                      so that the demo org is the same on every run.
          --access-token TOKEN        An access token the org always accepts (default: a fixed token shaped like a
                                      Salesforce session id, 00D...!..., printed at start).
          --api-limit N               Daily API request limit (default 15000); past it, 403 REQUEST_LIMIT_EXCEEDED.
          --session-timeout SECONDS   Lifetime of the tokens the OAuth endpoints issue (default 7200).
          --client-id ID              The connected app's client id (default emulator-client).
          --client-secret SECRET      The connected app's client secret (default emulator-secret).
          --callback-url URL          A callback URL the app accepts; repeat for more (default: any).
          --jwt-certificate PATH      The certificate (PEM or DER) that verifies JWT bearer assertions.
          --rotate-refresh-tokens     Each refresh returns a new refresh token and invalidates the old one.
          --user USERNAME[:PASSWORD]  A user to sign in as; repeat for more; with a password, the password flow works too.
          --pubsub-url URL|none       Where to serve the Pub/Sub API (gRPC, HTTP/2): http://127.0.0.1:0 by default
                                      (cleartext HTTP/2, a free port, printed at start); an https:// URL serves it over
                                      TLS with a self-signed certificate; none serves no Pub/Sub API.
          --pubsub-cert-file PATH     With an https:// --pubsub-url: write the certificate (PEM) there for clients to
                                      trust (NODE_EXTRA_CA_CERTS, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH).
          --platform-event SPEC       A platform event, Name__e:Field__c[=type],... (types: text (default), number,
                                      checkbox, date, datetime); repeat for more.
          -h, --help                  Print this help and exit.

        Exit codes:
          0  stopped by SIGINT or SIGTERM, or --help
          2  a bad argument (the error and this help go to stderr)
          3  could not listen on --urls (port in use, malformed URL, address not on this machine)
        """;

    private static readonly string[] ValueFlags =
    [
        "--urls", "--seed", "--scale", "--random-seed", "--today", "--access-token", "--api-limit", "--session-timeout",
        "--client-id", "--client-secret", "--callback-url", "--jwt-certificate", "--user", "--pubsub-url", "--pubsub-cert-file",
        "--platform-event",
    ];

    /// <summary>Reads the command line; on a mistake, false and a message saying which argument is wrong.</summary>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out CommandLine? commandLine, [NotNullWhen(false)] out string? error)
    {
        commandLine = null;
        error = null;
        var options = new SalesforceEmulatorOptions();
        var url = DefaultUrl;
        var demo = true;
        var demoOptions = new DemoDataOptions();
        var tunedDemo = false;
        var app = options.OAuth.ConnectedApps[0];
        string? certificateFile = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                commandLine = new CommandLine(options, url, Help: true);
                return true;
            }

            if (name == "--rotate-refresh-tokens")
            {
                app.RotateRefreshTokens = true;
                continue;
            }

            if (!ValueFlags.Contains(name, StringComparer.Ordinal))
            {
                error = $"Unknown argument '{name}'.";
                return false;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value.";
                return false;
            }

            var value = args[++i];
            var valid = true;
            switch (name)
            {
                case "--urls":
                    valid = !string.IsNullOrWhiteSpace(value);
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
                case "--today":
                    valid = DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var today);
                    if (valid)
                    {
                        options.TimeProvider = SalesforceEmulatorOptions.ClockStartingOn(today);
                    }

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
                case "--pubsub-url":
                    valid = value == "none" || (Uri.TryCreate(value, UriKind.Absolute, out var pubSub) && pubSub.Scheme is "http" or "https");
                    options.PubSubUrl = value == "none" ? null : value;
                    break;
                case "--pubsub-cert-file":
                    certificateFile = value;
                    break;
                case "--platform-event":
                    valid = TryParsePlatformEvent(value, out var platformEvent);
                    if (valid)
                    {
                        options.PlatformEvents.Add(platformEvent!);
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
        commandLine = new CommandLine(options, url, Help: false) { PubSubCertificateFile = certificateFile };
        return true;
    }

    /// <summary><c>Name__e:Field__c[=type],...</c>: a platform event and its fields.</summary>
    private static bool TryParsePlatformEvent(string value, out Schema.SObjectDefinition? platformEvent)
    {
        platformEvent = null;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? value : value[..colon];
        if (!name.EndsWith("__e", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var fields = new List<Schema.FieldDefinition>();
        foreach (var spec in colon < 0 ? [] : value[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = spec.Split('=', 2);
            Schema.FieldType? type = parts.Length == 1 ? Schema.FieldType.String : parts[1] switch
            {
                "text" => Schema.FieldType.String,
                "number" => Schema.FieldType.Double,
                "checkbox" => Schema.FieldType.Boolean,
                "date" => Schema.FieldType.Date,
                "datetime" => Schema.FieldType.DateTime,
                _ => null,
            };
            if (type is null || !parts[0].EndsWith("__c", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            fields.Add(new Schema.FieldDefinition(parts[0], type.Value));
        }

        platformEvent = new Schema.SObjectDefinition(name, fields);
        return true;
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
        return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : X509CertificateLoader.LoadCertificate(bytes);
    }
}
