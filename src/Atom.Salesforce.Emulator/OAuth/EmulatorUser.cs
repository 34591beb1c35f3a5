namespace Atom.Salesforce.Emulator.OAuth;

/// <summary>A user of the emulated org, created with it, who can sign in through the OAuth endpoints.</summary>
public sealed class EmulatorUser
{
    /// <summary>Creates a user with the given username.</summary>
    /// <param name="username">The Salesforce username, in the form of an email address, for example <c>jane@acme.example</c>.</param>
    public EmulatorUser(string username)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        Username = username;
    }

    /// <summary>The username: the JWT <c>sub</c>, the password flow's <c>username</c> and the authorize <c>login_hint</c>.</summary>
    public string Username { get; }

    /// <summary>The password of the password flow; null refuses that flow for this user.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The security token, which the password flow expects appended to the password (as for an untrusted IP); null: the
    /// password alone.
    /// </summary>
    public string? SecurityToken { get; set; }

    /// <summary>The first name.</summary>
    public string? FirstName { get; set; }

    /// <summary>The last name; the part of the username before '@' when null.</summary>
    public string? LastName { get; set; }

    /// <summary>The email address; the username when null.</summary>
    public string? Email { get; set; }
}
