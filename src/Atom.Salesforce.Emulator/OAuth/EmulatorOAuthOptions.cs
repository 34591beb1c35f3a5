namespace Atom.Salesforce.Emulator.OAuth;

/// <summary>
/// Who may sign in to the emulated org through its OAuth endpoints: the connected apps and the users besides the admin.
/// </summary>
public sealed class EmulatorOAuthOptions
{
    /// <summary>The client id of the connected app every org starts with.</summary>
    public const string DefaultClientId = "emulator-client";

    /// <summary>The client secret of the connected app every org starts with.</summary>
    public const string DefaultClientSecret = "emulator-secret";

    /// <summary>The username of the org's admin user, who signs in when nothing names another user.</summary>
    public const string AdminUsername = "admin@emulator.atom";

    /// <summary>
    /// The connected apps the org knows. One by default: <see cref="DefaultClientId"/> with <see cref="DefaultClientSecret"/>,
    /// any callback URL, no JWT certificate, no refresh-token rotation. Change it, add apps or clear the list.
    /// </summary>
    public IList<ConnectedApp> ConnectedApps { get; } = [new ConnectedApp(DefaultClientId) { ClientSecret = DefaultClientSecret }];

    /// <summary>
    /// Users created with the org (the admin, <see cref="AdminUsername"/>, always exists; naming it here sets its password).
    /// The JWT bearer and password flows find users by username.
    /// </summary>
    public IList<EmulatorUser> Users { get; } = [];

    /// <summary>
    /// The username the authorize endpoint signs in as when the request has no <c>login_hint</c>; the admin when null.
    /// </summary>
    public string? DefaultUsername { get; set; }
}
