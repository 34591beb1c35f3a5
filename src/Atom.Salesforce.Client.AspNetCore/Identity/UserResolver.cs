using System.Security.Claims;
using Atom.Salesforce.Client.AspNetCore.Envelope;

namespace Atom.Salesforce.Client.AspNetCore.Identity;

/// <summary>
/// Decides whose tokens a request uses: the signed-in user's (the configured claim), never another one. A body
/// <c>user_id</c> that names someone else is refused with 403. In trusted mode the body's <c>user_id</c> names the user.
/// </summary>
internal static class UserResolver
{
    public const int MaxUserIdLength = 255;

    /// <summary>The user id, or null when <paramref name="optional"/> and nobody is signed in or named.</summary>
    public static string? Resolve(ClaimsPrincipal principal, string? bodyUserId, SalesforceEndpointOptions options, bool optional)
    {
        if (bodyUserId is not null && (string.IsNullOrWhiteSpace(bodyUserId) || bodyUserId.Length > MaxUserIdLength))
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'user_id' must be 1 to {MaxUserIdLength} characters.");
        }

        if (options.TrustBodyUserId)
        {
            // The trusted service itself must be signed in; the body names the user it acts for.
            if (principal.Identity?.IsAuthenticated != true)
            {
                return optional && bodyUserId is null ? null : throw EndpointError.NotAuthenticated("Trusted mode: the calling service must be authenticated.");
            }

            return bodyUserId ?? (optional ? null : throw EndpointError.Validation(
                EndpointErrorCodes.MissingField, "'user_id' is required: the endpoints run in trusted mode."));
        }

        var signedIn = SignedInUser(principal, options);
        if (signedIn is null)
        {
            if (optional && bodyUserId is null)
            {
                return null;
            }

            throw EndpointError.NotAuthenticated("Sign in first: the request has no authenticated user.");
        }

        if (bodyUserId is not null && !string.Equals(bodyUserId, signedIn, StringComparison.Ordinal))
        {
            throw EndpointError.UserMismatch("'user_id' is not the signed-in user; a request may only use its own user's Salesforce connection.");
        }

        return signedIn;
    }

    /// <summary>The signed-in user's id from the configured claim (<c>sub</c> as a fallback), or null.</summary>
    public static string? SignedInUser(ClaimsPrincipal principal, SalesforceEndpointOptions options)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var value = principal.FindFirst(options.UserIdClaimType)?.Value ?? principal.FindFirst("sub")?.Value;
        return string.IsNullOrWhiteSpace(value) || value.Length > MaxUserIdLength ? null : value;
    }
}
