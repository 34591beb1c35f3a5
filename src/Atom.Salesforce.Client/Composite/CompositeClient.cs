using System.Buffers;
using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Composite;

/// <summary>
/// Many operations in one API call: <c>/composite</c> (subrequests that refer to each other), <c>/composite/batch</c>
/// (independent subrequests), <c>/composite/tree</c> (parent and child records inserted together), <c>/composite/graph</c>
/// (several all-or-nothing graphs), and <see cref="Collections"/> (200 records per call). Get one from
/// <see cref="SalesforceClient.Composite"/>.
/// </summary>
public class CompositeClient
{
    /// <summary>The most records one tree insert may carry, over all its trees.</summary>
    public const int MaxTreeRecords = 200;

    /// <summary>The most levels a tree may have.</summary>
    public const int MaxTreeDepth = 5;

    private readonly SalesforceConnection _connection = null!;

    /// <summary>For mocking only.</summary>
    protected CompositeClient()
    {
        Collections = null!;
    }

    internal CompositeClient(SalesforceConnection connection)
    {
        _connection = connection;
        Collections = new CollectionsClient(connection);
    }

    /// <summary>sObject Collections: create, retrieve, update, upsert and delete many records, 200 per call.</summary>
    public virtual CollectionsClient Collections { get; }

    /// <summary>
    /// Sends a <c>/composite</c> request (one API call) and returns each subrequest's result. A failed subrequest is a result with
    /// errors, not an exception; with <see cref="CompositeRequest.AllOrNone"/> the others report <c>PROCESSING_HALTED</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The request holds no subrequest.</exception>
    public virtual Task<CompositeResult> SendAsync(CompositeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfEmpty(request, nameof(request));
        var body = Write(writer =>
        {
            writer.WriteBoolean("allOrNone", request.AllOrNone);
            if (request.CollateSubrequests is { } collate)
            {
                writer.WriteBoolean("collateSubrequests", collate);
            }

            WriteCompositeRequest(writer, request);
        });
        return _connection.RunWriteAsync("CompositeClient.Send", null, async ct =>
        {
            var response = await _connection.Composite.Composite(_connection.Version, body, ct).ConfigureAwait(false);
            using var document = await ReadDocumentAsync(response, ct).ConfigureAwait(false);
            return ReadCompositeResponse(document.RootElement, request);
        }, cancellationToken);
    }

