namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>Makes a <see cref="SalesforceClient"/> for each user of a multi-user service.</summary>
public interface ISalesforceClientFactory
{
    /// <summary>
    /// A client that calls Salesforce with <paramref name="userId"/>'s stored token: the user's only login. Cheap: nothing is
    /// read or sent until the first call. When the user has connected several Salesforce logins, calls fail with
    /// <c>SalesforceAuthenticationException.Codes.SeveralLogins</c>: pick one with <see cref="ForUser(string, string)"/>.
    /// </summary>
    /// <param name="userId">Your application's id for the user, as the token store knows it.</param>
    SalesforceClient ForUser(string userId);

    /// <summary>
    /// A client that calls Salesforce with one of <paramref name="userId"/>'s logins: the one of the Salesforce
    /// <paramref name="username"/> (see <c>ITokenStore.GetLoginsAsync</c> for the list). Cheap: nothing is read or sent until
    /// the first call.
    /// </summary>
    /// <param name="userId">Your application's id for the user, as the token store knows it.</param>
    /// <param name="username">The Salesforce username of the login, for example <c>jane@acme.com.uat</c>.</param>
    SalesforceClient ForUser(string userId, string username);
}
