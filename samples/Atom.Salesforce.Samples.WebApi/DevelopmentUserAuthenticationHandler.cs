using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Samples.WebApi;

/// <summary>
/// Emulator mode only: every request is signed in as the development user, so that every route answers at once with no
/// sign-in. Never registered when a real org is configured.
/// </summary>
internal sealed class DevelopmentUserAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DevelopmentUser";
    public const string UserId = "dev-user";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, UserId), new Claim(ClaimTypes.Name, "Development user")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>Emulator mode only: stores the development user's token when the host starts, before any request is served.</summary>
internal sealed class DevelopmentUserConnection(Atom.Salesforce.Client.Auth.ITokenStore store, Atom.Salesforce.Emulator.SalesforceEmulator emulator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.SaveAsync(
        DevelopmentUserAuthenticationHandler.UserId,
        new Atom.Salesforce.Client.Auth.SalesforceToken(emulator.Options.AccessToken!, emulator.InstanceUrl, DateTimeOffset.UtcNow),
        cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
