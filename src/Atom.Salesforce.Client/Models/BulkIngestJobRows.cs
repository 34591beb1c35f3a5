using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Models;

/// <summary>One job of an ingest and the input rows it holds.</summary>
public sealed record BulkIngestJobRows
{
    [JsonConstructor]
    internal BulkIngestJobRows()
    {
    }

    /// <summary>The job as last known: its id and state.</summary>
    public BulkJobInfo Job { get; init; } = new();

    /// <summary>The position in the input of the job's first row, from 0.</summary>
    public int FirstRow { get; init; }

    /// <summary>How many input rows, from <see cref="FirstRow"/> on, the job holds.</summary>
    public int RowCount { get; init; }
}
