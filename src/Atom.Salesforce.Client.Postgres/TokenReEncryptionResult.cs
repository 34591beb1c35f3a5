namespace Atom.Salesforce.Client.Postgres;

/// <summary>What <see cref="PostgresTokenStore.ReEncryptAsync"/> did.</summary>
public sealed class TokenReEncryptionResult
{
    internal TokenReEncryptionResult(string keyId, int reEncrypted, IReadOnlyList<string> failedUserIds, int webhookSecretsReEncrypted = 0, IReadOnlyList<Guid>? failedWebhookEndpointIds = null)
    {
        KeyId = keyId;
        ReEncrypted = reEncrypted;
        FailedUserIds = failedUserIds;
        WebhookSecretsReEncrypted = webhookSecretsReEncrypted;
        FailedWebhookEndpointIds = failedWebhookEndpointIds ?? [];
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

    /// <summary>
    /// Webhook endpoints (the endpoint pack's <c>AddWebhooks()</c>, whose signing secrets are encrypted with the same keys)
    /// whose secrets were moved to the current key. An expired previous secret is dropped rather than moved.
    /// </summary>
    public int WebhookSecretsReEncrypted { get; }

    /// <summary>
    /// Webhook endpoints whose secret could not be decrypted (unknown key, altered value) and were left as they are; each needs
    /// its key added back, or its owner must delete it and register it again (a new secret).
    /// </summary>
    public IReadOnlyList<Guid> FailedWebhookEndpointIds { get; }
}
