namespace Atom.Salesforce.Client.Postgres.Storage;

/// <summary>What a token says about its login, for the documented columns: org id, Salesforce user id, environment.</summary>
internal static class LoginFacts
{
    public const string Production = "production";
    public const string Sandbox = "sandbox";

    /// <summary>The org id of an identity URL (<c>https://login.salesforce.com/id/{orgId}/{userId}</c>), or null.</summary>
    public static string? OrganizationId(Uri? identityUrl) => IdentitySegment(identityUrl, 0);

    /// <summary>The Salesforce user id (<c>005…</c>) of an identity URL, or null.</summary>
    public static string? SalesforceUserId(Uri? identityUrl) => IdentitySegment(identityUrl, 1);

    /// <summary>
    /// <c>sandbox</c> when the login host is <c>test.salesforce.com</c> (the identity URL's host is the login host) or the
    /// instance is a sandbox My Domain (<c>*.sandbox.my.salesforce.com</c>, or the older <c>name--sandbox.my.salesforce.com</c>);
    /// otherwise <c>production</c>.
    /// </summary>
    public static string Environment(Uri instanceUrl, Uri? identityUrl, Uri? loginUrl)
    {
        static bool IsSandboxHost(string host) =>
            host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".sandbox.my.salesforce.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".sandbox.lightning.force.com", StringComparison.OrdinalIgnoreCase)
            || (host.EndsWith(".my.salesforce.com", StringComparison.OrdinalIgnoreCase) && host.Split('.')[0].Contains("--", StringComparison.Ordinal));

        var sandbox = IsSandboxHost(instanceUrl.Host)
            || (identityUrl is not null && IsSandboxHost(identityUrl.Host))
            || (identityUrl is null && loginUrl is not null && IsSandboxHost(loginUrl.Host));
        return sandbox ? Sandbox : Production;
    }

    private static string? IdentitySegment(Uri? identityUrl, int index)
    {
        if (identityUrl is null)
        {
            return null;
        }

        var segments = identityUrl.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(segments, "id");
        return at >= 0 && segments.Length > at + 2 ? segments[at + 1 + index] : null;
    }
}
