namespace Atom.Salesforce.Client.Http;

/// <summary>Names and per-request values shared by the HTTP pipeline.</summary>
internal static class SalesforceHttp
{
    /// <summary>The named HttpClient pipeline for REST calls: resilience, then authentication.</summary>
    public const string ApiClientName = "Atom.Salesforce";

    /// <summary>The named HttpClient for the OAuth token endpoint; nothing is retried there.</summary>
    public const string OAuthClientName = "Atom.Salesforce.OAuth";

    /// <summary>
    /// A placeholder base address: requests are built against it and SalesforceAuthHandler moves them to the user's
    /// instance URL. Nothing is ever sent to it (the <c>.invalid</c> TLD cannot resolve).
    /// </summary>
    public static readonly Uri PlaceholderBaseAddress = new("https://instance.invalid");

    /// <summary>The SDK user whose token a request carries.</summary>
    public static readonly HttpRequestOptionsKey<string> UserIdOption = new("Atom.Salesforce.UserId");

    /// <summary>The Salesforce username of the login a request is for, when the client was made for a named login.</summary>
    public static readonly HttpRequestOptionsKey<string> UsernameOption = new("Atom.Salesforce.Username");
}
