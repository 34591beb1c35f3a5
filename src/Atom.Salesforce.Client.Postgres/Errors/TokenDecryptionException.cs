using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Postgres.Errors;

/// <summary>
/// A stored token could not be decrypted: its key is not in the configured key ring, or the stored value was altered, moved
/// from another user's row, or encrypted with a different key of the same id. Nothing is returned in its place. The message
/// names the user and the key id, never a key or a token. Not transient: the key ring or the row must be fixed.
/// </summary>
public sealed class TokenDecryptionException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="userId">The user whose token could not be decrypted.</param>
    /// <param name="keyId">The id of the key the row says it was encrypted with.</param>
    /// <param name="message">What went wrong, without secrets.</param>
    /// <param name="innerException">The cryptographic failure, if any.</param>
    public TokenDecryptionException(string userId, string keyId, string message, Exception? innerException = null)
        : base(message, innerException, isTransient: false)
    {
        ErrorCode = SalesforceError.Codes.TokenDecryptionFailed;
        UserId = userId;
        KeyId = keyId;
    }

    /// <summary>The user whose token could not be decrypted.</summary>
    public string UserId { get; }

    /// <summary>The id of the key the row was encrypted with.</summary>
    public string KeyId { get; }
}
