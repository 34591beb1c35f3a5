namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>Makes a <see cref="SalesforceClient"/> for each user of a multi-user service.</summary>
public interface ISalesforceClientFactory
{
    /// <summary>
    /// A client that calls Salesforce with <paramref name="userId"/>'s stored token. Cheap: nothing is read or sent until the
    /// first call.
    /// </summary>
    /// <param name="userId">Your application's id for the user, as the token store knows it.</param>
    SalesforceClient ForUser(string userId);
}
