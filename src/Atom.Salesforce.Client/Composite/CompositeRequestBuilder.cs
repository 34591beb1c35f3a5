using System.Globalization;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Composite;

/// <summary>
/// The builder methods shared by <see cref="CompositeRequest"/>, <see cref="CompositeBatchRequest"/> and
/// <see cref="CompositeGraph"/>. Each method checks its arguments and the container's limits at once, before any call.
/// </summary>
public abstract class CompositeRequestBuilder
{
    private readonly List<CompositeSubrequest> _subrequests = [];
    private readonly HashSet<string> _referenceIds = new(StringComparer.Ordinal);

    private protected CompositeRequestBuilder()
    {
    }

    /// <summary>The subrequests in the order they run.</summary>
    public IReadOnlyList<CompositeSubrequest> Subrequests => _subrequests;

    /// <summary>Creates a record (<c>POST sobjects/{type}</c>). Its new id is <see cref="CompositeSubrequest.IdReference"/>.</summary>
    /// <param name="sObjectType">The sObject API name.</param>
    /// <param name="record">The fields; values may be references such as <c>@{refAccount.id}</c>.</param>
    /// <param name="referenceId">The subrequest's name; generated when null.</param>
    public CompositeSubrequest Create<T>(string sObjectType, T record, string? referenceId = null)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(record);
        return Add("POST", "sobjects/" + sObjectType, record, referenceId, isQuery: false);
    }

    /// <summary>Updates the fields of a record (<c>PATCH sobjects/{type}/{id}</c>); the id may be a reference.</summary>
    public CompositeSubrequest Update<T>(string sObjectType, string id, T record, string? referenceId = null)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        CompositeSubrequest.ThrowIfInvalidIdOrReference(id, nameof(id));
        ArgumentNullException.ThrowIfNull(record);
        return Add("PATCH", $"sobjects/{sObjectType}/{id}", record, referenceId, isQuery: false);
    }

    /// <summary>Creates or updates the record whose external id field holds <paramref name="externalId"/>.</summary>
    public CompositeSubrequest Upsert<T>(string sObjectType, string externalIdField, string externalId, T record, string? referenceId = null)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        RecordNames.ThrowIfInvalidName(externalIdField, nameof(externalIdField));
        ArgumentException.ThrowIfNullOrEmpty(externalId);
        ArgumentNullException.ThrowIfNull(record);
        return Add("PATCH", $"sobjects/{sObjectType}/{externalIdField}/{Uri.EscapeDataString(externalId)}", record, referenceId, isQuery: false);
    }

    /// <summary>Deletes a record; the id may be a reference.</summary>
    public CompositeSubrequest Delete(string sObjectType, string id, string? referenceId = null)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        CompositeSubrequest.ThrowIfInvalidIdOrReference(id, nameof(id));
        return Add("DELETE", $"sobjects/{sObjectType}/{id}", null, referenceId, isQuery: false);
    }

    /// <summary>Reads a record; the id may be a reference. Its fields are then referenced by their API names (<c>Id</c>, <c>Name</c>).</summary>
    public CompositeSubrequest Get(string sObjectType, string id, IEnumerable<string>? fields = null, string? referenceId = null)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        CompositeSubrequest.ThrowIfInvalidIdOrReference(id, nameof(id));
        var list = RecordNames.JoinFields(fields, nameof(fields));
        return Add("GET", $"sobjects/{sObjectType}/{id}" + (list.Length == 0 ? string.Empty : "?fields=" + list), null, referenceId, isQuery: false);
    }

    /// <summary>Runs a SOQL query (counts against the limit of 5 query and collection subrequests). Reference rows as <c>records[0].Id</c>.</summary>
    public CompositeSubrequest Query(string soql, string? referenceId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        return Add("GET", "query/?q=" + Uri.EscapeDataString(soql), null, referenceId, isQuery: true);
    }

    private protected abstract void CheckCanAdd(string method, string path, bool isQuery);

    /// <summary>Whether subrequests may name each other (composite and graph) or not (batch).</summary>
    private protected virtual bool UsesReferenceIds => true;

    /// <summary>How many query and collection subrequests this holds.</summary>
    private protected int QueryCount => _subrequests.Count(s => s.CountsAsQueryOrCollection);

    private protected CompositeSubrequest Add(string method, string path, object? body, string? referenceId, bool isQuery)
    {
        if (referenceId is not null)
        {
            CompositeSubrequest.ThrowIfInvalidReferenceId(referenceId, nameof(referenceId));
            if (!UsesReferenceIds)
            {
                throw new ArgumentException("Batch subrequests cannot be referenced; leave referenceId null.", nameof(referenceId));
            }
        }

        CheckCanAdd(method, path, isQuery);
        var id = referenceId ?? NextReferenceId();
        if (!_referenceIds.Add(id))
        {
            throw new ArgumentException($"The referenceId '{id}' is already used in this request.", nameof(referenceId));
        }

        var subrequest = new CompositeSubrequest(method, path, body, id, isQuery);
        _subrequests.Add(subrequest);
        return subrequest;
    }

    private string NextReferenceId()
    {
        var n = _subrequests.Count + 1;
        string candidate;
        do
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"ref{n++}");
        }
        while (_referenceIds.Contains(candidate));

        return candidate;
    }
}

