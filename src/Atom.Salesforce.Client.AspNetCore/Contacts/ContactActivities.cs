using System.Globalization;
using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Records;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Contacts;

/// <summary>
/// <c>contacts/activities</c>: a contact's tasks and events as one timeline, newest first, with the contact's communication
/// preferences (email and call opt-outs).
/// </summary>
internal static class ContactActivities
{
    private static readonly string[] ContactFields = ["Name", "Email", "Phone", "MobilePhone", "HasOptedOutOfEmail", "HasOptedOutOfFax", "DoNotCall"];
    private static readonly string[] TaskFields = ["Subject", "ActivityDate", "Status", "Priority", "Type", "TaskSubtype", "IsClosed", "CreatedDate"];
    private static readonly string[] EventFields = ["Subject", "ActivityDate", "StartDateTime", "EndDateTime", "Location", "DurationInMinutes", "IsAllDayEvent", "CreatedDate"];

    public static EndpointDefinition Definition { get; } = new(
        "contacts/activities",
        "contacts",
        "A contact's tasks and events as one timeline (newest first), with communication preferences.",
        [
            BodyProperty.UserId,
            new BodyProperty("contact_id", BodyType.Id, true, "The contact."),
            BodyProperty.DateRange("Only activities dated in this range"),
            BodyProperty.Limit,
        ],
        ResponseSchema,
        HandleAsync);

    internal sealed record TimelineItem(string Kind, string Id, string? Subject, string? Date, Dictionary<string, object?> Details);

    internal sealed record Preferences(bool EmailOptOut, bool DoNotCall, bool? FaxOptOut, bool CanEmail, bool CanCall, string? Email, string? Phone);

    internal sealed record Result(string ContactId, string? Name, Preferences CommunicationPreferences, IReadOnlyList<TimelineItem> Timeline, int TaskCount, int EventCount);

    private static async Task<object?> HandleAsync(EndpointCall call)
    {
        var contactId = call.Body.RequiredId("contact_id");
        var limit = call.Limit();
        var range = call.Body.DateRange("date_range")?.Resolve(call.Services.TimeProvider);
        var client = call.Client;
        var describes = call.Services.Describes;
        var contactDescribe = await describes.GetAsync(client, "Contact", call.CancellationToken).ConfigureAwait(false);
        var contact = await client.SObjects.GetAsync<SObject>(
            "Contact", contactId, Existing(contactDescribe, ContactFields), call.CancellationToken).ConfigureAwait(false);

        var where = $"WhoId = {Soql.Soql.Literal(contactId)}";
        if (range is { } r)
        {
            where += $" AND ActivityDate >= {Soql.Soql.Literal(r.Start)} AND ActivityDate <= {Soql.Soql.Literal(r.End)}";
        }

        var taskDescribe = await describes.GetAsync(client, "Task", call.CancellationToken).ConfigureAwait(false);
        var eventDescribe = await describes.GetAsync(client, "Event", call.CancellationToken).ConfigureAwait(false);
        var tasks = await ReadAsync(client, "Task", Existing(taskDescribe, TaskFields), where, limit, call.CancellationToken).ConfigureAwait(false);
        var events = await ReadAsync(client, "Event", Existing(eventDescribe, EventFields), where, limit, call.CancellationToken).ConfigureAwait(false);

        var timeline = tasks.Select(t => Item("task", t, t.Get<string>("ActivityDate") ?? t.Get<string>("CreatedDate")))
            .Concat(events.Select(e => Item("event", e, e.Get<string>("StartDateTime") ?? e.Get<string>("ActivityDate") ?? e.Get<string>("CreatedDate"))))
            .OrderByDescending(i => SortKey(i.Date))
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();

        var emailOptOut = contact.Get<bool?>("HasOptedOutOfEmail") ?? false;
        var doNotCall = contact.Get<bool?>("DoNotCall") ?? false;
        var email = contact.Get<string>("Email");
        var phone = contact.Get<string>("Phone") ?? contact.Get<string>("MobilePhone");
        var preferences = new Preferences(
            emailOptOut, doNotCall, contact.Contains("HasOptedOutOfFax") ? contact.Get<bool?>("HasOptedOutOfFax") ?? false : null,
            CanEmail: !emailOptOut && email is not null, CanCall: !doNotCall && phone is not null, email, phone);
        return new Result(contactId, contact.Get<string>("Name"), preferences, timeline, tasks.Count, events.Count);
    }

    private static List<string> Existing(SObjectDescribe describe, IEnumerable<string> fields) =>
        [.. fields.Select(f => describe.FindField(f)?.Name).OfType<string>()];

    private static async Task<List<SObject>> ReadAsync(SalesforceClient client, string sObject, List<string> fields, string where, int limit, CancellationToken cancellationToken)
    {
        var soql = $"SELECT Id{string.Concat(fields.Select(f => ", " + f))} FROM {sObject} WHERE {where} ORDER BY ActivityDate DESC LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
        var records = new List<SObject>();
        await foreach (var record in client.Query.QueryAsync<SObject>(soql, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        return records;
    }

    private static TimelineItem Item(string kind, SObject record, string? date)
    {
        var details = FieldGuard.ToJson(record);
        details.Remove("Id");
        details.Remove("Subject");
        return new TimelineItem(kind, record.Id ?? string.Empty, record.Get<string>("Subject"), date, details);
    }

    /// <summary>Dates (yyyy-MM-dd) and date-times sort together by their UTC instant; undated items last.</summary>
    private static DateTimeOffset SortKey(string? date) =>
        date is not null && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : DateTimeOffset.MinValue;

    private static JsonObject ResponseSchema() => Schemas.Object(
        "The contact's activity timeline.",
        ("contact_id", Schemas.Type("string", "The contact.")),
        ("name", Schemas.Nullable("string", "The contact's name.")),
        ("communication_preferences", Schemas.Object(
            "How the contact may be reached.",
            ("email_opt_out", Schemas.Type("boolean", "HasOptedOutOfEmail.")),
            ("do_not_call", Schemas.Type("boolean", "DoNotCall.")),
            ("fax_opt_out", Schemas.Nullable("boolean", "HasOptedOutOfFax, when the org has it.")),
            ("can_email", Schemas.Type("boolean", "Not opted out and has an email address.")),
            ("can_call", Schemas.Type("boolean", "Not on do-not-call and has a phone number.")),
            ("email", Schemas.Nullable("string", "Email.")),
            ("phone", Schemas.Nullable("string", "Phone, or MobilePhone.")))),
        ("timeline", Schemas.Array(Schemas.Object(
            "One task or event.",
            ("kind", Schemas.Type("string", "task or event.")),
            ("id", Schemas.Type("string", "The record id.")),
            ("subject", Schemas.Nullable("string", "Subject.")),
            ("date", Schemas.Nullable("string", "ActivityDate of a task, StartDateTime of an event.")),
            ("details", new JsonObject { ["type"] = "object", ["additionalProperties"] = true, ["description"] = "The other fields read." })),
            "Newest first, at most limit.")),
        ("task_count", Schemas.Type("integer", "Tasks read.")),
        ("event_count", Schemas.Type("integer", "Events read.")));
}
