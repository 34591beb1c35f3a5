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

    /// <summary>The default scheme in emulator mode: the cookie when the request carries it, else the development user.</summary>
    public const string PolicySchemeName = "CookieOrDevelopmentUser";

    /// <summary>The cookie scheme's cookie (ASP.NET Core's default name for the "Cookies" scheme).</summary>
    public const string CookieName = ".AspNetCore.Cookies";

    /// <summary>The user the contract's documented example bodies name (<c>"user_id": "user123"</c>), so that they work as written.</summary>
    public const string UserId = "user123";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, UserId), new Claim(ClaimTypes.Name, "Development user")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>
/// Emulator mode only: stores the development user's token when the host starts, before any request is served, and picks an
/// account of the demo org for the examples of the API page (<see cref="DemoOrgExamples"/>).
/// </summary>
internal sealed class DevelopmentUserConnection(
    Atom.Salesforce.Client.Auth.ITokenStore store,
    Atom.Salesforce.Emulator.SalesforceEmulator emulator,
    Atom.Salesforce.Client.DependencyInjection.ISalesforceClientFactory clients,
    Atom.Salesforce.Client.Auth.ISalesforceOAuth oauth,
    DemoOrgExamples examples,
    Uri instanceUrl) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var token = new Atom.Salesforce.Client.Auth.SalesforceToken(emulator.Options.AccessToken!, instanceUrl, DateTimeOffset.UtcNow);
        await store.SaveAsync(DevelopmentUserAuthenticationHandler.UserId, token, cancellationToken);

        // The identity URL names the org, which the Pub/Sub API requires (live changes): the user's OpenID Connect subject.
        var info = await oauth.GetUserInfoAsync(DevelopmentUserAuthenticationHandler.UserId, cancellationToken);
        await store.SaveAsync(DevelopmentUserAuthenticationHandler.UserId, token with { IdentityUrl = new Uri(info.Subject!) }, cancellationToken);
        var client = clients.ForUser(DevelopmentUserAuthenticationHandler.UserId);
        await foreach (var account in client.Query.QueryAsync<Atom.Salesforce.Client.Records.SObject>("SELECT Id FROM Account ORDER BY Name LIMIT 1", cancellationToken: cancellationToken))
        {
            examples.AccountId = account.Id;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Records of the demo org that the API page's examples name, so that each example works as sent: the documented
/// <c>opportunities/create</c> body names an account id that exists in no org, so the page shows it with a demo account's id.
/// </summary>
internal sealed class DemoOrgExamples
{
    public string? AccountId { get; set; }

    /// <summary>Puts the demo account into the examples that name an account.</summary>
    public void Apply(System.Text.Json.Nodes.JsonObject document)
    {
        if (AccountId is null)
        {
            return;
        }

        var example = document["paths"]?["/api/salesforce/enhanced/opportunities/create"]?["post"]?["requestBody"]?["content"]?["application/json"]?["example"];
        if (example is System.Text.Json.Nodes.JsonObject body)
        {
            body["account_id"] = AccountId;
        }
    }
}
