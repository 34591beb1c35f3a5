using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Duplicates;

/// <summary>The duplicates found among a set of records (or between two sets).</summary>
/// <param name="RecordCount">How many records were examined.</param>
/// <param name="Comparisons">How many distinct pairs were scored: only pairs sharing a blocking key, never all pairs.</param>
/// <param name="OversizedBlocks">How many blocks were larger than <see cref="DuplicateOptions.MaxBlockSize"/> and compared by sorted neighbourhood.</param>
/// <param name="Pairs">Every pair scoring at least the threshold, highest score first.</param>
/// <param name="Clusters">The pairs joined into groups of records that are all one entity (transitively), largest first.</param>
public sealed record DuplicateReport(
    int RecordCount,
    long Comparisons,
    int OversizedBlocks,
    IReadOnlyList<DuplicatePair> Pairs,
    IReadOnlyList<DuplicateCluster> Clusters);

/// <summary>Two records that look like the same person or company.</summary>
/// <param name="FirstId">One record's id (the lead, when a lead is matched against contacts or accounts).</param>
/// <param name="SecondId">The other record's id.</param>
/// <param name="Score">The match score, 0–1: the weighted mean of the similarities of the fields both records have.</param>
/// <param name="Reasons">
/// Each field compared, with its share of the score as <see cref="ScoreReason.Impact"/> (the shares add up to the score)
/// and how well it matched; largest first.
/// </param>
public sealed record DuplicatePair(string FirstId, string SecondId, double Score, IReadOnlyList<ScoreReason> Reasons);

/// <summary>Records joined by duplicate pairs into one group.</summary>
/// <param name="Ids">The records' ids, in ordinal order.</param>
public sealed record DuplicateCluster(IReadOnlyList<string> Ids);

/// <summary>Every duplicate check of an org at once (<see cref="DuplicateDetector.FindAsync"/>).</summary>
/// <param name="Accounts">Duplicates among accounts.</param>
/// <param name="Contacts">Duplicates among contacts.</param>
/// <param name="Leads">Duplicates among leads.</param>
/// <param name="LeadsMatchingContacts">Leads that match an existing contact.</param>
/// <param name="LeadsMatchingAccounts">Leads whose company matches an existing account.</param>
public sealed record DuplicateScan(
    DuplicateReport Accounts,
    DuplicateReport Contacts,
    DuplicateReport Leads,
    DuplicateReport LeadsMatchingContacts,
    DuplicateReport LeadsMatchingAccounts);
