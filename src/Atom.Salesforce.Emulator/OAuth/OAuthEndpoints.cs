using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;

namespace Atom.Salesforce.Emulator.OAuth;

/// <summary>
/// The OAuth 2.0 endpoints under <c>/services/oauth2</c> and the identity URL, with Salesforce's redirects, bodies and
/// errors. They are anonymous routes: the token endpoint authenticates clients itself, userinfo and identity check the
/// bearer token themselves and refuse it the way Salesforce's identity service does (403 <c>Bad_OAuth_Token</c>).
/// </summary>
internal sealed class OAuthEndpoints(OAuthServer server)
{
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private const string TextContentType = "text/plain;charset=UTF-8";

    public void Map(Router router)
    {
        router.Map("GET", "/services/oauth2/authorize", Authorize, anonymous: true);
        router.Map("POST", "/services/oauth2/token", Token, anonymous: true);
        router.Map("POST", "/services/oauth2/revoke", Revoke, anonymous: true);
        router.Map("GET", "/services/oauth2/revoke", Revoke, anonymous: true);
        router.Map("GET", "/services/oauth2/userinfo", UserInfo, anonymous: true);
        router.Map("POST", "/services/oauth2/userinfo", UserInfo, anonymous: true);
        router.Map("GET", "/id/{orgId}/{userId}", Identity, anonymous: true);
        router.Map("GET", "/services/oauth2/singleaccess", SingleAccess, anonymous: true);
        router.Map("POST", "/services/oauth2/singleaccess", SingleAccess, anonymous: true);
    }

    /// <summary>
    /// Auto-approves: redirects to the callback with a code and the state. A bad client id or callback gets an error page
    /// (there is nowhere safe to redirect to); every other error goes back on the redirect.
    /// </summary>
    private EmulatorResponse Authorize(RequestContext context)
    {
        var query = context.Request.Query;
        var app = server.FindApp(query.GetValueOrDefault("client_id"));
        if (app is null)
        {
            return ErrorPage("invalid_client_id", "client identifier invalid");
        }

        var redirectUri = query.GetValueOrDefault("redirect_uri");
        if (string.IsNullOrEmpty(redirectUri) || !OAuthServer.IsAllowedCallback(app, redirectUri))
        {
            return ErrorPage("redirect_uri_mismatch", "redirect_uri must match configuration");
        }

        var state = query.GetValueOrDefault("state");
        try
        {
            if (query.GetValueOrDefault("response_type") != "code")
            {
                throw new OAuthException("unsupported_response_type", "response type not supported");
            }

            var challenge = NullIfEmpty(query.GetValueOrDefault("code_challenge"));
            var method = NullIfEmpty(query.GetValueOrDefault("code_challenge_method"));
            if (method is not null && (method != "S256" || challenge is null))
            {
                throw new OAuthException("invalid_request", "invalid code challenge");
            }

            var code = server.IssueCode(app, redirectUri, NullIfEmpty(query.GetValueOrDefault("login_hint")), query.GetValueOrDefault("scope"), challenge);
            return Redirect(redirectUri, ("code", code), ("state", state));
        }
        catch (OAuthException e)
        {
            return Redirect(redirectUri, ("error", e.Error), ("error_description", e.Description), ("state", state));
        }
    }

    /// <summary>Every grant, form-encoded; client credentials in the form or in a Basic header.</summary>
    private EmulatorResponse Token(RequestContext context)
    {
        var form = context.Request.ReadForm();
        var (clientId, clientSecret) = ClientCredentials(context.Request, form);
        string? Field(string name) => NullIfEmpty(form.GetValueOrDefault(name));
        try
        {
            var issued = Field("grant_type") switch
            {
                "authorization_code" => server.ExchangeCode(clientId, clientSecret, Field("code"), Field("redirect_uri"), Field("code_verifier")),
                "refresh_token" => server.Refresh(clientId, clientSecret, Field("refresh_token")),
                JwtBearerGrant => server.JwtBearer(Field("assertion")),
                "client_credentials" => server.ClientCredentials(clientId, clientSecret),
                "password" => server.Password(clientId, clientSecret, Field("username"), Field("password")),
                _ => throw new OAuthException("unsupported_grant_type", "grant type not supported"),
            };
            return TokenResponse(server, issued);
        }
        catch (OAuthException e)
        {
            return OAuthError(e.Error, e.Description);
        }
    }

