using System.Text.Json;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// The OpenID Connect userinfo of a Salesforce user: the standard claims Salesforce returns, the org's API URLs, and every
/// other claim in <see cref="AdditionalClaims"/>. Claims Salesforce left out are null.
/// </summary>
public sealed class SalesforceUserInfo
{
    private static readonly IReadOnlyDictionary<string, string> NoUrls = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, JsonElement> NoClaims = new Dictionary<string, JsonElement>();

    private static readonly HashSet<string> StringClaims = new(StringComparer.Ordinal)
    {
        "sub", "user_id", "organization_id", "preferred_username", "name", "given_name", "family_name", "nickname", "email",
        "zoneinfo", "locale", "language", "user_type", "profile", "picture",
    };

    private static readonly HashSet<string> BooleanClaims = new(StringComparer.Ordinal) { "email_verified", "active" };

    /// <summary><c>sub</c>: the identity URL of the user, <c>https://login.salesforce.com/id/{orgId}/{userId}</c>.</summary>
    public string? Subject { get; init; }

    /// <summary><c>user_id</c>: the user's record id (<c>005…</c>).</summary>
    public string? UserId { get; init; }

    /// <summary><c>organization_id</c>: the org's id (<c>00D…</c>).</summary>
    public string? OrganizationId { get; init; }

    /// <summary><c>preferred_username</c>: the Salesforce username.</summary>
    public string? PreferredUsername { get; init; }

    /// <summary><c>name</c>: the user's full name.</summary>
    public string? Name { get; init; }

    /// <summary><c>given_name</c>.</summary>
    public string? GivenName { get; init; }

    /// <summary><c>family_name</c>.</summary>
    public string? FamilyName { get; init; }

    /// <summary><c>nickname</c>: the community nickname.</summary>
    public string? Nickname { get; init; }

    /// <summary><c>email</c>.</summary>
    public string? Email { get; init; }

    /// <summary><c>email_verified</c>.</summary>
    public bool? EmailVerified { get; init; }

    /// <summary><c>zoneinfo</c>: the user's time zone, for example <c>America/Los_Angeles</c>.</summary>
    public string? ZoneInfo { get; init; }

    /// <summary><c>locale</c>, for example <c>en_US</c>.</summary>
    public string? Locale { get; init; }

    /// <summary><c>language</c>, for example <c>en_US</c>.</summary>
    public string? Language { get; init; }

    /// <summary><c>user_type</c>, for example <c>STANDARD</c>.</summary>
    public string? UserType { get; init; }

    /// <summary><c>active</c>: whether the user is active.</summary>
    public bool? IsActive { get; init; }

    /// <summary><c>profile</c>: the URL of the user's profile page.</summary>
    public string? Profile { get; init; }

    /// <summary><c>picture</c>: the URL of the user's photo.</summary>
    public string? Picture { get; init; }

    /// <summary>
    /// <c>urls</c>: the org's endpoints by name (<c>rest</c>, <c>sobjects</c>, <c>query</c>, <c>custom_domain</c>, ...). Several
    /// hold a <c>{version}</c> placeholder.
    /// </summary>
    public IReadOnlyDictionary<string, string> Urls { get; init; } = NoUrls;

    /// <summary>Every other claim (<c>photos</c>, <c>address</c>, <c>utcOffset</c>, <c>updated_at</c>, ...), as JSON.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalClaims { get; init; } = NoClaims;

    /// <summary>Describes the user by ids and username.</summary>
    public override string ToString() =>
        $"SalesforceUserInfo {{ UserId = {UserId}, OrganizationId = {OrganizationId}, PreferredUsername = {PreferredUsername} }}";

    /// <summary>Reads a userinfo body; a claim of an unexpected JSON type goes to <see cref="AdditionalClaims"/>.</summary>
    internal static SalesforceUserInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The userinfo body is not a JSON object.");
        }

        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var booleans = new Dictionary<string, bool>(StringComparer.Ordinal);
        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        var additional = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var claim in document.RootElement.EnumerateObject())
        {
            var value = claim.Value;
            if (StringClaims.Contains(claim.Name) && value.ValueKind == JsonValueKind.String)
            {
                strings[claim.Name] = value.GetString()!;
            }
            else if (BooleanClaims.Contains(claim.Name) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                booleans[claim.Name] = value.GetBoolean();
            }
            else if (claim.Name == "urls" && value.ValueKind == JsonValueKind.Object)
            {
                foreach (var url in value.EnumerateObject().Where(u => u.Value.ValueKind == JsonValueKind.String))
                {
                    urls[url.Name] = url.Value.GetString()!;
                }
            }
            else if ((!StringClaims.Contains(claim.Name) && !BooleanClaims.Contains(claim.Name)) || value.ValueKind != JsonValueKind.Null)
            {
                additional[claim.Name] = value.Clone();
            }
        }

        return new SalesforceUserInfo
        {
            Subject = strings.GetValueOrDefault("sub"),
            UserId = strings.GetValueOrDefault("user_id"),
            OrganizationId = strings.GetValueOrDefault("organization_id"),
            PreferredUsername = strings.GetValueOrDefault("preferred_username"),
            Name = strings.GetValueOrDefault("name"),
            GivenName = strings.GetValueOrDefault("given_name"),
            FamilyName = strings.GetValueOrDefault("family_name"),
            Nickname = strings.GetValueOrDefault("nickname"),
            Email = strings.GetValueOrDefault("email"),
            EmailVerified = booleans.TryGetValue("email_verified", out var verified) ? verified : null,
            ZoneInfo = strings.GetValueOrDefault("zoneinfo"),
            Locale = strings.GetValueOrDefault("locale"),
            Language = strings.GetValueOrDefault("language"),
            UserType = strings.GetValueOrDefault("user_type"),
            IsActive = booleans.TryGetValue("active", out var active) ? active : null,
            Profile = strings.GetValueOrDefault("profile"),
            Picture = strings.GetValueOrDefault("picture"),
            Urls = urls,
            AdditionalClaims = additional,
        };
    }
}
