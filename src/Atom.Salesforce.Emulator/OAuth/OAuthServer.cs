using System.Security.Cryptography;
using System.Text;
using Atom.Salesforce.Emulator.Auth;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;

namespace Atom.Salesforce.Emulator.OAuth;

/// <summary>A token the token endpoint hands out: the session, the refresh token when the flow grants one, and the scope.</summary>
internal sealed record IssuedToken(Session Session, string? RefreshToken, string Scope, ConnectedApp App);

/// <summary>What checking a username and password found.</summary>
internal enum PasswordCheck
{
    Valid,
    Invalid,
    MissingSecurityToken,
}

/// <summary>What revoking a token did.</summary>
internal enum RevokeOutcome
{
    Revoked,
    InvalidToken,
    UnsupportedTokenType,
}

/// <summary>
/// The org's authorization server: its connected apps and users, pending authorization codes and refresh-token grants.
/// Access tokens live in <see cref="Sessions"/>, so they expire after the session timeout like any other.
/// </summary>
internal sealed class OAuthServer
{
    public const string OrgId = Org.OrganizationId;

    /// <summary>The scopes granted when the request names none: what a connected app with "api" and "refresh_token" gets.</summary>
    public const string DefaultScope = "id api refresh_token";

    /// <summary>How long an authorization code can be exchanged (Salesforce: 15 minutes).</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(15);

    private readonly IEmulatorHost _host;
    private readonly Dictionary<string, ConnectedApp> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatorUser> _credentials = new(StringComparer.OrdinalIgnoreCase);
    private readonly string? _defaultUsername;

    // One lock for codes and grants: a code is used once and a rotated refresh token stops working at once.
    private readonly object _gate = new();
    private readonly Dictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Grant> _grants = new(StringComparer.Ordinal);

    /// <summary>Seeds the configured users into the org and checks the options: every username they name must exist.</summary>
    /// <param name="options">The org's connected apps and users (<c>SalesforceEmulatorOptions.OAuth</c>).</param>
    /// <param name="host">The org: its users, sessions, clock and instance URL.</param>
    public OAuthServer(EmulatorOAuthOptions options, IEmulatorHost host)
    {
        _host = host;
        foreach (var app in options.ConnectedApps)
        {
            if (!_apps.TryAdd(app.ClientId, app))
            {
                throw new ArgumentException($"Two connected apps have the client id '{app.ClientId}'.", nameof(options));
            }
        }

        foreach (var user in options.Users)
        {
            if (!_credentials.TryAdd(user.Username, user))
            {
                throw new ArgumentException($"Two users have the username '{user.Username}'.", nameof(options));
            }

            if (FindUser(user.Username) is null)
            {
                var localPart = user.Username.Split('@')[0];
                Org.Seed("User", new Dictionary<string, object?>
                {
                    ["Username"] = user.Username,
                    ["FirstName"] = user.FirstName,
                    ["LastName"] = user.LastName ?? localPart,
                    ["Email"] = user.Email ?? user.Username,
                    ["Alias"] = localPart.Length > 8 ? localPart[..8] : localPart,

                    // Every Salesforce user has a profile (SOAP getUserInfo's profileId is not nillable); the admin's, as the
                    // emulator enforces no permissions.
                    ["ProfileId"] = Org.AdminProfileId,
                });
            }
        }

        _defaultUsername = options.DefaultUsername;
        foreach (var username in options.ConnectedApps.Select(a => a.RunAsUsername).Append(_defaultUsername).OfType<string>())
        {
            if (FindUser(username) is null)
            {
                throw new ArgumentException($"No user of the org has the username '{username}': add it to SalesforceEmulatorOptions.OAuth.Users.", nameof(options));
            }
        }
    }

    private Org Org => _host.Org;

    private Sessions Sessions => _host.Sessions;

    private DateTimeOffset Now => _host.TimeProvider.GetUtcNow();

    /// <summary>The identity URL of a user: <c>{instance}/id/{orgId}/{userId}</c>.</summary>
    public string IdentityUrl(string userId) => $"{_host.InstanceUrl.ToString().TrimEnd('/')}/id/{OrgId}/{userId}";

    public ConnectedApp? FindApp(string? clientId) => clientId is null ? null : _apps.GetValueOrDefault(clientId);

    /// <summary>The active user with this username (case-insensitive), or null.</summary>
    public StoredRecord? FindUser(string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            return null;
        }

