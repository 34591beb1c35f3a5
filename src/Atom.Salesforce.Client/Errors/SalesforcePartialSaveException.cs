using System.Globalization;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// A save sent as several requests (sObject Collections, 200 rows per request) failed part-way after some rows may have been
/// written. <see cref="Results"/> holds one result per input row, in input order, each with its
/// <see cref="SaveResult.Outcome"/>: saved (with its id), refused (with Salesforce's errors), not sent, or unknown (sent, no
/// usable answer). <see cref="Exception.InnerException"/> is the failure that stopped the save.
/// </summary>
/// <remarks>
/// <para>
/// Never transient as a whole: calling the same save again would write the saved rows a second time. Continue instead:
/// send the <see cref="NotSentRows"/> and <see cref="RefusedRows"/> again (none of them was written), and settle the
/// <see cref="UnknownRows"/> with an upsert by an external id (it updates a row that was written and creates one that was
/// not) or a lookup. <see cref="SaveResult.Index"/> is each row's position in the input.
/// </para>
/// <para>
/// When nothing can have been written (every row refused or not sent), the save throws the original exception instead,
/// and calling it again is safe.
/// </para>
/// </remarks>
public sealed class SalesforcePartialSaveException : SalesforceException
{
    /// <summary>Creates the exception from one result per input row.</summary>
    /// <param name="results">One result per input row, in input order (<see cref="SaveResult.Index"/> 0, 1, 2, ...).</param>
    /// <param name="innerException">The failure that stopped the save.</param>
    public SalesforcePartialSaveException(IReadOnlyList<SaveResult> results, Exception? innerException)
        : base(BuildMessage(results, innerException), innerException, isTransient: false)
    {
        Results = results;
        ErrorCode = SalesforceError.Codes.PartialSave;
        SavedRows = Where(results, SaveRowOutcome.Saved);
        RefusedRows = Where(results, SaveRowOutcome.Refused);
        NotSentRows = Where(results, SaveRowOutcome.NotSent);
        UnknownRows = Where(results, SaveRowOutcome.Unknown);
    }

    /// <summary>One result per input row, in input order.</summary>
    public IReadOnlyList<SaveResult> Results { get; }

    /// <summary>The rows Salesforce saved, with their ids.</summary>
    public IReadOnlyList<SaveResult> SavedRows { get; }

    /// <summary>The rows Salesforce answered for and did not save, with its errors. None was written.</summary>
    public IReadOnlyList<SaveResult> RefusedRows { get; }

    /// <summary>The rows no request carried. None was written: send them again.</summary>
    public IReadOnlyList<SaveResult> NotSentRows { get; }

    /// <summary>The rows sent without a usable answer: they may or may not be saved. Upsert them by an external id, or look them up.</summary>
    public IReadOnlyList<SaveResult> UnknownRows { get; }

    private static List<SaveResult> Where(IReadOnlyList<SaveResult> results, SaveRowOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Where(r => r.Outcome == outcome).ToList();
    }

    private static string BuildMessage(IReadOnlyList<SaveResult> results, Exception? innerException)
    {
        ArgumentNullException.ThrowIfNull(results);
        int Count(SaveRowOutcome outcome) => results.Count(r => r.Outcome == outcome);
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "The save of {0} rows stopped part-way: {1} saved, {2} refused, {3} not sent, {4} unknown (sent without an answer). "
            + "Do not repeat the whole save: send the refused and not-sent rows again, and upsert the unknown ones by an external id or look them up.",
            results.Count, Count(SaveRowOutcome.Saved), Count(SaveRowOutcome.Refused), Count(SaveRowOutcome.NotSent), Count(SaveRowOutcome.Unknown));
        return innerException is null ? message : message + " Cause: " + innerException.Message;
    }
}
