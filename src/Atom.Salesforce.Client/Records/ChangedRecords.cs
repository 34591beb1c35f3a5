using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Records;

/// <summary>The ids of records of one type updated in a time window (<c>/sobjects/{type}/updated</c>).</summary>
public sealed class UpdatedRecords
{
    /// <summary>The ids of the records changed in the window.</summary>
    [JsonPropertyName("ids")]
    public IReadOnlyList<string> Ids { get; init; } = [];

    /// <summary>The last moment the answer covers; ask from here next time.</summary>
    [JsonPropertyName("latestDateCovered")]
    public DateTimeOffset LatestDateCovered { get; init; }
}

/// <summary>The records of one type deleted in a time window (<c>/sobjects/{type}/deleted</c>).</summary>
public sealed class DeletedRecords
{
    /// <summary>The deleted records with the moment each was deleted.</summary>
    [JsonPropertyName("deletedRecords")]
    public IReadOnlyList<DeletedRecord> Records { get; init; } = [];

    /// <summary>The earliest moment for which Salesforce still keeps deletions.</summary>
    [JsonPropertyName("earliestDateAvailable")]
    public DateTimeOffset EarliestDateAvailable { get; init; }

    /// <summary>The last moment the answer covers; ask from here next time.</summary>
    [JsonPropertyName("latestDateCovered")]
    public DateTimeOffset LatestDateCovered { get; init; }
}

/// <summary>One deleted record.</summary>
public sealed record DeletedRecord
{
    [JsonConstructor]
    internal DeletedRecord()
    {
    }

    /// <summary>The record id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>When it was deleted.</summary>
    [JsonPropertyName("deletedDate")]
    public DateTimeOffset DeletedDate { get; init; }
}
