using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Records;

/// <summary>The result of an upsert by external id.</summary>
public sealed record UpsertResult
{
    [JsonConstructor]
    internal UpsertResult()
    {
    }

    /// <summary>
    /// The id of the record created or updated. Null only for API versions before 46.0, which answered an update with 204 and no body.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>True when no record matched and one was created; false when the matching record was updated.</summary>
    public bool Created { get; init; }
}