/// <summary>
/// A <c>/composite</c> request: up to 25 subrequests run in order in one API call, later ones referring to earlier results
/// with <c>@{referenceId.field}</c>. At most 5 of them may be queries or collections.
/// </summary>
public sealed class CompositeRequest : CompositeRequestBuilder
{
    /// <summary>The most subrequests one composite request may hold.</summary>
    public const int MaxSubrequests = 25;

    /// <summary>The most query or collection subrequests one composite request may hold.</summary>
    public const int MaxQueryOrCollectionSubrequests = 5;

    /// <summary>When true, any failure rolls back every subrequest. Default false.</summary>
    public bool AllOrNone { get; set; }

    /// <summary>
    /// Whether Salesforce may group independent subrequests for speed. Null leaves Salesforce's default (true from API 49.0);
    /// false guarantees they run in order.
    /// </summary>
    public bool? CollateSubrequests { get; set; }

    /// <summary>
    /// Creates up to 200 records of one or more types in one subrequest (sObject Collections). Its result is an array in input
    /// order: refer to the second record's id with <c>Reference("[1].id")</c>. Counts as one of the 5 query or collection
    /// subrequests. The composite request's own <see cref="AllOrNone"/> overrides <paramref name="allOrNone"/> when true.
    /// </summary>
    public CompositeSubrequest CreateCollection<T>(string sObjectType, IEnumerable<T> records, bool allOrNone = false, string? referenceId = null)
    {
        var body = CollectionBody.Create(sObjectType, records, allOrNone, update: false);
        return Add("POST", "composite/sobjects", body, referenceId, isQuery: true);
    }

    /// <summary>
    /// Updates up to 200 records in one subrequest (sObject Collections); each record carries its id (<c>SObject.Id</c> or an
    /// <c>Id</c> property). Counts as one of the 5 query or collection subrequests.
    /// </summary>
    public CompositeSubrequest UpdateCollection<T>(string sObjectType, IEnumerable<T> records, bool allOrNone = false, string? referenceId = null)
    {
        var body = CollectionBody.Create(sObjectType, records, allOrNone, update: true);
        return Add("PATCH", "composite/sobjects", body, referenceId, isQuery: true);
    }

    private protected override void CheckCanAdd(string method, string path, bool isQuery)
    {
        if (Subrequests.Count >= MaxSubrequests)
        {
            throw new InvalidOperationException($"A composite request holds at most {MaxSubrequests} subrequests.");
        }

        if (isQuery && QueryCount >= MaxQueryOrCollectionSubrequests)
        {
            throw new InvalidOperationException($"A composite request holds at most {MaxQueryOrCollectionSubrequests} query or collection subrequests.");
        }
    }
}

/// <summary>
/// A <c>/composite/batch</c> request: up to 25 independent subrequests, each committed on its own, in one API call. They
/// cannot refer to each other.
/// </summary>
public sealed class CompositeBatchRequest : CompositeRequestBuilder
{
    /// <summary>The most subrequests one batch may hold.</summary>
    public const int MaxSubrequests = 25;

    /// <summary>When true, the subrequests after the first failure are not run and report <c>BATCH_PROCESSING_HALTED</c>.</summary>
    public bool HaltOnError { get; set; }

    private protected override bool UsesReferenceIds => false;

    private protected override void CheckCanAdd(string method, string path, bool isQuery)
    {
        if (Subrequests.Count >= MaxSubrequests)
        {
            throw new InvalidOperationException($"A batch holds at most {MaxSubrequests} subrequests.");
        }
    }
}

/// <summary>
/// One graph of a <c>/composite/graph</c> call: record operations that commit or fail together, referring to each other with
/// <c>@{referenceId.field}</c>. A call carries at most 500 nodes in all.
/// </summary>
public sealed class CompositeGraph : CompositeRequestBuilder
{
    /// <summary>The most nodes one graph call may carry, over all its graphs.</summary>
    public const int MaxNodes = 500;

    /// <summary>Creates a graph.</summary>
    /// <param name="graphId">The graph's name in the results; letters, digits and '_'.</param>
    public CompositeGraph(string graphId)
    {
        CompositeSubrequest.ThrowIfInvalidReferenceId(graphId, nameof(graphId));
        GraphId = graphId;
    }

    /// <summary>The graph's name in the results.</summary>
    public string GraphId { get; }

    private protected override void CheckCanAdd(string method, string path, bool isQuery)
    {
        if (isQuery)
        {
            throw new InvalidOperationException("A graph node may only create, read, update, upsert or delete a record; queries are not allowed.");
        }

        if (Subrequests.Count >= MaxNodes)
        {
            throw new InvalidOperationException($"A graph call carries at most {MaxNodes} nodes.");
        }
    }
}
