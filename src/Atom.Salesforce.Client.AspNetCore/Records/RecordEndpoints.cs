using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Records;

/// <summary>An object the pack exposes: its route segment, sObject, body property names and default fields.</summary>
internal sealed record RecordObject(string Route, string SObject, string DataProperty, string IdProperty, IReadOnlyList<string> DefaultFields)
{
    public static RecordObject Account { get; } = new("accounts", "Account", "account_data", "account_id",
        ["Name", "Type", "Industry", "AnnualRevenue", "NumberOfEmployees", "Phone", "Website", "BillingCity", "BillingState", "BillingCountry", "Rating", "OwnerId", "CreatedDate"]);

    public static RecordObject Contact { get; } = new("contacts", "Contact", "contact_data", "contact_id",
        ["FirstName", "LastName", "Name", "Email", "Phone", "Title", "Department", "AccountId", "LeadSource", "OwnerId", "CreatedDate"]);

    public static RecordObject Opportunity { get; } = new("opportunities", "Opportunity", "opportunity_data", "opportunity_id",
        ["Name", "AccountId", "StageName", "Amount", "Probability", "CloseDate", "ForecastCategoryName", "IsClosed", "IsWon", "Type", "LeadSource", "OwnerId", "CreatedDate"]);

    public static RecordObject Lead { get; } = new("leads", "Lead", "lead_data", "lead_id",
        ["FirstName", "LastName", "Name", "Company", "Title", "Email", "Phone", "Status", "LeadSource", "Rating", "Industry", "IsConverted", "OwnerId", "CreatedDate"]);
}

/// <summary>The list, create, get, update and delete routes of a <see cref="RecordObject"/>.</summary>
internal static class RecordEndpoints
{
    /// <summary>The list route; for contacts and opportunities <c>account_id</c> narrows it to one account.</summary>
    public static EndpointDefinition List(RecordObject o, bool parentFilter) => new(
        $"{o.Route}/list",
        o.Route,
        $"List {o.SObject} records: default or chosen fields, an optional guarded SOQL condition, a bounded limit.",
        [
            BodyProperty.UserId, BodyProperty.Query, BodyProperty.Fields, BodyProperty.Limit,
            .. parentFilter ? [new BodyProperty("account_id", BodyType.Id, false, "Only records of this account.")] : Array.Empty<BodyProperty>(),
        ],
        Schemas.RecordList,
        async call =>
        {
            var limit = call.Limit();
            var describe = await call.Services.Describes.GetAsync(call.Client, o.SObject, call.CancellationToken).ConfigureAwait(false);
            var fields = FieldGuard.SelectFields(describe, call.Body.Strings("fields"), o.DefaultFields);
            var parent = parentFilter && call.Body.String("account_id") is { } accountId ? $"AccountId = {Soql.Soql.Literal(accountId)}" : null;
            var soql = FieldGuard.BuildQuery(describe, fields, parent, call.Body.String("query"), limit);
            var records = new List<Dictionary<string, object?>>();
            await foreach (var record in call.Client.Query.QueryAsync<SObject>(soql, call.CancellationToken).ConfigureAwait(false))
            {
                records.Add(FieldGuard.ToJson(record));
                if (records.Count == limit)
                {
                    break;
                }
            }

            return new RecordList(records, records.Count, limit);
        });

    public static EndpointDefinition Create(RecordObject o) => new(
        $"{o.Route}/create",
        o.Route,
        $"Create a {o.SObject}. Every field of {o.DataProperty} must exist and be creatable.",
        [BodyProperty.UserId, new BodyProperty(o.DataProperty, BodyType.FieldValues, true, $"{o.SObject} field API names and values.")],
        Schemas.RecordId,
        async call =>
        {
            var describe = await call.Services.Describes.GetAsync(call.Client, o.SObject, call.CancellationToken).ConfigureAwait(false);
            var record = FieldGuard.ToRecord(describe, call.Body.Element(o.DataProperty)!.Value, o.DataProperty, forCreate: true);
            var id = await call.Client.SObjects.CreateAsync(o.SObject, record, call.CancellationToken).ConfigureAwait(false);
            return new RecordId(id, Created: true);
        });

    public static EndpointDefinition Get(RecordObject o) => new(
        $"{o.Route}/get",
        o.Route,
        $"Read one {o.SObject}.",
        [BodyProperty.UserId, new BodyProperty(o.IdProperty, BodyType.Id, true, $"The {o.SObject} id."), BodyProperty.Fields],
        Schemas.Record,
        async call =>
        {
            var id = call.Body.RequiredId(o.IdProperty);
            var describe = await call.Services.Describes.GetAsync(call.Client, o.SObject, call.CancellationToken).ConfigureAwait(false);
            var fields = FieldGuard.SelectFields(describe, call.Body.Strings("fields"), o.DefaultFields);
            var record = await call.Client.SObjects.GetAsync<SObject>(o.SObject, id, fields, call.CancellationToken).ConfigureAwait(false);
            return FieldGuard.ToJson(record);
        });

    public static EndpointDefinition Update(RecordObject o) => new(
        $"{o.Route}/update",
        o.Route,
        $"Update a {o.SObject}: only the fields given change; null clears a field.",
        [
            BodyProperty.UserId,
            new BodyProperty(o.IdProperty, BodyType.Id, true, $"The {o.SObject} id."),
            new BodyProperty(o.DataProperty, BodyType.FieldValues, true, $"{o.SObject} field API names and new values."),
        ],
        Schemas.RecordId,
        async call =>
        {
            var id = call.Body.RequiredId(o.IdProperty);
            var describe = await call.Services.Describes.GetAsync(call.Client, o.SObject, call.CancellationToken).ConfigureAwait(false);
            var record = FieldGuard.ToRecord(describe, call.Body.Element(o.DataProperty)!.Value, o.DataProperty, forCreate: false);
            await call.Client.SObjects.UpdateAsync(o.SObject, id, record, call.CancellationToken).ConfigureAwait(false);
            return new RecordId(id, Updated: true);
        });

    public static EndpointDefinition Delete(RecordObject o) => new(
        $"{o.Route}/delete",
        o.Route,
        $"Delete a {o.SObject} (to the recycle bin).",
        [BodyProperty.UserId, new BodyProperty(o.IdProperty, BodyType.Id, true, $"The {o.SObject} id.")],
        Schemas.RecordId,
        async call =>
        {
            var id = call.Body.RequiredId(o.IdProperty);
            await call.Client.SObjects.DeleteAsync(o.SObject, id, call.CancellationToken).ConfigureAwait(false);
            return new RecordId(id, Deleted: true);
        });
}

internal sealed record RecordList(IReadOnlyList<Dictionary<string, object?>> Records, int Count, int Limit);

internal sealed record RecordId(string Id, bool Created = false, bool Updated = false, bool Deleted = false);