    /// <summary>200 with an empty body when revoked; 400 <c>invalid_token</c> or <c>unsupported_token_type</c> otherwise.</summary>
    private EmulatorResponse Revoke(RequestContext context)
    {
        var token = context.Request.Method == "GET" ? context.Request.QueryValue("token") : context.Request.ReadForm().GetValueOrDefault("token");
        return server.Revoke(token) switch
        {
            RevokeOutcome.Revoked => EmulatorResponse.Empty(200),
            RevokeOutcome.UnsupportedTokenType => OAuthError("unsupported_token_type", "this token type is not supported"),
            _ => OAuthError("invalid_token", "invalid token"),
        };
    }

    /// <summary>The OpenID Connect claims of the token's user.</summary>
    private EmulatorResponse UserInfo(RequestContext context)
    {
        if (!TryAuthenticate(context, out var user, out var refused))
        {
            return refused;
        }

        var instance = context.Host.InstanceUrl.ToString().TrimEnd('/');
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("sub", server.IdentityUrl(user.Id));
            writer.WriteString("user_id", user.Id);
            writer.WriteString("organization_id", OAuthServer.OrgId);
            writer.WriteString("preferred_username", (string?)user["Username"]);
            writer.WriteString("nickname", (string?)user["CommunityNickname"] ?? (string?)user["Alias"]);
            writer.WriteString("name", (string?)user["Name"]);
            writer.WriteString("email", (string?)user["Email"]);
            writer.WriteBoolean("email_verified", true);
            writer.WriteString("given_name", (string?)user["FirstName"]);
            writer.WriteString("family_name", (string?)user["LastName"]);
            writer.WriteString("zoneinfo", (string?)user["TimeZoneSidKey"]);
            WritePhotos(writer, instance);
            writer.WriteString("profile", $"{instance}/{user.Id}");
            writer.WriteString("picture", $"{instance}/profilephoto/005/F");
            writer.WriteStartObject("address");
            writer.WriteEndObject();
            writer.WriteBoolean("is_salesforce_integration_user", false);
            WriteUrls(writer, instance, user.Id);
            writer.WriteBoolean("active", user["IsActive"] is true);
            writer.WriteString("user_type", ((string?)user["UserType"] ?? "Standard").ToUpperInvariant());
            writer.WriteString("language", (string?)user["LanguageLocaleKey"]);
            writer.WriteString("locale", (string?)user["LocaleSidKey"]);
            writer.WriteNumber("utcOffset", UtcOffsetMilliseconds((string?)user["TimeZoneSidKey"], context.Org.Now));
            writer.WriteString("updated_at", ((DateTimeOffset)user["LastModifiedDate"]!).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteBoolean("is_app_installed", true);
            writer.WriteEndObject();
        });
    }

    /// <summary>The identity URL of a user of the org (any user's, as for a token with the api scope of an internal user).</summary>
    private EmulatorResponse Identity(RequestContext context)
    {
        if (!TryAuthenticate(context, out var caller, out var refused))
        {
            return refused;
        }

        var orgId = context["orgId"];
        var userId = context["userId"];
        var sameOrg = orgId.Length is 15 or 18 && OAuthServer.OrgId.StartsWith(orgId, StringComparison.Ordinal);
        var user = sameOrg ? context.Org.Find(userId) : null;
        if (user is null || user.Schema.Name != "User")
        {
            return EmulatorResponse.Text(404, "Bad_Id", TextContentType);
        }

        var instance = context.Host.InstanceUrl.ToString().TrimEnd('/');
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", server.IdentityUrl(user.Id));
            writer.WriteBoolean("asserted_user", user.Id == caller.Id);
            writer.WriteString("user_id", user.Id);
            writer.WriteString("organization_id", OAuthServer.OrgId);
            writer.WriteString("username", (string?)user["Username"]);
            writer.WriteString("nick_name", (string?)user["CommunityNickname"] ?? (string?)user["Alias"]);
            writer.WriteString("display_name", (string?)user["Name"]);
            writer.WriteString("email", (string?)user["Email"]);
            writer.WriteBoolean("email_verified", true);
            writer.WriteString("first_name", (string?)user["FirstName"]);
            writer.WriteString("last_name", (string?)user["LastName"]);
            writer.WriteString("timezone", (string?)user["TimeZoneSidKey"]);
            WritePhotos(writer, instance);
            WriteUrls(writer, instance, user.Id);
            writer.WriteBoolean("active", user["IsActive"] is true);
            writer.WriteString("user_type", ((string?)user["UserType"] ?? "Standard").ToUpperInvariant());
            writer.WriteString("language", (string?)user["LanguageLocaleKey"]);
            writer.WriteString("locale", (string?)user["LocaleSidKey"]);
            writer.WriteNumber("utcOffset", UtcOffsetMilliseconds((string?)user["TimeZoneSidKey"], context.Org.Now));
            writer.WriteString("last_modified_date", ((DateTimeOffset)user["LastModifiedDate"]!).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture));
            writer.WriteBoolean("is_app_installed", true);
            writer.WriteEndObject();
        });
    }

    /// <summary>Salesforce's token response: no <c>expires_in</c>, <c>issued_at</c> in milliseconds as a string, never cached.</summary>
    private static EmulatorResponse TokenResponse(OAuthServer server, IssuedToken issued)
    {
        var session = issued.Session;
        var identityUrl = server.IdentityUrl(session.UserId);
        var issuedAt = session.IssuedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var response = EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", session.AccessToken);
            if (issued.RefreshToken is { } refreshToken)
            {
                writer.WriteString("refresh_token", refreshToken);
            }

            writer.WriteString("signature", OAuthServer.Signature(issued.App, identityUrl, issuedAt));
            writer.WriteString("scope", issued.Scope);
            writer.WriteString("instance_url", identityUrl[..identityUrl.IndexOf("/id/", StringComparison.Ordinal)]);
            writer.WriteString("id", identityUrl);
            writer.WriteString("token_type", "Bearer");
            writer.WriteString("issued_at", issuedAt);
            writer.WriteEndObject();
        });
        NoStore(response);
        return response;
    }

    /// <summary>Salesforce's OAuth error: 400 <c>{"error","error_description"}</c>.</summary>
    private static EmulatorResponse OAuthError(string error, string description)
    {
        var response = EmulatorResponse.Json(400, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("error_description", description);
            writer.WriteEndObject();
        });
        NoStore(response);
        return response;
    }

    private static void NoStore(EmulatorResponse response)
    {
        response.Headers["Cache-Control"] = "no-store";
        response.Headers["Pragma"] = "no-cache";
    }

    private static EmulatorResponse ErrorPage(string error, string description)
    {
        var html = $"<!DOCTYPE html><html><head><title>OAuth Error</title></head><body><h1>OAuth Error</h1>"
            + $"<p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p>"
            + $"<p>OAuth Error: {WebUtility.HtmlEncode(error)}: {WebUtility.HtmlEncode(description)}</p></body></html>";
        return EmulatorResponse.Text(400, html, "text/html;charset=UTF-8");
    }

    private static EmulatorResponse Redirect(string redirectUri, params (string Name, string? Value)[] parameters)
    {
        var location = new StringBuilder(redirectUri);
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (name, value) in parameters.Where(p => p.Value is not null))
        {
            location.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value!));
            separator = '&';
        }

        var response = EmulatorResponse.Empty(302);
        response.Headers["Location"] = location.ToString();
        response.Headers["Cache-Control"] = "no-cache, no-store";
        return response;
    }

    /// <summary>The client id and secret from the form, or else from <c>Authorization: Basic base64(id:secret)</c>.</summary>
    private static (string? ClientId, string? ClientSecret) ClientCredentials(EmulatorRequest request, IReadOnlyDictionary<string, string> form)
    {
        var clientId = NullIfEmpty(form.GetValueOrDefault("client_id"));
        var clientSecret = NullIfEmpty(form.GetValueOrDefault("client_secret"));
        var header = request.Header("Authorization");
        if (clientId is null && header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    clientId = Uri.UnescapeDataString(pair[..colon]);
                    clientSecret ??= NullIfEmpty(Uri.UnescapeDataString(pair[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
                // Not Base64: as if there were no header, so the client id is missing.
            }
        }

        return (clientId, clientSecret);
    }

    /// <summary>The live session's user, from the bearer header or the <c>oauth_token</c> parameter; else the identity service's 403.</summary>
    /// <summary>
    /// The Single Access UI Bridge API (Salesforce Help, "Generate a Frontdoor URL to Bridge into UI Sessions";
    /// <c>sf org open</c> calls it with GET): the session's bearer token is exchanged for
    /// <c>{"frontdoor_uri": "{instance}/secur/frontdoor.jsp?otp=...&amp;startURL=..."}</c>, <c>startURL</c> being the
    /// <c>redirect_uri</c> asked for. A missing or unknown token is refused as the identity service refuses it (403). The
    /// emulator has no UI, so the frontdoor URL itself leads nowhere (404); the one-time password is random and unchecked.
    /// </summary>
    private static EmulatorResponse SingleAccess(RequestContext context)
    {
        if (!TryAuthenticate(context, out _, out var refused))
        {
            return refused;
        }

        var redirect = context.Request.QueryValue("redirect_uri");
        if (redirect is null && string.Equals(context.Request.Method, "POST", StringComparison.OrdinalIgnoreCase) && context.Request.Body.Length > 0)
        {
            redirect = context.Request.ReadForm().GetValueOrDefault("redirect_uri");
        }

        var otp = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var uri = $"{context.Host.InstanceUrl.ToString().TrimEnd('/')}/secur/frontdoor.jsp?otp={otp}";
        if (!string.IsNullOrEmpty(redirect))
        {
            uri += "&startURL=" + Uri.EscapeDataString(redirect);
        }

        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("frontdoor_uri", uri);
            writer.WriteEndObject();
        });
    }

    private static bool TryAuthenticate(RequestContext context, out StoredRecord user, out EmulatorResponse refused)
    {
        var token = context.Request.BearerToken() ?? NullIfEmpty(context.Request.QueryValue("oauth_token"));
        var session = context.Host.Sessions.Find(token);
        user = session is null ? null! : context.Org.Find(session.UserId)!;
        refused = token is null
            ? EmulatorResponse.Text(403, "Missing_OAuth_Token", TextContentType)
            : EmulatorResponse.Text(403, "Bad_OAuth_Token", TextContentType);
        return session is not null && user is not null;
    }

    private static void WritePhotos(Utf8JsonWriter writer, string instance)
    {
        writer.WriteStartObject("photos");
        writer.WriteString("picture", $"{instance}/profilephoto/005/F");
        writer.WriteString("thumbnail", $"{instance}/profilephoto/005/T");
        writer.WriteEndObject();
    }

    /// <summary>The org's endpoints, with the <c>{version}</c> placeholder clients fill in.</summary>
    private static void WriteUrls(Utf8JsonWriter writer, string instance, string userId)
    {
        var data = instance + "/services/data/v{version}/";
        writer.WriteStartObject("urls");
        writer.WriteString("enterprise", $"{instance}/services/Soap/c/{{version}}/{OAuthServer.OrgId}");
        writer.WriteString("metadata", $"{instance}/services/Soap/m/{{version}}/{OAuthServer.OrgId}");
        writer.WriteString("partner", $"{instance}/services/Soap/u/{{version}}/{OAuthServer.OrgId}");
        writer.WriteString("rest", data);
        writer.WriteString("sobjects", data + "sobjects/");
        writer.WriteString("search", data + "search/");
        writer.WriteString("query", data + "query/");
        writer.WriteString("recent", data + "recent/");
        writer.WriteString("tooling_soap", $"{instance}/services/Soap/T/{{version}}/{OAuthServer.OrgId}");
        writer.WriteString("tooling_rest", data + "tooling/");
        writer.WriteString("profile", $"{instance}/{userId}");
        writer.WriteString("feeds", data + "chatter/feeds");
        writer.WriteString("groups", data + "chatter/groups");
        writer.WriteString("users", data + "chatter/users");
        writer.WriteString("feed_items", data + "chatter/feed-items");
        writer.WriteString("feed_elements", data + "chatter/feed-elements");
        writer.WriteString("custom_domain", instance);
        writer.WriteEndObject();
    }

    /// <summary>The zone's offset from UTC now, in milliseconds; 0 for a zone the system does not know.</summary>
    private static long UtcOffsetMilliseconds(string? zone, DateTimeOffset now)
    {
        if (zone is null or "GMT")
        {
            return 0;
        }

        try
        {
            return (long)TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(now).TotalMilliseconds;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return 0;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
