namespace Atom.Salesforce.Client.Records;

/// <summary>The result of an upsert by external id.</summary>
/// <param name="Id">The id of the record created or updated. Null only for API versions before 46.0, which answered an update with 204 and no body.</param>
/// <param name="Created">True when no record matched and one was created; false when the matching record was updated.</param>
public sealed record UpsertResult(string? Id, bool Created);