        var users = Org.RequireObject("User");
        return Org.FindBy(users, users.Field("Username")!, username).FirstOrDefault(u => u["IsActive"] is true);
    }

    /// <summary>Whether the authorize endpoint may redirect to <paramref name="redirectUri"/> for the app.</summary>
    public static bool IsAllowedCallback(ConnectedApp app, string redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out _)
        && (app.CallbackUrls.Count == 0 || app.CallbackUrls.Any(u => string.Equals(u.OriginalString, redirectUri, StringComparison.Ordinal)));

    /// <summary>Auto-approves an authorization request: a code for the signed-in user, good once for a short while.</summary>
    public string IssueCode(ConnectedApp app, string redirectUri, string? loginHint, string? scope, string? codeChallenge)
    {
        var user = string.IsNullOrEmpty(loginHint)
            ? FindUser(_defaultUsername) ?? Org.Find(Org.AdminUserId)!
            : FindUser(loginHint) ?? throw new OAuthException("access_denied", "end-user denied authorization");
        var code = "aPrx" + RandomText(32);
        lock (_gate)
        {
            _codes[code] = new PendingCode(app.ClientId, redirectUri, user.Id, NormalizeScope(scope), codeChallenge, Now + CodeLifetime);
        }

        return code;
    }

    /// <summary>The web server flow's exchange. The secret may be left out only when the code was bound to a PKCE challenge.</summary>
    public IssuedToken ExchangeCode(string? clientId, string? clientSecret, string? code, string? redirectUri, string? codeVerifier)
    {
        var app = FindApp(clientId) ?? throw OAuthException.InvalidClientId();
        PendingCode? pending;
        lock (_gate)
        {
            // Any presentation uses the code up, so that a guessed verifier gets one try.
            _codes.Remove(code ?? string.Empty, out pending);
        }

        if (pending is null || pending.ClientId != app.ClientId)
        {
            throw OAuthException.InvalidGrant("invalid authorization code");
        }

        if (Now >= pending.ExpiresAt)
        {
            throw OAuthException.InvalidGrant("expired authorization code");
        }

        if (!string.Equals(redirectUri, pending.RedirectUri, StringComparison.Ordinal))
        {
            throw new OAuthException("redirect_uri_mismatch", "redirect_uri must match configuration");
        }

        var pkce = pending.CodeChallenge is not null;
        CheckSecret(app, clientSecret, required: !pkce);
        if (pkce && (codeVerifier is null || !FixedTimeEquals(Challenge(codeVerifier), pending.CodeChallenge!)))
        {
            throw OAuthException.InvalidGrant("invalid code verifier");
        }

        var session = Sessions.Issue(pending.UserId);
        string? refreshToken = null;
        if (GrantsRefreshToken(pending.Scope))
        {
            refreshToken = NewRefreshToken();
            var grant = new Grant(app.ClientId, pending.UserId, pending.Scope, PublicClient: clientSecret is null) { RefreshToken = refreshToken };
            grant.AccessTokens.Add(session.AccessToken);
            lock (_gate)
            {
                _grants[refreshToken] = grant;
            }
        }

        return new IssuedToken(session, refreshToken, pending.Scope, app);
    }

    /// <summary>The refresh flow; with rotation the old refresh token stops working and a new one comes back.</summary>
    public IssuedToken Refresh(string? clientId, string? clientSecret, string? refreshToken)
    {
        var app = FindApp(clientId) ?? throw OAuthException.InvalidClientId();
        lock (_gate)
        {
            if (refreshToken is null || !_grants.TryGetValue(refreshToken, out var grant) || grant.ClientId != app.ClientId)
            {
                throw OAuthException.InvalidGrant("expired access/refresh token");
            }

            CheckSecret(app, clientSecret, required: !grant.PublicClient);
            var session = Sessions.Issue(grant.UserId);
            grant.AccessTokens.Add(session.AccessToken);
            if (!app.RotateRefreshTokens)
            {
                return new IssuedToken(session, null, grant.Scope, app);
            }

            _grants.Remove(refreshToken);
            grant.RefreshToken = NewRefreshToken();
            _grants[grant.RefreshToken] = grant;
            return new IssuedToken(session, grant.RefreshToken, grant.Scope, app);
        }
    }

    /// <summary>The JWT bearer flow: a session for the assertion's subject; no refresh token.</summary>
    public IssuedToken JwtBearer(string? assertion)
    {
        var audiences = new[] { "https://login.salesforce.com", "https://test.salesforce.com", _host.InstanceUrl.ToString().TrimEnd('/') };
        var (username, app) = JwtBearerAssertion.Verify(assertion, FindApp, audiences, Now);

        // Salesforce does not tell an unknown user from one the app is not authorised for.
        var user = FindUser(username) ?? throw OAuthException.InvalidGrant("user hasn't approved this consumer");
        return new IssuedToken(Sessions.Issue(user.Id), null, DefaultScope, app);
    }

    /// <summary>The client-credentials flow: a session for the app's run-as user; no refresh token.</summary>
    public IssuedToken ClientCredentials(string? clientId, string? clientSecret)
    {
        var app = FindApp(clientId) ?? throw OAuthException.InvalidClientId();
        CheckSecret(app, clientSecret, required: true);
        var user = app.RunAsUsername is { } runAs ? FindUser(runAs) : Org.Find(Org.AdminUserId);
        return user is null
            ? throw OAuthException.InvalidGrant("no client credentials user enabled")
            : new IssuedToken(Sessions.Issue(user.Id), null, DefaultScope, app);
    }

    /// <summary>The username-password flow: the password, followed by the security token when the user has one.</summary>
    public IssuedToken Password(string? clientId, string? clientSecret, string? username, string? password)
    {
        var app = FindApp(clientId) ?? throw OAuthException.InvalidClientId();
        CheckSecret(app, clientSecret, required: true);
        var (user, check) = CheckPassword(username, password);
        return check != PasswordCheck.Valid
            ? throw OAuthException.InvalidGrant("authentication failure")
            : new IssuedToken(Sessions.Issue(user!.Id), null, DefaultScope, app);
    }

    /// <summary>
    /// Checks a username and a password followed by the user's security token (when the user has one), as the password
    /// flow and SOAP <c>login()</c> do. The user comes back only when the password is right.
    /// </summary>
    public (StoredRecord? User, PasswordCheck Check) CheckPassword(string? username, string? password)
    {
        var user = FindUser(username);
        if (user is null || !_credentials.TryGetValue((string)user["Username"]!, out var credentials) || credentials.Password is null || password is null)
        {
            return (null, PasswordCheck.Invalid);
        }

        if (FixedTimeEquals(password, credentials.Password + credentials.SecurityToken))
        {
            return (user, PasswordCheck.Valid);
        }

        // The right password without the token the user has: what Salesforce says to a login from an untrusted network.
        return credentials.SecurityToken is not null && FixedTimeEquals(password, credentials.Password)
            ? (null, PasswordCheck.MissingSecurityToken)
            : (null, PasswordCheck.Invalid);
    }

    /// <summary>Revokes a refresh token (and every access token issued from it) or one access token issued by OAuth.</summary>
    public RevokeOutcome Revoke(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return RevokeOutcome.InvalidToken;
        }

        lock (_gate)
        {
            if (_grants.Remove(token, out var grant))
            {
                foreach (var accessToken in grant.AccessTokens)
                {
                    Sessions.Revoke(accessToken);
                }

                return RevokeOutcome.Revoked;
            }
        }

        switch (Sessions.Find(token))
        {
            case { ExpiresAt: null }:
                // The configured token was not issued by OAuth, like a SOAP session id, which revoke refuses.
                return RevokeOutcome.UnsupportedTokenType;
            case not null:
                Sessions.Revoke(token);
                return RevokeOutcome.Revoked;
            default:
                Sessions.Revoke(token);
                return RevokeOutcome.InvalidToken;
        }
    }

    /// <summary>The HMAC-SHA256 of <c>id + issued_at</c> keyed with the client secret, as Salesforce signs token responses.</summary>
    public static string Signature(ConnectedApp app, string identityUrl, string issuedAt) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(app.ClientSecret ?? string.Empty), Encoding.UTF8.GetBytes(identityUrl + issuedAt)));

    /// <summary>base64url(SHA-256(verifier)): the S256 code challenge.</summary>
    public static string Challenge(string codeVerifier) => JwtBearerAssertion.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

    private static void CheckSecret(ConnectedApp app, string? clientSecret, bool required)
    {
        if (clientSecret is null)
        {
            if (required)
            {
                throw OAuthException.InvalidClient();
            }

            return;
        }

        if (app.ClientSecret is null || !FixedTimeEquals(clientSecret, app.ClientSecret))
        {
            throw OAuthException.InvalidClient();
        }
    }

    private static bool GrantsRefreshToken(string scope) =>
        scope.Split(' ').Any(s => s is "refresh_token" or "offline_access");

    private static string NormalizeScope(string? scope) =>
        string.IsNullOrWhiteSpace(scope) ? DefaultScope : string.Join(' ', scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string NewRefreshToken() => "5Aep861" + RandomText(64);

    private static string RandomText(int bytes) => JwtBearerAssertion.Base64UrlEncode(RandomNumberGenerator.GetBytes(bytes));

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private sealed record PendingCode(string ClientId, string RedirectUri, string UserId, string Scope, string? CodeChallenge, DateTimeOffset ExpiresAt);

    /// <summary>What a refresh token stands for; rotation moves it to a new refresh token, with its access tokens.</summary>
    private sealed record Grant(string ClientId, string UserId, string Scope, bool PublicClient)
    {
        public required string RefreshToken { get; set; }

        public List<string> AccessTokens { get; } = [];
    }
}
