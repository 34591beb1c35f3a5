using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Composite;

/// <summary>The body of a sObject Collections subrequest inside <c>/composite</c>: its records are written with attributes.</summary>
internal sealed class CollectionBody
{
    private CollectionBody(string sObjectType, IReadOnlyList<object> records, bool allOrNone, bool update)
    {
        SObjectType = sObjectType;
        Records = records;
        AllOrNone = allOrNone;
        Update = update;
    }

    public string SObjectType { get; }

    public IReadOnlyList<object> Records { get; }

    public bool AllOrNone { get; }

    /// <summary>True for an update: each record's id is written into it.</summary>
    public bool Update { get; }

    public static CollectionBody Create<T>(string sObjectType, IEnumerable<T> records, bool allOrNone, bool update)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(records);
        var list = new List<object>();
        foreach (var record in records)
        {
            list.Add(record ?? throw new ArgumentException("A collection cannot hold a null record.", nameof(records)));
        }

        if (list.Count is 0 or > CollectionsClient.MaxRecordsPerRequest)
        {
            throw new ArgumentException(
                $"A collection subrequest holds 1 to {CollectionsClient.MaxRecordsPerRequest} records; this one has {list.Count}. Use Composite.Collections for more.",
                nameof(records));
        }

        return new CollectionBody(sObjectType, list, allOrNone, update);
    }
}