    /// <summary>
    /// Sends a <c>/composite/batch</c> request (one API call): each subrequest runs and commits on its own. Results come back in
    /// request order; a failed subrequest is a result with errors.
    /// </summary>
    public virtual Task<CompositeResult> SendBatchAsync(CompositeBatchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfEmpty(request, nameof(request));
        var body = Write(writer =>
        {
            writer.WriteBoolean("haltOnError", request.HaltOnError);
            writer.WriteStartArray("batchRequests");
            foreach (var subrequest in request.Subrequests)
            {
                writer.WriteStartObject();
                writer.WriteString("method", subrequest.Method);
                writer.WriteString("url", _connection.Version + "/" + subrequest.Path);
                if (subrequest.Body is { } value)
                {
                    writer.WritePropertyName("richInput");
                    JsonSerializer.Serialize(writer, value, _connection.Serializer.WriteOptions.GetTypeInfo(value.GetType()));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
        return _connection.RunWriteAsync("CompositeClient.SendBatch", null, async ct =>
        {
            var response = await _connection.Composite.Batch(_connection.Version, body, ct).ConfigureAwait(false);
            using var document = await ReadDocumentAsync(response, ct).ConfigureAwait(false);
            var root = document.RootElement;
            var results = root.GetProperty("results");
            if (results.GetArrayLength() != request.Subrequests.Count)
            {
                throw new SalesforceException($"Salesforce returned {results.GetArrayLength()} batch results for {request.Subrequests.Count} subrequests.");
            }

            var responses = new List<CompositeSubresponse>(request.Subrequests.Count);
            var i = 0;
            foreach (var item in results.EnumerateArray())
            {
                responses.Add(CompositeSubresponse.Parse(
                    request.Subrequests[i++].ReferenceId, item.GetProperty("statusCode").GetInt32(),
                    item.TryGetProperty("result", out var result) ? result : default, default, _connection.Serializer.ReadOptions));
            }

            var hasErrors = root.TryGetProperty("hasErrors", out var flag) ? flag.ValueKind == JsonValueKind.True : responses.Any(r => !r.IsSuccess);
            return new CompositeResult(responses, hasErrors);
        }, cancellationToken);
    }

    /// <summary>
    /// Sends several graphs in one <c>/composite/graph</c> call (at most 500 nodes in all). Each graph commits entirely or not
    /// at all; one graph's failure does not touch the others.
    /// </summary>
    public virtual Task<IReadOnlyList<CompositeGraphResult>> SendGraphsAsync(IEnumerable<CompositeGraph> graphs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        var list = graphs.ToList();
        if (list.Count == 0 || list.Any(g => g is null))
        {
            throw new ArgumentException("Send at least one graph, and no null graph.", nameof(graphs));
        }

        foreach (var graph in list)
        {
            ThrowIfEmpty(graph, nameof(graphs));
        }

        if (list.Sum(g => g.Subrequests.Count) > CompositeGraph.MaxNodes)
        {
            throw new ArgumentException($"A graph call carries at most {CompositeGraph.MaxNodes} nodes in all.", nameof(graphs));
        }

        if (list.Select(g => g.GraphId).Distinct(StringComparer.Ordinal).Count() != list.Count)
        {
            throw new ArgumentException("Two graphs have the same graphId.", nameof(graphs));
        }

        var body = Write(writer =>
        {
            writer.WriteStartArray("graphs");
            foreach (var graph in list)
            {
                writer.WriteStartObject();
                writer.WriteString("graphId", graph.GraphId);
                WriteCompositeRequest(writer, graph);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
        return _connection.RunWriteAsync<IReadOnlyList<CompositeGraphResult>>("CompositeClient.SendGraphs", null, async ct =>
        {
            var response = await _connection.Composite.Graph(_connection.Version, body, ct).ConfigureAwait(false);
            using var document = await ReadDocumentAsync(response, ct).ConfigureAwait(false);
            var results = new List<CompositeGraphResult>(list.Count);
            foreach (var item in document.RootElement.GetProperty("graphs").EnumerateArray())
            {
                var graphId = item.GetProperty("graphId").GetString() ?? string.Empty;
                var graph = list.FirstOrDefault(g => g.GraphId == graphId);
                var composite = ReadCompositeResponse(item.GetProperty("graphResponse"), graph);
                results.Add(new CompositeGraphResult(graphId, item.TryGetProperty("isSuccessful", out var ok) && ok.ValueKind == JsonValueKind.True, composite));
            }

            return results;
        }, cancellationToken);
    }

    /// <summary>
    /// Inserts trees of records (parents with their children, at most 200 records and 5 levels) in one call: all are saved or
    /// none. Each <see cref="TreeRecord"/> then holds its new id, or its errors when Salesforce refused the tree.
    /// </summary>
    /// <param name="sObjectType">The type of every root record.</param>
    /// <param name="roots">The root records with their children.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<TreeResult> CreateTreeAsync(string sObjectType, IEnumerable<TreeRecord> roots, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(roots);
        var rootList = roots.ToList();
        if (rootList.Count == 0 || rootList.Any(r => r is null))
        {
            throw new ArgumentException("Send at least one root record, and no null record.", nameof(roots));
        }

        if (rootList.FirstOrDefault(r => !string.Equals(r.SObjectType, sObjectType, StringComparison.OrdinalIgnoreCase)) is { } wrong)
        {
            throw new ArgumentException($"Every root must be a {sObjectType}; one is a {wrong.SObjectType}.", nameof(roots));
        }

        var all = rootList.SelectMany(r => r.SelfAndDescendants()).ToList();
        if (all.Count > MaxTreeRecords)
        {
            throw new ArgumentException($"A tree insert carries at most {MaxTreeRecords} records; these trees hold {all.Count}.", nameof(roots));
        }

        if (rootList.Max(r => r.Depth()) > MaxTreeDepth)
        {
            throw new ArgumentException($"A tree has at most {MaxTreeDepth} levels.", nameof(roots));
        }

        if (all.Distinct(ReferenceEqualityComparer.Instance).Count() != all.Count)
        {
            throw new ArgumentException("The same TreeRecord appears twice in the trees.", nameof(roots));
        }

        AssignReferenceIds(all);
        var buffer = new ArrayBufferWriter<byte>(all.Count * 128);
        RecordJson.Append(buffer, "{\"records\":"u8);
        AppendTreeRecords(buffer, rootList);
        RecordJson.Append(buffer, "}"u8);
        var body = SalesforceConnection.RawJsonBody(buffer.WrittenMemory);
        return _connection.RunWriteAsync("CompositeClient.CreateTree", null, async ct =>
        {
            var response = await _connection.Composite.Tree(_connection.Version, sObjectType, body, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                // A refused tree answers 400 with the per-record errors; any other 400 body is an ordinary error.
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (TryReadTree(text, all) is { } refused)
                {
                    response.Dispose();
                    return refused;
                }

                throw ErrorResponseMapper.Create(response.StatusCode, text, response.Content.Headers.ContentType?.MediaType, new Dictionary<string, string>());
            }

            using var document = await ReadDocumentAsync(response, ct).ConfigureAwait(false);
            return ApplyTree(document.RootElement, all);
        }, cancellationToken);
    }

    private void AppendTreeRecords(ArrayBufferWriter<byte> buffer, List<TreeRecord> records)
    {
        RecordJson.Append(buffer, "["u8);
        for (var i = 0; i < records.Count; i++)
        {
            if (i > 0)
            {
                RecordJson.Append(buffer, ","u8);
            }

            var node = records[i];
            RecordJson.Append(buffer, _connection.Serializer, node.Record, node.SObjectType, null, node.ReferenceId, node.Children.Count == 0 ? null : output =>
            {
                foreach (var (relationship, children) in node.Children)
                {
                    RecordJson.Append(output, ",\""u8);
                    RecordJson.Append(output, relationship);
                    RecordJson.Append(output, "\":{\"records\":"u8);
                    AppendTreeRecords(output, children);
                    RecordJson.Append(output, "}"u8);
                }
            });
        }

        RecordJson.Append(buffer, "]"u8);
    }

    private static void AssignReferenceIds(List<TreeRecord> all)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in all.Where(n => n.ReferenceId is not null))
        {
            if (!used.Add(node.ReferenceId!))
            {
                throw CallerArgument.Invalid($"The referenceId '{node.ReferenceId}' is used twice in the trees.", "roots");
            }
        }

        var n = 1;
        foreach (var node in all.Where(n => n.ReferenceId is null))
        {
            string candidate;
            do
            {
                candidate = "ref" + n++.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            while (!used.Add(candidate));

            node.ReferenceId = candidate;
        }
    }

    private static TreeResult? TryReadTree(string text, List<TreeRecord> all)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("results", out _)
                ? ApplyTree(document.RootElement, all)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TreeResult ApplyTree(JsonElement root, List<TreeRecord> all)
    {
        var byReference = all.ToDictionary(n => n.ReferenceId!, StringComparer.Ordinal);
        foreach (var item in root.GetProperty("results").EnumerateArray())
        {
            if (!item.TryGetProperty("referenceId", out var reference) || reference.GetString() is not { } referenceId
                || !byReference.TryGetValue(referenceId, out var node))
            {
                continue;
            }

            if (item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                node.Id = id.GetString();
                if (node.Record is SObject sObject)
                {
                    sObject.Id = node.Id;
                }
            }

            if (item.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                node.Errors = CompositeSubresponse.ReadErrors(errors, 400);
            }
        }

        var hasErrors = root.TryGetProperty("hasErrors", out var flag) && flag.ValueKind == JsonValueKind.True;
        return new TreeResult(hasErrors, all);
    }

    private void WriteCompositeRequest(Utf8JsonWriter writer, CompositeRequestBuilder request)
    {
        writer.WriteStartArray("compositeRequest");
        foreach (var subrequest in request.Subrequests)
        {
            writer.WriteStartObject();
            writer.WriteString("method", subrequest.Method);
            writer.WriteString("url", "/services/data/" + _connection.Version + "/" + subrequest.Path);
            writer.WriteString("referenceId", subrequest.ReferenceId);
            if (subrequest.Body is CollectionBody collection)
            {
                writer.WritePropertyName("body");
                WriteCollection(writer, collection);
            }
            else if (subrequest.Body is { } value)
            {
                writer.WritePropertyName("body");
                JsonSerializer.Serialize(writer, value, _connection.Serializer.WriteOptions.GetTypeInfo(value.GetType()));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary><c>{"allOrNone": ..., "records": [{"attributes": {"type": ...}, "id": ..., fields...}]}</c></summary>
    private void WriteCollection(Utf8JsonWriter writer, CollectionBody collection)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("allOrNone", collection.AllOrNone);
        writer.WriteStartArray("records");
        foreach (var record in collection.Records)
        {
            string? id = null;
            if (collection.Update)
            {
                id = RecordJson.IdOf(_connection.Serializer, record);
                if (string.IsNullOrEmpty(id))
                {
                    throw new ArgumentException("Every record of an UpdateCollection subrequest needs its Id.");
                }
            }

            RecordJson.Write(writer, _connection.Serializer, record, collection.SObjectType, id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private CompositeResult ReadCompositeResponse(JsonElement root, CompositeRequestBuilder? request)
    {
        var items = root.GetProperty("compositeResponse");
        var responses = new List<CompositeSubresponse>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            var referenceId = item.TryGetProperty("referenceId", out var r) ? r.GetString() ?? string.Empty : string.Empty;
            responses.Add(CompositeSubresponse.Parse(
                referenceId, item.GetProperty("httpStatusCode").GetInt32(),
                item.TryGetProperty("body", out var b) ? b : default,
                item.TryGetProperty("httpHeaders", out var h) ? h : default,
                _connection.Serializer.ReadOptions));
        }

        // Keep request order even if Salesforce reordered collated subrequests.
        if (request is not null)
        {
            var order = request.Subrequests.Select((s, i) => (s.ReferenceId, i)).ToDictionary(x => x.ReferenceId, x => x.i, StringComparer.Ordinal);
            responses.Sort((a, b) => Position(a).CompareTo(Position(b)));
            int Position(CompositeSubresponse s) => order.TryGetValue(s.ReferenceId, out var p) ? p : int.MaxValue;
        }

        return new CompositeResult(responses, responses.Any(x => !x.IsSuccess));
    }

    private async Task<JsonDocument> ReadDocumentAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            await _connection.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static HttpContent Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return SalesforceConnection.RawJsonBody(buffer.WrittenMemory);
    }

    private static void ThrowIfEmpty(CompositeRequestBuilder request, string paramName)
    {
        if (request.Subrequests.Count == 0)
        {
            throw new ArgumentException("The request holds no subrequest.", paramName);
        }
    }
}
