namespace Atom.Salesforce.Emulator.Data;

/// <summary>
/// Records of one object made on demand rather than stored (<see cref="Org.AddGenerated"/>): a load run of millions of rows
/// reads them through Bulk API 2.0 query jobs while the org holds only the records it wrote. Each is made by
/// <see cref="Make"/> from its index, typically a copy of a record the org wrote (<see cref="StoredRecord.CopyAs"/>) with its
/// own id and values, so its fields are those the org's own write path gives.
/// </summary>
/// <param name="Count">How many records there are.</param>
/// <param name="Make">Record <c>i</c> (0 ≤ i &lt; <paramref name="Count"/>); called again on every read, from any thread.</param>
internal sealed record GeneratedRecords(int Count, Func<int, StoredRecord> Make);
