using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Postgres.Telemetry;

/// <summary>
/// Every log line of the PostgreSQL token store (event ids 3xxx). Messages name users, actions, key ids and counts; never a
/// token, a refresh token, a key or a connection string.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Debug, "Stored the Salesforce token of user {UserId} ({Action}).")]
    public static partial void TokenStored(ILogger logger, string userId, string action);

    [LoggerMessage(3002, LogLevel.Information, "Refreshed and stored the Salesforce token of user {UserId} (refresh token rotated: {Rotated}).")]
    public static partial void TokenRefreshStored(ILogger logger, string userId, bool rotated);

    [LoggerMessage(3003, LogLevel.Debug, "The Salesforce token of user {UserId} was already refreshed by another caller; using it.")]
    public static partial void RefreshedElsewhere(ILogger logger, string userId);

    [LoggerMessage(3004, LogLevel.Error, "Could not store the refreshed Salesforce token of user {UserId}; it is kept in memory and written when the database is reachable again.")]
    public static partial void RefreshWriteFailed(ILogger logger, string userId, Exception exception);

    [LoggerMessage(3005, LogLevel.Information, "Wrote the refreshed Salesforce token of user {UserId} that was kept in memory.")]
    public static partial void PendingTokenWritten(ILogger logger, string userId);

    [LoggerMessage(3006, LogLevel.Warning, "Dropped the refreshed Salesforce token of user {UserId} kept in memory: the stored token was replaced meanwhile.")]
    public static partial void PendingTokenDropped(ILogger logger, string userId);

    [LoggerMessage(3007, LogLevel.Warning, "Could not write the {Action} audit row of user {UserId}.")]
    public static partial void AuditWriteFailed(ILogger logger, string userId, string action, Exception exception);

    [LoggerMessage(3008, LogLevel.Warning, "A refreshed Salesforce token of user {UserId} was not stored: the stored token was replaced while the refresh ran.")]
    public static partial void RefreshSuperseded(ILogger logger, string userId);

    [LoggerMessage(3009, LogLevel.Information, "Erased a user's Salesforce data: {Tokens} token rows, {AuditRows} audit rows, {UsageRows} usage rows.")]
    public static partial void UserErased(ILogger logger, int tokens, int auditRows, int usageRows);

    [LoggerMessage(3010, LogLevel.Warning, "Could not decrypt the Salesforce token of user {UserId} (key {KeyId}).")]
    public static partial void DecryptionFailed(ILogger logger, string userId, string keyId);

    [LoggerMessage(3011, LogLevel.Information, "Re-encrypted {Count} Salesforce tokens with key {KeyId}; {Failed} could not be decrypted.")]
    public static partial void ReEncrypted(ILogger logger, int count, string keyId, int failed);

    [LoggerMessage(3012, LogLevel.Information, "Applied token store migration {Version}: {Description}.")]
    public static partial void MigrationApplied(ILogger logger, int version, string description);

    [LoggerMessage(3013, LogLevel.Warning, "Could not write Salesforce usage counters; they are kept and written with the next batch.")]
    public static partial void UsageFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(3014, LogLevel.Debug, "Wrote {UsageRows} usage counters and {LookupRows} token lookup counters.")]
    public static partial void UsageFlushed(ILogger logger, int usageRows, int lookupRows);

    [LoggerMessage(3015, LogLevel.Warning, "Could not write the refreshed Salesforce tokens kept in memory; trying again with the next batch.")]
    public static partial void PendingFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(3016, LogLevel.Information, "Encrypted {Count} plaintext Salesforce token rows with key {KeyId}.")]
    public static partial void PlaintextEncrypted(ILogger logger, int count, string keyId);

    [LoggerMessage(3017, LogLevel.Warning, "User {UserId} has {Count} Salesforce logins; a single-login lookup cannot choose one.")]
    public static partial void SeveralLogins(ILogger logger, string userId, int count);

    [LoggerMessage(3018, LogLevel.Warning, "Lost the change event subscriber lease of {Subscription} (its PostgreSQL session failed or no longer holds the lock).")]
    public static partial void ChangeEventLeaseLost(ILogger logger, string subscription, Exception? exception);

    [LoggerMessage(3025, LogLevel.Warning, "Could not decrypt the webhook signing secret of endpoint {EndpointId} of user {UserId} (key {KeyId}).")]
    public static partial void WebhookSecretDecryptionFailed(ILogger logger, Guid endpointId, string userId, string keyId);

    [LoggerMessage(3026, LogLevel.Information, "Re-encrypted the signing secrets of {Count} webhook endpoints with key {KeyId}; {Failed} could not be decrypted.")]
    public static partial void WebhookSecretsReEncrypted(ILogger logger, int count, string keyId, int failed);
}
