namespace Atom.Salesforce.Client.Postgres;

/// <summary>What <see cref="PostgresTokenStore.ReEncryptAsync"/> did.</summary>
public sealed class TokenReEncryptionResult
{
    internal TokenReEncryptionResult(string keyId, int reEncrypted, IReadOnlyList<string> failedUserIds)
    {
        KeyId = keyId;
        ReEncrypted = reEncrypted;
        FailedUserIds = failedUserIds;
    }

    /// <summary>The current key the rows were moved to.</summary>
    public string KeyId { get; }

    /// <summary>Rows moved to the current key.</summary>
    public int ReEncrypted { get; }

    /// <summary>
    /// Users whose rows could not be decrypted (unknown key, altered value) and were left as they are; each needs its key
    /// added back, or the user must connect again.
    /// </summary>
    public IReadOnlyList<string> FailedUserIds { get; }
}
