namespace Atom.Salesforce.Client.Composite;

/// <summary>How sObject Collections calls send their records.</summary>
public sealed class CollectionOptions
{
    /// <summary>
    /// When true, a request of up to 200 records is saved entirely or not at all: if one record fails, the others are reported
    /// with <c>ALL_OR_NONE_OPERATION_ROLLED_BACK</c>. Salesforce applies it per request, so with more than 200 records the
    /// requests that succeeded stay saved. Default false: every valid record is saved.
    /// </summary>
    public bool AllOrNone { get; set; }

    /// <summary>How many requests of 200 records may be in flight at once (1 to 25). Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    internal static CollectionOptions Default { get; } = new();

    internal void Validate()
    {
        if (MaxConcurrency is < 1 or > 25)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), MaxConcurrency, "MaxConcurrency must be between 1 and 25.");
        }
    }
}
