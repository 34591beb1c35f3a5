using System.Security.Cryptography;
using System.Text;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// The start of a web server flow: where to send the user, and the two values to keep until the callback.
/// <see cref="ToString"/> shows neither the state nor the code verifier.
/// </summary>
public sealed class SalesforceAuthorizationRequest
{
    /// <summary>Creates a request (the SDK makes them with <see cref="ISalesforceOAuth.CreateAuthorizationRequest"/>).</summary>
    public SalesforceAuthorizationRequest(Uri authorizationUrl, string state, string codeVerifier, Uri redirectUri)
    {
        ArgumentNullException.ThrowIfNull(authorizationUrl);
        ArgumentException.ThrowIfNullOrEmpty(state);
        ArgumentException.ThrowIfNullOrEmpty(codeVerifier);
        ArgumentNullException.ThrowIfNull(redirectUri);
        AuthorizationUrl = authorizationUrl;
        State = state;
        CodeVerifier = codeVerifier;
        RedirectUri = redirectUri;
    }

    /// <summary>The <c>/services/oauth2/authorize</c> URL to redirect the user's browser to.</summary>
    public Uri AuthorizationUrl { get; }

    /// <summary>
    /// The random <c>state</c> sent in the URL. Keep it (with the user's session) and compare the callback's <c>state</c> to it
    /// with <see cref="IsExpectedState"/> before exchanging the code.
    /// </summary>
    public string State { get; }

    /// <summary>The PKCE code verifier; keep it secret until the callback and pass it to <see cref="ISalesforceOAuth.ExchangeCodeAsync"/>.</summary>
    public string CodeVerifier { get; }

    /// <summary>The redirect URI in the URL; the code exchange must send the same one.</summary>
    public Uri RedirectUri { get; }

    /// <summary>
    /// True when the <c>state</c> a callback returned is the one that was kept. Compares in constant time, so that the
    /// comparison reveals nothing about the expected value.
    /// </summary>
    /// <param name="expectedState">The <see cref="State"/> kept from the request.</param>
    /// <param name="returnedState">The <c>state</c> query parameter of the callback; null or empty never matches.</param>
    public static bool IsExpectedState(string expectedState, string? returnedState)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedState);
        if (string.IsNullOrEmpty(returnedState))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expectedState), Encoding.UTF8.GetBytes(returnedState));
    }

    /// <summary>Describes the request without its state and code verifier.</summary>
    public override string ToString() => $"SalesforceAuthorizationRequest {{ RedirectUri = {RedirectUri} }}";
}
