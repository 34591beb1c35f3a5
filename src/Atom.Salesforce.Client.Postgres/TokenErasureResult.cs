namespace Atom.Salesforce.Client.Postgres;

/// <summary>What <see cref="PostgresTokenStore.EraseUserAsync"/> removed.</summary>
public sealed class TokenErasureResult
{
    internal TokenErasureResult(int tokensDeleted, int auditRowsDeleted, int usageRowsDeleted)
    {
        TokensDeleted = tokensDeleted;
        AuditRowsDeleted = auditRowsDeleted;
        UsageRowsDeleted = usageRowsDeleted;
    }

    /// <summary>Token rows removed (0 or 1).</summary>
    public int TokensDeleted { get; }

    /// <summary>Audit rows removed.</summary>
    public int AuditRowsDeleted { get; }

    /// <summary>Monthly usage rows removed.</summary>
    public int UsageRowsDeleted { get; }
}
