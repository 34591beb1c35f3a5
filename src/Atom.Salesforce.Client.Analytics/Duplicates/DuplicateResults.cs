using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Analytics.Duplicates;

/// <summary>The duplicates found among a set of records (or between two sets).</summary>
public sealed record DuplicateReport
{
    [JsonConstructor]
    internal DuplicateReport()
    {
    }

    /// <summary>How many records were examined.</summary>
    public int RecordCount { get; init; }

    /// <summary>How many distinct pairs were scored: only pairs sharing a blocking key, never all pairs.</summary>
    public long Comparisons { get; init; }

    /// <summary>
    /// How many blocks were larger than <see cref="DuplicateOptions.MaxBlockSize"/> and compared by sorted neighbourhood.
    /// </summary>
    public int OversizedBlocks { get; init; }

    /// <summary>Every pair scoring at least the threshold, highest score first.</summary>
    public IReadOnlyList<DuplicatePair> Pairs { get; init; } = [];

    /// <summary>The pairs joined into groups of records that are all one entity (transitively), largest first.</summary>
    public IReadOnlyList<DuplicateCluster> Clusters { get; init; } = [];
}

/// <summary>Two records that look like the same person or company.</summary>
public sealed record DuplicatePair
{
    [JsonConstructor]
    internal DuplicatePair()
    {
    }

    /// <summary>One record's id (the lead, when a lead is matched against contacts or accounts).</summary>
    public string FirstId { get; init; } = string.Empty;

    /// <summary>The other record's id.</summary>
    public string SecondId { get; init; } = string.Empty;

    /// <summary>The match score, 0–1: the weighted mean of the similarities of the fields both records have.</summary>
    public double Score { get; init; }

    /// <summary>
    /// Each field compared, with its share of the score as <see cref="ScoreReason.Impact"/> (the shares add up to the score)
    /// and how well it matched; largest first.
    /// </summary>
    public IReadOnlyList<ScoreReason> Reasons { get; init; } = [];
}

/// <summary>Records joined by duplicate pairs into one group.</summary>
public sealed record DuplicateCluster
{
    [JsonConstructor]
    internal DuplicateCluster()
    {
    }

    /// <summary>The records' ids, in ordinal order.</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];
}

/// <summary>Every duplicate check of an org at once (<c>DuplicateDetector.FindAsync</c>).</summary>
public sealed record DuplicateScan
{
    [JsonConstructor]
    internal DuplicateScan()
    {
    }

    /// <summary>Duplicates among accounts.</summary>
    public DuplicateReport Accounts { get; init; } = new();

    /// <summary>Duplicates among contacts.</summary>
    public DuplicateReport Contacts { get; init; } = new();

    /// <summary>Duplicates among leads.</summary>
    public DuplicateReport Leads { get; init; } = new();

    /// <summary>Leads that match an existing contact.</summary>
    public DuplicateReport LeadsMatchingContacts { get; init; } = new();

    /// <summary>Leads whose company matches an existing account.</summary>
    public DuplicateReport LeadsMatchingAccounts { get; init; } = new();
}
