namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Names one stored Salesforce login: your application's user id and, when the user has connected several Salesforce logins
/// (a production org and a sandbox, two business units), the Salesforce username of the one meant. Without a username it
/// means the user's only login; a lookup of a user who has several then fails with
/// <see cref="Errors.SalesforceAuthenticationException.Codes.SeveralLogins"/>. A user id converts to it implicitly, so
/// <c>store.GetAsync("user-1")</c> still reads the single-login case.
/// </summary>
/// <param name="UserId">Your application's id for the user.</param>
/// <param name="Username">
/// The Salesforce username of the login, or null for the user's only login. <c>""</c> names the login stored without a
/// username (a token whose connect flow could not read it).
/// </param>
public readonly record struct SalesforceLogin(string UserId, string? Username = null)
{
    /// <summary>The user's only login.</summary>
    /// <param name="userId">Your application's id for the user.</param>
    public static implicit operator SalesforceLogin(string userId) => new(userId);

    /// <summary>The user's only login (the named form of the implicit conversion).</summary>
    /// <param name="userId">Your application's id for the user.</param>
    public static SalesforceLogin FromUserId(string userId) => new(userId);

    /// <summary><c>userId</c>, or <c>userId (username)</c>.</summary>
    public override string ToString() => Username is null ? UserId : $"{UserId} ({Username})";

    /// <summary>Throws when the user id is missing.</summary>
    internal void Validate() => ArgumentException.ThrowIfNullOrEmpty(UserId, nameof(UserId));
}
