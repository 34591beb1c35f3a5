namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// Makes a <see cref="PubSubClient"/> for each user, with the same token store, refresh path and logins as
/// <c>ISalesforceClientFactory</c>. Registered by <c>AddPubSub()</c>.
/// </summary>
public interface IPubSubClientFactory
{
    /// <summary>A client that calls the Pub/Sub API with <paramref name="userId"/>'s stored token (the user's only login). Cheap.</summary>
    /// <param name="userId">Your application's id for the user, as the token store knows it.</param>
    PubSubClient ForUser(string userId);

    /// <summary>A client that calls the Pub/Sub API with one of <paramref name="userId"/>'s logins. Cheap.</summary>
    /// <param name="userId">Your application's id for the user, as the token store knows it.</param>
    /// <param name="username">The Salesforce username of the login.</param>
    PubSubClient ForUser(string userId, string username);
}
