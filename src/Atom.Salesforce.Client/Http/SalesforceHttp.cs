namespace Atom.Salesforce.Client.Http;

/// <summary>Names and per-request values shared by the HTTP pipeline.</summary>
internal static class SalesforceHttp
{
    /// <summary>The named HttpClient pipeline for REST calls: resilience, then authentication.</summary>
    public const string ApiClientName = "Atom.Salesforce";

    /// <summary>The named HttpClient for the OAuth token endpoint; nothing is retried there.</summary>
    public const string OAuthClientName = "Atom.Salesforce.OAuth";

    /// <summary>The REST pipeline's name for a connected app: <see cref="ApiClientName"/> for the default app, <c>Atom.Salesforce:name</c> otherwise.</summary>
    public static string ApiClientNameFor(string appName) => appName.Length == 0 ? ApiClientName : ApiClientName + ":" + appName;

    /// <summary>The OAuth client's name for a connected app: <see cref="OAuthClientName"/> for the default app, <c>Atom.Salesforce.OAuth:name</c> otherwise.</summary>
    public static string OAuthClientNameFor(string appName) => appName.Length == 0 ? OAuthClientName : OAuthClientName + ":" + appName;

    /// <summary>
    /// A placeholder base address: requests are built against it and SalesforceAuthHandler moves them to the user's
    /// instance URL. Nothing is ever sent to it (the <c>.invalid</c> TLD cannot resolve).
    /// </summary>
    public static readonly Uri PlaceholderBaseAddress = new("https://instance.invalid");

    /// <summary>
    /// The user's connection a request built by a caller (<c>SalesforceClient.SendAsync</c>) is sent for: its user and login
    /// (whose token it carries) and the usage it is counted in. The SDK's own requests carry it as a field
    /// (<see cref="SalesforceRequest.Connection"/>).
    /// </summary>
    public static readonly HttpRequestOptionsKey<SalesforceConnection> ConnectionOption = new("Atom.Salesforce.Connection");

    /// <summary>The connection <paramref name="request"/> is sent for, or null when it was not sent through a connection.</summary>
    public static SalesforceConnection? ConnectionOf(HttpRequestMessage request) =>
        request is SalesforceRequest sdkRequest ? sdkRequest.Connection
        : request.Options.TryGetValue(ConnectionOption, out var connection) ? connection : null;
}
