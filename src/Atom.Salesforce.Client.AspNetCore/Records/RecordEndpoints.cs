using System.Text.Json;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Records;

/// <summary>An object the pack exposes: its route segment, sObject, body property names and default fields.</summary>
internal sealed record RecordObject(string Route, string SObject, string DataProperty, string IdProperty, IReadOnlyList<string> DefaultFields)
{
    /// <summary>
    /// The parent account a create may name beside the record data, as the seed documents it for opportunities
    /// (<c>{"account_id": "001...", "opportunity_data": {...}}</c>): the top-level property and the field it sets.
    /// </summary>
    public (string Property, string Field)? Parent { get; init; }

    public static RecordObject Account { get; } = new("accounts", "Account", "account_data", "account_id",
        ["Name", "Type", "Industry", "AnnualRevenue", "NumberOfEmployees", "Phone", "Website", "BillingCity", "BillingState", "BillingCountry", "Rating", "OwnerId", "CreatedDate"]);

    public static RecordObject Contact { get; } = new("contacts", "Contact", "contact_data", "contact_id",
        ["FirstName", "LastName", "Name", "Email", "Phone", "Title", "Department", "AccountId", "LeadSource", "OwnerId", "CreatedDate"])
    {
        Parent = ("account_id", "AccountId"),
    };

    public static RecordObject Opportunity { get; } = new("opportunities", "Opportunity", "opportunity_data", "opportunity_id",
        ["Name", "AccountId", "StageName", "Amount", "Probability", "CloseDate", "ForecastCategoryName", "IsClosed", "IsWon", "Type", "LeadSource", "OwnerId", "CreatedDate"])
    {
        Parent = ("account_id", "AccountId"),
    };

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
            await foreach (var record in call.Client.Query.QueryAsync<SObject>(soql, cancellationToken: call.CancellationToken).ConfigureAwait(false))
            {
                records.Add(FieldGuard.ToJson(record));
                if (records.Count == limit)
                {
                    break;
                }
            }

            return new RecordList(records, records.Count, limit);
        });

    /// <summary>
    /// The create route. Where the object has a <see cref="RecordObject.Parent"/>, the documented top-level <c>account_id</c>
    /// sets AccountId; <c>AccountId</c> inside the data stays accepted, and both naming different records is a 400.
    /// </summary>
    public static EndpointDefinition Create(RecordObject o) => new(
        $"{o.Route}/create",
        o.Route,
        $"Create a {o.SObject}. Every field of {o.DataProperty} must exist and be creatable.",
        [
            BodyProperty.UserId,
            .. o.Parent is { } parent
                ? [new BodyProperty(parent.Property, BodyType.Id, false, $"The parent account: sets {o.SObject}.{parent.Field}. {o.DataProperty}.{parent.Field} is accepted too; both naming different records is refused.")]
                : Array.Empty<BodyProperty>(),
            new BodyProperty(o.DataProperty, BodyType.FieldValues, true, $"{o.SObject} field API names and values."),
        ],
        Schemas.RecordId,
        async call =>
        {
            var data = call.Body.Element(o.DataProperty)!.Value;
            var (parentProperty, parentField) = o.Parent ?? (string.Empty, string.Empty);
            var parentId = o.Parent is null ? null : call.Body.String(parentProperty);
            if (parentId is not null)
            {
                CheckSameParent(o, data, parentId);
            }

            var describe = await call.Services.Describes.GetAsync(call.Client, o.SObject, call.CancellationToken).ConfigureAwait(false);
            var record = FieldGuard.ToRecord(describe, data, o.DataProperty, forCreate: true);
            if (parentId is not null)
            {
                record[FieldGuard.Field(describe, parentField, parentProperty)] = parentId;
            }

            var id = await call.Client.SObjects.CreateAsync(o.SObject, record, call.CancellationToken).ConfigureAwait(false);
            return new RecordId(id, Created: true);
        });

    /// <summary>The data's own parent field (any case), when given, must name the same record as the top-level property.</summary>
    private static void CheckSameParent(RecordObject o, JsonElement data, string parentId)
    {
        var (property, field) = o.Parent ?? throw new InvalidOperationException($"{o.SObject} has no parent property.");
        foreach (var item in data.EnumerateObject())
        {
            if (string.Equals(item.Name, field, StringComparison.OrdinalIgnoreCase)
                && !(item.Value.ValueKind == JsonValueKind.String && RecordIds.Same(item.Value.GetString()!, parentId)))
            {
                throw EndpointError.Validation(
                    EndpointErrorCodes.InvalidRequest,
                    $"'{property}' and '{o.DataProperty}.{item.Name}' name different records; give one of them, or the same id in both.");
            }
        }
    }

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
