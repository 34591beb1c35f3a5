namespace Atom.Salesforce.Client.Models;

/// <summary>One job of an ingest and the input rows it holds.</summary>
/// <param name="Job">The job as last known: its id and state.</param>
/// <param name="FirstRow">The position in the input of the job's first row, from 0.</param>
/// <param name="RowCount">How many input rows, from <paramref name="FirstRow"/> on, the job holds.</param>
public sealed record BulkIngestJobRows(BulkJobInfo Job, int FirstRow, int RowCount);
