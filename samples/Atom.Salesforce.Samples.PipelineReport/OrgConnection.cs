using System.Globalization;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Emulator.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>
/// The org the report reads, reached through the SDK over HTTP either way.
/// <para>
/// Configuration (environment variables shown; user secrets use the same keys with <c>:</c>, e.g. <c>Salesforce:ClientId</c>):
/// <list type="bullet">
/// <item>nothing: the emulator's demo org on a free loopback port;</item>
/// <item><c>SALESFORCE__CLIENTID</c> (and <c>SALESFORCE__LOGINURL</c>, default https://login.salesforce.com) plus, for the
/// JWT bearer flow, <c>SALESFORCE__JWTPRIVATEKEYPATH</c> (or <c>SALESFORCE__JWTPRIVATEKEYPEM</c>) and <c>SALESFORCE__USERNAME</c>;</item>
/// <item>or, for a refresh token you already hold, <c>SALESFORCE__INSTANCEURL</c> and <c>SALESFORCE__REFRESHTOKEN</c>
/// (with <c>SALESFORCE__CLIENTSECRET</c> when the connected app requires it).</item>
/// </list>
/// Every other <c>SALESFORCE__*</c> key binds to <see cref="SalesforceOptions"/> as in any application.
/// </para>
/// </summary>
public sealed class OrgConnection : IAsyncDisposable
{
    /// <summary>The token store key of the one user this program runs as.</summary>
    public const string UserId = "pipeline-report";

    private readonly ServiceProvider _services;
    private readonly EmulatorServer? _emulatorServer;

    private OrgConnection(ServiceProvider services, EmulatorServer? emulatorServer, string description)
    {
        _services = services;
        _emulatorServer = emulatorServer;
        Description = description;
        Client = services.GetRequiredService<ISalesforceClientFactory>().ForUser(UserId);
    }

    /// <summary>The client of the connected user.</summary>
    public SalesforceClient Client { get; }

    /// <summary>Where the data comes from, for the report's header (no credentials).</summary>
    public string Description { get; }

    /// <summary>True when the org is the embedded emulator.</summary>
    public bool IsEmulator => _emulatorServer is not null;

    /// <summary>Connects to the configured org, or starts the emulator's demo org when none is configured.</summary>
    /// <exception cref="InvalidOperationException">An org is configured without a way to sign in.</exception>
    public static async Task<OrgConnection> OpenAsync(
        IConfiguration configuration, PipelineReportSettings settings, ReportConsole progress, CancellationToken cancellationToken)
    {
        var section = configuration.GetSection("Salesforce");
        return string.IsNullOrWhiteSpace(section["ClientId"])
            ? await StartEmulatorAsync(settings, progress, cancellationToken).ConfigureAwait(false)
            : await ConnectToOrgAsync(section, progress, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<OrgConnection> StartEmulatorAsync(PipelineReportSettings settings, ReportConsole progress, CancellationToken cancellationToken)
    {
        progress.WriteLine("No Salesforce org configured (SALESFORCE__CLIENTID is not set): generating the emulator's demo org.");
        var (emulator, server) = await progress.StepAsync(
            string.Create(CultureInfo.InvariantCulture, $"Generating the demo org (scale {settings.DemoScale}, today {settings.TimeProvider.GetUtcNow():yyyy-MM-dd})..."),
            async _ =>
            {
                // The generator runs in the constructor: off the caller's thread, so that the progress display keeps turning.
                var emulator = await Task.Run(() => new SalesforceEmulator(new SalesforceEmulatorOptions
                {
                    DemoData = new DemoDataOptions { Scale = settings.DemoScale },
                    TimeProvider = settings.TimeProvider,
                }), cancellationToken).ConfigureAwait(false);
                return (emulator, await emulator.ListenAsync(cancellationToken: cancellationToken).ConfigureAwait(false));
            },
            r => $"emulator listening on {r.Item2.BaseAddress}").ConfigureAwait(false);

        // The SDK runs on the org's clock, so that a token it stores is dated on the clock that checks it.
        var services = new ServiceCollection();
        services.AddSingleton(settings.TimeProvider);
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "emulator-client";
            o.LoginUrl = server.BaseAddress;
        });
        var provider = services.BuildServiceProvider();
        try
        {
            // The emulator accepts its configured access token; a real org gets its token from OAuth below.
            await provider.GetRequiredService<ITokenStore>().SaveAsync(
                UserId, new SalesforceToken(emulator.Options.AccessToken!, emulator.InstanceUrl, settings.TimeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            return new OrgConnection(provider, server, $"emulator demo org at {server.BaseAddress}");
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<OrgConnection> ConnectToOrgAsync(IConfigurationSection section, ReportConsole progress, CancellationToken cancellationToken)
    {
        var username = section["Username"];
        var instanceUrl = section["InstanceUrl"];
        var refreshToken = section["RefreshToken"];
        var hasJwtKey = !string.IsNullOrWhiteSpace(section["JwtPrivateKeyPath"]) || !string.IsNullOrWhiteSpace(section["JwtPrivateKeyPem"]);
        var useJwt = hasJwtKey && !string.IsNullOrWhiteSpace(username);
        var useRefresh = !string.IsNullOrWhiteSpace(instanceUrl) && !string.IsNullOrWhiteSpace(refreshToken);
        if (!useJwt && !useRefresh)
        {
            throw new InvalidOperationException(
                "SALESFORCE__CLIENTID is set but there is no way to sign in: set SALESFORCE__JWTPRIVATEKEYPATH and SALESFORCE__USERNAME "
                + "(JWT bearer flow), or SALESFORCE__INSTANCEURL and SALESFORCE__REFRESHTOKEN (a stored refresh token).");
        }

        var services = new ServiceCollection();
        services.AddAtomSalesforce(section);
        var provider = services.BuildServiceProvider();
        try
        {
            string description;
            if (useJwt)
            {
                progress.WriteLine("Signing in with the JWT bearer flow...");
                var token = await provider.GetRequiredService<ISalesforceOAuth>()
                    .AuthenticateWithJwtAsync(UserId, username!, cancellationToken).ConfigureAwait(false);
                description = token.InstanceUrl.GetLeftPart(UriPartial.Authority);
            }
            else
            {
                progress.WriteLine("Using the configured refresh token (the first call trades it for an access token)...");
                var instance = new Uri(instanceUrl!, UriKind.Absolute);

                // No access token yet: Salesforce refuses the placeholder with 401 and the SDK refreshes once, then replays.
                await provider.GetRequiredService<ITokenStore>().SaveAsync(UserId, new SalesforceToken("none", instance, DateTimeOffset.UnixEpoch)
                {
                    RefreshToken = refreshToken,
                    GrantType = SalesforceGrantType.AuthorizationCode,
                }, cancellationToken).ConfigureAwait(false);
                description = instance.GetLeftPart(UriPartial.Authority);
            }

            progress.WriteLine($"  connected to {description}");
            return new OrgConnection(provider, emulatorServer: null, description);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        if (_emulatorServer is not null)
        {
            await _emulatorServer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
