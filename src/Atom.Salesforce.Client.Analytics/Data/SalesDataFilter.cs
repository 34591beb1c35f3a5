using System.Globalization;
using System.Text;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// Which records an <see cref="ISalesDataSource"/> reads. Each condition applies to the objects that have the field, and every
/// condition set must hold: <see cref="OwnerIds"/> to Opportunity, Lead, Account, Contact, Task and Event (by <c>OwnerId</c>);
/// <see cref="CreatedFrom"/> and <see cref="CreatedBefore"/> to those and CampaignMember (by <c>CreatedDate</c>);
/// <see cref="CloseDateFrom"/>, <see cref="CloseDateTo"/> and <see cref="StageNames"/> to Opportunity only; <see cref="LeadIds"/>
/// to Lead (by <c>Id</c>) and Task and Event (by <c>WhoId</c>). OpportunityHistory
/// follows the opportunities selected; User, Campaign and OpportunityStage are never filtered.
/// </summary>
public sealed class SalesDataFilter
{
    /// <summary>Only records owned by these users; any owner when null.</summary>
    public IReadOnlyCollection<string>? OwnerIds { get; init; }

    /// <summary>Only records created at or after this instant.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only records created before this instant.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only opportunities closing on or after this date.</summary>
    public DateOnly? CloseDateFrom { get; init; }

    /// <summary>Only opportunities closing on or before this date.</summary>
    public DateOnly? CloseDateTo { get; init; }

    /// <summary>Only opportunities in these stages (API names); any stage when null.</summary>
    public IReadOnlyCollection<string>? StageNames { get; init; }

    /// <summary>
    /// Only these leads (by <c>Id</c>), and only the tasks and events about them (by <c>WhoId</c>); any when null. Scoring one
    /// lead reads it and its activities this way.
    /// </summary>
    public IReadOnlyCollection<string>? LeadIds { get; init; }

    /// <summary>The objects <see cref="OwnerIds"/> applies to.</summary>
    internal static readonly HashSet<string> OwnedObjects = new(StringComparer.Ordinal) { "Opportunity", "Lead", "Account", "Contact", "Task", "Event" };

    /// <summary>The objects the created-date range applies to.</summary>
    internal static readonly HashSet<string> CreatedObjects = new(StringComparer.Ordinal) { "Opportunity", "Lead", "Account", "Contact", "Task", "Event", "CampaignMember" };

    /// <summary>The SOQL conditions of this filter for <paramref name="sObject"/>, joined by AND; empty when none applies.</summary>
    internal string SoqlConditions(string sObject)
    {
        var conditions = new List<string>();
        if (OwnerIds is not null && OwnedObjects.Contains(sObject))
        {
            // A value that is not a record id owns nothing, and Salesforce refuses it in an id comparison (invalid ID field).
            var owners = OwnerIds.Where(static o => o.Length is 15 or 18 && o.All(char.IsAsciiLetterOrDigit)).ToList();
            conditions.Add(owners.Count == 0 ? "Id = null" : $"OwnerId IN ({string.Join(", ", owners.Select(Literal))})");
        }

        if (LeadIds is not null && sObject is "Lead" or "Task" or "Event")
        {
            // An id whose checksum does not match names no record, and Salesforce refuses it (invalid ID field).
            var leads = LeadIds.Where(static id => SalesforceId.TryParse(id, out _)).ToList();
            conditions.Add(leads.Count == 0 ? "Id = null" : $"{(sObject == "Lead" ? "Id" : "WhoId")} IN ({string.Join(", ", leads.Select(Literal))})");
        }

        if (CreatedObjects.Contains(sObject))
        {
            if (CreatedFrom is { } from)
            {
                conditions.Add("CreatedDate >= " + DateTime(from));
            }

            if (CreatedBefore is { } before)
            {
                conditions.Add("CreatedDate < " + DateTime(before));
            }
        }

        if (sObject == "Opportunity")
        {
            if (CloseDateFrom is { } closeFrom)
            {
                conditions.Add("CloseDate >= " + closeFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }

            if (CloseDateTo is { } closeTo)
            {
                conditions.Add("CloseDate <= " + closeTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }

            if (StageNames is not null)
            {
                conditions.Add(StageNames.Count == 0 ? "Id = null" : $"StageName IN ({string.Join(", ", StageNames.Select(Literal))})");
            }
        }

        return string.Join(" AND ", conditions);
    }

    private static string DateTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A SOQL string literal (SOQL and SOSL Reference, "Quoted String Escape Sequences").</summary>
    private static string Literal(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\'' => text.Append("\\'"),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ => text.Append(c),
            };
        }

        return text.Append('\'').ToString();
    }
}
