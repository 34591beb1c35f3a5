using System.Text.Json;
using System.Text.RegularExpressions;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.Identity;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.AspNetCore.Telemetry;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Errors;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.AspNetCore.OAuth;

/// <summary>
/// The web server flow for the signed-in user: <c>oauth/authorize</c> redirects to Salesforce with PKCE and a fresh state,
/// keeping the state, the code verifier and the user in an encrypted, HTTP-only cookie; the callback accepts the code only
/// for that same signed-in user and state, exchanges it and stores the tokens under the user's id.
/// </summary>
internal static partial class OAuthEndpoints
{
    public const string CookieName = "atom_sf_oauth";
    public static readonly TimeSpan FlowLifetime = TimeSpan.FromMinutes(10);
    private const string ProtectorPurpose = "Atom.Salesforce.Client.AspNetCore.OAuth.v1";

    internal sealed record PendingFlow(string UserId, string State, string CodeVerifier, string RedirectUri, long ExpiresAt);

    internal sealed record ConnectedUser(bool Connected, string UserId, string InstanceUrl);

    /// <summary>The callback's path as the app sees it: the redirect URI's path, or <c>{prefix}/oauth/callback</c>.</summary>
    public static string CallbackPath(SalesforceEndpointOptions options, string prefix) =>
        options.RedirectUri?.AbsolutePath ?? prefix + "/oauth/callback";

    public static IResult Authorize(HttpContext http, string callbackPath)
    {
        var services = http.RequestServices.GetRequiredService<EndpointServices>();
        var userId = UserResolver.SignedInUser(http.User, services.Options);
        if (userId is null)
        {
            return ErrorMapper.Error(ErrorMapper.Envelope(SalesforceEndpointErrors.Unauthorized, 401, EndpointErrorCodes.NotAuthenticated, "Sign in first: connecting to Salesforce is done by the signed-in user."));
        }

        var redirectUri = services.Options.RedirectUri ?? new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{callbackPath}");
        var request = services.OAuth.CreateAuthorizationRequest(redirectUri, services.Options.OAuthScope);
        var expires = services.TimeProvider.GetUtcNow() + FlowLifetime;
        var flow = new PendingFlow(userId, request.State, request.CodeVerifier, redirectUri.ToString(), expires.ToUnixTimeSeconds());
        var protector = Protector(http);
        http.Response.Cookies.Append(CookieName, protector.Protect(JsonSerializer.Serialize(flow, EndpointJson.Info<PendingFlow>())), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = (http.Request.PathBase + callbackPath).ToString(),
            MaxAge = FlowLifetime,
            IsEssential = true,
        });
        return TypedResults.Redirect(request.AuthorizationUrl.ToString());
    }

    public static async Task<IResult> CallbackAsync(HttpContext http, string callbackPath)
    {
        var services = http.RequestServices.GetRequiredService<EndpointServices>();
        var query = http.Request.Query;
        var cookiePath = (http.Request.PathBase + callbackPath).ToString();
        if (query["error"].ToString() is { Length: > 0 } oauthError)
        {
            http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = cookiePath });
            var code = OAuthErrorCode().IsMatch(oauthError) ? oauthError : "oauth_error";
            Log.CallbackRefused(services.Logger, code);
            return ErrorMapper.Error(ErrorMapper.Envelope(SalesforceEndpointErrors.ApiError, 400, code, "Salesforce did not authorize the connection."));
        }

        var flow = ReadFlow(http, services);
        if (flow is null)
        {
            Log.CallbackRefused(services.Logger, "no valid flow cookie");
            return ErrorMapper.Error(ErrorMapper.Envelope(SalesforceEndpointErrors.ValidationError, 400, EndpointErrorCodes.InvalidState, "No connection was started from this browser, or it expired; start again."));
        }

        var userId = UserResolver.SignedInUser(http.User, services.Options);
        if (userId is null)
        {
            return ErrorMapper.Error(ErrorMapper.Envelope(SalesforceEndpointErrors.Unauthorized, 401, EndpointErrorCodes.NotAuthenticated, "Sign in first: the connection belongs to the signed-in user."));
        }

        if (!string.Equals(userId, flow.UserId, StringComparison.Ordinal))
        {
            Log.CallbackRefused(services.Logger, "the signed-in user is not the one who started the flow");
            return ErrorMapper.Error(ErrorMapper.Envelope(SalesforceEndpointErrors.Forbidden, 403, EndpointErrorCodes.UserMismatch, "The connection was started by another user."));
        }

        if (!SalesforceAuthorizationRequest.IsExpectedState(flow.State, query["state"].ToString()))
        {
            Log.CallbackRefused(services.Logger, "state mismatch");
            return ErrorMapper.Error(ErrorMapper.Envelope(SalesforceEndpointErrors.ValidationError, 400, EndpointErrorCodes.InvalidState, "The callback's state does not match the connection started."));
        }

        var authorizationCode = query["code"].ToString();
        if (authorizationCode.Length == 0)
        {
            return ErrorMapper.Error(ErrorMapper.Envelope(SalesforceEndpointErrors.ValidationError, 400, EndpointErrorCodes.MissingField, "The callback has no code."));
        }

        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = cookiePath });
        SalesforceToken token;
        try
        {
            using var audit = TokenAuditContext.Begin(http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString());
            token = await services.OAuth.ExchangeCodeAsync(userId, authorizationCode, flow.CodeVerifier, new Uri(flow.RedirectUri), http.RequestAborted).ConfigureAwait(false);
        }
        catch (SalesforceAuthenticationException e)
        {
            Log.CallbackRefused(services.Logger, e.ErrorCode);
            return ErrorMapper.Error(ErrorMapper.Envelope(SalesforceEndpointErrors.ApiError, 400, e.ErrorCode, "Salesforce refused the authorization code; start the connection again."));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ErrorMapper.ToResult(e, http, "oauth/callback", userId, services.Logger);
        }

        Log.UserConnected(services.Logger, userId);
        return services.Options.ConnectedRedirectPath is { } local
            ? TypedResults.LocalRedirect(local)
            : TypedResults.Json(new SuccessEnvelope(new ConnectedUser(true, userId, token.InstanceUrl.ToString())), EndpointJson.Info<SuccessEnvelope>());
    }

    private static PendingFlow? ReadFlow(HttpContext http, EndpointServices services)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var protectedFlow) || string.IsNullOrEmpty(protectedFlow))
        {
            return null;
        }

        try
        {
            var flow = JsonSerializer.Deserialize(Protector(http).Unprotect(protectedFlow), EndpointJson.Info<PendingFlow>());
            return flow is not null && services.TimeProvider.GetUtcNow().ToUnixTimeSeconds() < flow.ExpiresAt ? flow : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static IDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(ProtectorPurpose);

    [GeneratedRegex("^[a-z_]{1,64}$")]
    private static partial Regex OAuthErrorCode();
}
