using System.Text;
using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Json;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Composite;

/// <summary>
/// The composite family (reference §3): composite with references and allOrNone, batch, sObject Tree, sObject Collections
/// and graph. Each call is one API call; subrequests run through the same routes as direct requests, as the caller, under
/// the org's lock, and all-or-nothing work is undone through the org's savepoints.
/// </summary>
internal static class CompositeEndpoints
{
    private const string Data = "/services/data/{version}";
    private const int MaxSubrequests = 25;
    private const int MaxCollectionRecords = 200;
    private const string Halted = "The transaction was rolled back since another operation in the same transaction failed.";

    private static readonly string[] CompositeResources = ["batch", "tree", "sobjects", "graph"];

    public static void Map(Router router)
    {
        router.Map("GET", Data + "/composite", context => EmulatorResponse.Json(200, writer =>
        {
            // RESTMD resources_composite_composite_get ("Get a List of Composite Resources"): tree, batch, sobjects, graph.
            writer.WriteStartObject();
            foreach (var name in CompositeResources)
            {
                writer.WriteString(name, $"{context.VersionPath}/composite/{name}");
            }

            writer.WriteEndObject();
        }));
        router.Map("POST", Data + "/composite", Composite);
        router.Map("POST", Data + "/composite/batch", Batch);
        router.Map("POST", Data + "/composite/graph", Graph);
        router.Map("POST", Data + "/composite/tree/{type}", Tree);
        router.Map("POST", Data + "/composite/sobjects", CollectionCreate);
        router.Map("PATCH", Data + "/composite/sobjects", CollectionUpdate);
        router.Map("DELETE", Data + "/composite/sobjects", CollectionDelete);
        router.Map("GET", Data + "/composite/sobjects/{type}", CollectionRetrieve);
        router.Map("POST", Data + "/composite/sobjects/{type}", CollectionRetrieveByBody);
        router.Map("PATCH", Data + "/composite/sobjects/{type}/{field}", CollectionUpsert);
    }

    // ---- composite and graph ------------------------------------------------------------------------------------

    private sealed record SubResult(string ReferenceId, int Status, byte[] Body, Dictionary<string, string> Headers);

    private static EmulatorResponse Composite(RequestContext context)
    {
        var body = context.Request.ReadJson();
        var subrequests = Subrequests(body, "compositeRequest");
        var allOrNone = body.TryGetProperty("allOrNone", out var flag) && flag.ValueKind == JsonValueKind.True;
        var results = Run(context, subrequests, allOrNone, out _);
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            WriteCompositeResponse(writer, results);
            writer.WriteEndObject();
        });
    }

    private static EmulatorResponse Graph(RequestContext context)
    {
        var body = context.Request.ReadJson();
        if (!body.TryGetProperty("graphs", out var graphs) || graphs.ValueKind != JsonValueKind.Array || graphs.GetArrayLength() is 0 or > 75)
        {
            throw new ApiException(400, "INVALID_API_INPUT", "A graph request needs 1 to 75 graphs.");
        }

        var outcomes = new List<(string GraphId, List<SubResult> Results, bool Success)>();
        foreach (var graph in graphs.EnumerateArray())
        {
            var graphId = graph.TryGetProperty("graphId", out var id) ? id.GetString() ?? string.Empty : string.Empty;
            var results = Run(context, Subrequests(graph, "compositeRequest", limit: 500), allOrNone: true, out var success);
            outcomes.Add((graphId, results, success));
        }

        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("graphs");
            foreach (var (graphId, results, success) in outcomes)
            {
                writer.WriteStartObject();
                writer.WriteString("graphId", graphId);
                writer.WriteStartObject("graphResponse");
                WriteCompositeResponse(writer, results);
                writer.WriteEndObject();
                writer.WriteBoolean("isSuccessful", success);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static JsonElement[] Subrequests(JsonElement body, string name, int limit = MaxSubrequests)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new ApiException(400, "INVALID_API_INPUT", $"The request needs a non-empty '{name}' array.");
        }

        if (list.GetArrayLength() > limit)
        {
            throw new ApiException(400, "LIMIT_EXCEEDED", $"Exceeded max limit of subrequests allowed. Limit = {limit}.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sub in list.EnumerateArray())
        {
            var method = sub.TryGetProperty("method", out var m) ? m.GetString() : null;
            var url = sub.TryGetProperty("url", out var u) ? u.GetString() : null;
            var referenceId = sub.TryGetProperty("referenceId", out var r) ? r.GetString() : null;
            if (method is not ("GET" or "POST" or "PATCH" or "PUT" or "DELETE"))
            {
                throw new ApiException(400, "INVALID_API_INPUT", $"Method '{method}' is not supported in a composite subrequest.");
            }

            if (url is null || !url.StartsWith("/services/data/v", StringComparison.Ordinal))
            {
                throw new ApiException(400, "INVALID_API_INPUT", "The URL of a composite subrequest must start with /services/data/vXX.X/.");
            }

            if (referenceId is null || referenceId.Length == 0 || !char.IsAsciiLetterOrDigit(referenceId[0]) || !referenceId.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ApiException(400, "INVALID_API_INPUT", $"Invalid referenceId '{referenceId}': it must start with a letter or a number and contain only letters, numbers and underscores.");
            }

            if (!seen.Add(referenceId))
            {
                throw new ApiException(400, "INVALID_API_INPUT", $"Duplicate referenceId '{referenceId}'.");
            }

            if (sub.TryGetProperty("httpHeaders", out var headers) && headers.ValueKind == JsonValueKind.Object
                && headers.EnumerateObject().Any(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
                    || h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || h.Name.Equals("Accept", StringComparison.OrdinalIgnoreCase)))
            {
                throw new ApiException(400, "INVALID_API_INPUT", "Accept, Authorization and Content-Type cannot be set on a composite subrequest.");
            }
        }

        return [.. list.EnumerateArray()];
    }

    /// <summary>Runs the subrequests in order, resolving references; with allOrNone, the first failure undoes them all.</summary>
    private static List<SubResult> Run(RequestContext context, JsonElement[] subrequests, bool allOrNone, out bool success)
    {
        var org = context.Org;
        var results = new List<SubResult>();
        var bodies = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        lock (org.SyncRoot)
        {
            var savepoint = allOrNone ? org.Savepoint() : -1;
            try
            {
                foreach (var sub in subrequests)
                {
                    var referenceId = sub.GetProperty("referenceId").GetString()!;
                    var result = RunOne(context, sub, referenceId, bodies, failed);
                    results.Add(result);
                    if (result.Status >= 400)
                    {
                        failed.Add(referenceId);
                        if (allOrNone)
                        {
                            break;
                        }
                    }
                    else if (result.Body.Length > 0)
                    {
                        bodies[referenceId] = JsonDocument.Parse(result.Body).RootElement.Clone();
                    }
                }
            }
            catch
            {
                if (allOrNone)
                {
                    org.RollbackTo(savepoint);
                }

                throw;
            }

            success = failed.Count == 0;
            if (!allOrNone)
            {
                return results;
            }

            if (success)
            {
                org.Commit(savepoint);
                return results;
            }

            org.RollbackTo(savepoint);
        }

        // Everything was undone: every subrequest but the one that failed reports PROCESSING_HALTED, run or not.
        var halted = Encoding.UTF8.GetBytes($$"""[{"errorCode":"PROCESSING_HALTED","message":"{{Halted}}"}]""");
        var culprit = results[^1];
        return [.. subrequests.Select(s => s.GetProperty("referenceId").GetString()!)
            .Select(id => id == culprit.ReferenceId ? culprit : new SubResult(id, 400, halted, []))];
    }

    private static SubResult RunOne(RequestContext context, JsonElement sub, string referenceId, Dictionary<string, JsonElement> bodies, HashSet<string> failed)
    {
        var method = sub.GetProperty("method").GetString()!;
        var url = sub.GetProperty("url").GetString()!;
        var hasBody = sub.TryGetProperty("body", out var body);
        var dependsOnFailure = References.Used(url).Concat(hasBody ? References.Used(body.GetRawText()) : []).FirstOrDefault(failed.Contains);
        string? problem;
        if (dependsOnFailure is not null)
        {
            problem = $"Invalid reference specified. No value for {dependsOnFailure} found in {dependsOnFailure}. Provided referenceId ({dependsOnFailure}) must start with a letter or a number, and it can contain only letters, numbers and underscores (_).";
        }
        else if (References.TryResolve(url, bodies, out var resolvedUrl, out problem))
        {
            var payload = Array.Empty<byte>();
            if (!hasBody || References.TryResolve(body, bodies, out payload, out problem))
            {
                var query = resolvedUrl.IndexOf('?', StringComparison.Ordinal);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                if (sub.TryGetProperty("httpHeaders", out var subHeaders) && subHeaders.ValueKind == JsonValueKind.Object)
                {
                    foreach (var header in subHeaders.EnumerateObject())
                    {
                        headers[header.Name] = header.Value.ToString();
                    }
                }

                var request = new EmulatorRequest(method, query < 0 ? resolvedUrl : resolvedUrl[..query], query < 0 ? string.Empty : resolvedUrl[(query + 1)..], headers, payload);
                var response = context.Host.Dispatch(request, context.UserId);
                var responseHeaders = new Dictionary<string, string>(StringComparer.Ordinal);
                if (response.Status == 201 && method == "POST" && JsonDocument.Parse(response.Body).RootElement.TryGetProperty("id", out var id))
                {
                    responseHeaders["Location"] = request.Path.TrimEnd('/') + "/" + id.GetString();
                }

                return new SubResult(referenceId, response.Status, response.Body, responseHeaders);
            }
        }

        var error = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { new { errorCode = "PROCESSING_HALTED", message = problem } }));
        return new SubResult(referenceId, 400, error, []);
    }

    private static void WriteCompositeResponse(Utf8JsonWriter writer, List<SubResult> results)
    {
        writer.WriteStartArray("compositeResponse");
        foreach (var result in results)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("body");
            if (result.Body.Length == 0)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(result.Body);
            }

            writer.WriteStartObject("httpHeaders");
            foreach (var (name, value) in result.Headers)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteNumber("httpStatusCode", result.Status);
            writer.WriteString("referenceId", result.ReferenceId);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    // ---- batch --------------------------------------------------------------------------------------------------

    private static EmulatorResponse Batch(RequestContext context)
    {
        var body = context.Request.ReadJson();
        if (!body.TryGetProperty("batchRequests", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new ApiException(400, "INVALID_BATCH_REQUEST", "A batch needs a non-empty 'batchRequests' array.");
        }

        if (list.GetArrayLength() > MaxSubrequests)
        {
            throw new ApiException(400, "INVALID_BATCH_REQUEST", $"Exceeded max limit of subrequests allowed. Limit = {MaxSubrequests}.");
        }

        var requests = list.EnumerateArray().Select(sub =>
        {
            var method = sub.TryGetProperty("method", out var m) ? m.GetString() : null;
            var url = sub.TryGetProperty("url", out var u) ? u.GetString() : null;
            if (method is not ("GET" or "POST" or "PATCH" or "PUT" or "DELETE") || url is null || !url.TrimStart('/').StartsWith('v'))
            {
                throw new ApiException(400, "INVALID_BATCH_REQUEST", "Each batch subrequest needs a method and a url such as v66.0/sobjects/Account.");
            }

            var path = "/services/data/" + url.TrimStart('/');
            var query = path.IndexOf('?', StringComparison.Ordinal);
            var payload = sub.TryGetProperty("richInput", out var input) ? Encoding.UTF8.GetBytes(input.GetRawText()) : [];
            return new EmulatorRequest(method, query < 0 ? path : path[..query], query < 0 ? string.Empty : path[(query + 1)..], new Dictionary<string, string>(), payload);
        }).ToList();

        var haltOnError = body.TryGetProperty("haltOnError", out var halt) && halt.ValueKind == JsonValueKind.True;
        var results = new List<(int Status, byte[] Body)>();
        var halted = false;
        foreach (var request in requests)
        {
            if (halted)
            {
                results.Add((412, Encoding.UTF8.GetBytes("""[{"errorCode":"BATCH_PROCESSING_HALTED","message":"Batch processing halted per request"}]""")));
                continue;
            }

            var response = context.Host.Dispatch(request, context.UserId);
            results.Add((response.Status, response.Body));
            halted = haltOnError && response.Status >= 400;
        }

        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("hasErrors", results.Any(r => r.Status >= 400));
            writer.WriteStartArray("results");
            foreach (var (status, result) in results)
            {
                writer.WriteStartObject();
                writer.WriteNumber("statusCode", status);
                writer.WritePropertyName("result");
                if (result.Length == 0)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteRawValue(result);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    // ---- sObject Tree -------------------------------------------------------------------------------------------

    private sealed record TreeNode(ObjectSchema Schema, string ReferenceId, Dictionary<string, object?> Values, TreeNode? Parent, FieldDefinition? ParentField, int Level);

    private static EmulatorResponse Tree(RequestContext context)
    {
        var rootType = context.Org.RequireObject(context["type"]);
        var body = context.Request.ReadJson();
        if (!body.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array || records.GetArrayLength() == 0)
        {
            throw new ApiException(400, "INVALID_INPUT", "The request needs a non-empty 'records' array.");
        }

        var nodes = new List<TreeNode>();
        foreach (var record in records.EnumerateArray())
        {
            Flatten(context.Org, rootType, record, null, null, 1, nodes);
        }

        if (nodes.Count > MaxCollectionRecords)
        {
            throw new ApiException(400, "LIMIT_EXCEEDED", $"Too many records in the request: {nodes.Count}. The limit is {MaxCollectionRecords}.");
        }

        if (nodes.Select(n => n.Schema).Distinct().Count() > 5)
        {
            throw new ApiException(400, "LIMIT_EXCEEDED", "A tree can hold at most 5 object types.");
        }

        var ids = new Dictionary<TreeNode, string>();
        var errors = new List<(TreeNode Node, ApiException Error)>();
        var org = context.Org;
        lock (org.SyncRoot)
        {
            var savepoint = org.Savepoint();
            // Level by level, as Salesforce fires triggers: all roots, then the records one level down, ...
            foreach (var node in nodes.OrderBy(n => n.Level))
            {
                if (node.Parent is { } parent)
                {
                    if (!ids.TryGetValue(parent, out var parentId))
                    {
                        continue;
                    }

                    node.Values[node.ParentField!.Name] = parentId;
                }

                try
                {
                    ids[node] = org.Create(node.Schema, node.Values);
                }
                catch (ApiException e)
                {
                    errors.Add((node, e));
                }
            }

            if (errors.Count > 0)
            {
                org.RollbackTo(savepoint);
            }
            else
            {
                org.Commit(savepoint);
            }
        }

        return EmulatorResponse.Json(errors.Count > 0 ? 400 : 201, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("hasErrors", errors.Count > 0);
            writer.WriteStartArray("results");
            if (errors.Count > 0)
            {
                foreach (var (node, error) in errors)
                {
                    writer.WriteStartObject();
                    writer.WriteString("referenceId", node.ReferenceId);
                    WriteRecordErrors(writer, error);
                    writer.WriteEndObject();
                }
            }
            else
            {
                foreach (var node in nodes.OrderBy(n => n.Level))
                {
                    writer.WriteStartObject();
                    writer.WriteString("referenceId", node.ReferenceId);
                    writer.WriteString("id", ids[node]);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static void Flatten(Org org, ObjectSchema schema, JsonElement record, TreeNode? parent, FieldDefinition? parentField, int level, List<TreeNode> nodes)
    {
        if (level > 5)
        {
            throw new ApiException(400, "LIMIT_EXCEEDED", "A tree can be at most 5 levels deep.");
        }

        if (!record.TryGetProperty("attributes", out var attributes) || !attributes.TryGetProperty("referenceId", out var referenceId)
            || !attributes.TryGetProperty("type", out var type) || !string.Equals(type.GetString(), schema.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(400, "INVALID_INPUT", $"Each record needs attributes with a referenceId and the type {schema.Name}.");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var children = new List<(ChildRelationship Relationship, JsonElement Records)>();
        foreach (var property in record.EnumerateObject())
        {
            if (property.NameEquals("attributes"))
            {
                continue;
            }

            if (schema.ChildRelationship(property.Name) is { } child && property.Value.ValueKind == JsonValueKind.Object
                && property.Value.TryGetProperty("records", out var childRecords))
            {
                children.Add((child, childRecords));
            }
            else
            {
                fields[property.Name] = property.Value;
            }
        }

        var values = FieldValues.FromJson(schema, JsonSerializer.SerializeToElement(fields));
        var node = new TreeNode(schema, referenceId.GetString() ?? string.Empty, values, parent, parentField, level);
        nodes.Add(node);
        foreach (var (relationship, childRecords) in children)
        {
            foreach (var child in childRecords.EnumerateArray())
            {
                Flatten(org, relationship.Child, child, node, relationship.Field, level + 1, nodes);
            }
        }
    }

    // ---- sObject Collections ------------------------------------------------------------------------------------

    private static EmulatorResponse CollectionCreate(RequestContext context) => Collection(context, CollectionKind.Create, (org, record) =>
    {
        var (schema, values) = TypedRecord(org, record);
        if (values.ContainsKey("Id"))
        {
            throw new ApiException(400, "INVALID_FIELD", "cannot specify Id in an insert call", "Id");
        }

        return (org.Create(schema, values), null);
    });

    private static EmulatorResponse CollectionUpdate(RequestContext context) => Collection(context, CollectionKind.Update, (org, record) =>
    {
        var (schema, values) = TypedRecord(org, record);
        if (!values.Remove("Id", out var id) || id is not string recordId)
        {
            throw new ApiException(400, "MISSING_ARGUMENT", "Id not specified in an update call", "Id");
        }

        org.Update(schema, recordId, values);
        return (recordId, null);
    });

    private static EmulatorResponse CollectionUpsert(RequestContext context)
    {
        var schema = context.Org.RequireObject(context["type"]);
        var field = schema.Field(context["field"]);
        if (field is null || !(field.ExternalId || field.Type == FieldType.Id))
        {
            throw new ApiException(404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {context["field"]}");
        }

        return Collection(context, CollectionKind.Upsert, (org, record) =>
        {
            var (recordSchema, values) = TypedRecord(org, record);
            if (recordSchema != schema)
            {
                throw new ApiException(400, "INVALID_FIELD", $"All records must be of type {schema.Name}.");
            }

            if (!values.TryGetValue(field.Name, out var key) || key is null)
            {
                throw new ApiException(400, "MISSING_ARGUMENT", $"{field.Name} not specified", field.Name);
            }

            var matches = org.FindBy(schema, field, key);
            switch (matches.Count)
            {
                case 0:
                    return (org.Create(schema, values), true);
                case 1:
                    values.Remove(field.Name);
                    org.Update(schema, matches[0].Id, values);
                    return (matches[0].Id, false);
                default:
                    // The per-row error Salesforce gives (field named by its label; see IngestEndpoints.ProcessRow).
                    throw new ApiException(300, "DUPLICATE_EXTERNAL_ID", $"{field.Label ?? OrgSchema.LabelOf(field.Name)}: more than one record found for external id field: [{string.Join(", ", matches.Select(m => m.Id))}]", field.Name);
            }
        });
    }

    private static EmulatorResponse CollectionDelete(RequestContext context)
    {
        var ids = (context.Request.QueryValue("ids") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0)
        {
            throw new ApiException(400, "REQUIRED_FIELD_MISSING", "At least 1 Id is required.");
        }

        var allOrNone = string.Equals(context.Request.QueryValue("allOrNone"), "true", StringComparison.OrdinalIgnoreCase);
        var elements = ids.Select(id => JsonSerializer.SerializeToElement(id)).ToArray();
        return Collection(context, CollectionKind.Delete, elements, allOrNone, (org, element) =>
        {
            var id = element.GetString()!;
            var record = org.Find(id) ?? throw new ApiException(400, RecordIds.IsValid(id) ? "INVALID_CROSS_REFERENCE_KEY" : "MALFORMED_ID", RecordIds.IsValid(id) ? "invalid cross reference id" : $"malformed id {id}");
            if (record.IsDeleted)
            {
                throw new ApiException(400, "ENTITY_IS_DELETED", "entity is deleted");
            }

            org.Delete(record.Schema, record.Id);
            return (record.Id, null);
        });
    }

    private static EmulatorResponse CollectionRetrieve(RequestContext context)
    {
        var ids = (context.Request.QueryValue("ids") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fields = (context.Request.QueryValue("fields") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Retrieve(context, ids, fields);
    }

    private static EmulatorResponse CollectionRetrieveByBody(RequestContext context)
    {
        var body = context.Request.ReadJson();
        string[] Strings(string name) => body.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => e.GetString() ?? string.Empty)]
            : [];
        return Retrieve(context, Strings("ids"), Strings("fields"), maxIds: 2000);
    }

    private static EmulatorResponse Retrieve(RequestContext context, string[] ids, string[] fields, int maxIds = 800)
    {
        var schema = context.Org.RequireObject(context["type"]);
        if (ids.Length == 0 || fields.Length == 0)
        {
            throw new ApiException(400, "REQUIRED_FIELD_MISSING", ids.Length == 0 ? "At least 1 Id is required." : "At least 1 field is required.");
        }

        if (ids.Length > maxIds)
        {
            throw new ApiException(400, "EXCEEDED_ID_LIMIT", $"Too many ids: at most {maxIds}.");
        }

        var names = fields.Select(f => schema.Field(f)?.Name ?? throw ApiException.InvalidField($"No such column '{f}' on entity '{schema.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.")).ToList();
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartArray();
            foreach (var id in ids)
            {
                var record = context.Org.Find(id);
                if (record is null || record.IsDeleted || record.Schema != schema)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    RecordJson.Write(writer, context.VersionPath, record, names);
                }
            }

            writer.WriteEndArray();
        });
    }

    private static EmulatorResponse Collection(RequestContext context, CollectionKind kind, Func<Org, JsonElement, (string Id, bool? Created)> write)
    {
        var body = context.Request.ReadJson();
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
        {
            throw new ApiException(400, "INVALID_FIELD", "Json Deserialization failed: the request needs a 'records' array.");
        }

        var allOrNone = body.TryGetProperty("allOrNone", out var flag) && flag.ValueKind == JsonValueKind.True;
        return Collection(context, kind, [.. records.EnumerateArray()], allOrNone, write);
    }

    /// <summary>One write per record, each reported in order; with allOrNone, one failure undoes the rest.</summary>
    private static EmulatorResponse Collection(RequestContext context, CollectionKind kind, JsonElement[] records, bool allOrNone, Func<Org, JsonElement, (string Id, bool? Created)> write)
    {
        if (records.Length == 0)
        {
            throw new ApiException(400, "REQUIRED_FIELD_MISSING", "At least 1 record is required.");
        }

        if (records.Length > MaxCollectionRecords)
        {
            throw new ApiException(400, "EXCEEDED_ID_LIMIT", $"Maximum number of records per request is {MaxCollectionRecords}.");
        }

        var chunks = 0;
        string? previousType = null;
        foreach (var record in records)
        {
            var type = record.ValueKind == JsonValueKind.Object && record.TryGetProperty("attributes", out var a) && a.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (!string.Equals(type, previousType, StringComparison.OrdinalIgnoreCase))
            {
                chunks++;
                previousType = type;
            }
        }

        if (chunks > 10)
        {
            throw new ApiException(400, "INVALID_BATCH_REQUEST", "A request may hold at most 10 chunks of records of one type.");
        }

        var org = context.Org;
        var outcomes = new List<(string? Id, bool? Created, ApiException? Error)>();
        lock (org.SyncRoot)
        {
            var savepoint = allOrNone ? org.Savepoint() : -1;
            foreach (var record in records)
            {
                try
                {
                    var (id, created) = write(org, record);
                    outcomes.Add((id, created, null));
                }
                catch (ApiException e)
                {
                    outcomes.Add((record.ValueKind == JsonValueKind.Object && record.TryGetProperty("Id", out var id) ? id.GetString() : null, null, e));
                }
            }

            if (allOrNone)
            {
                if (outcomes.Any(o => o.Error is not null))
                {
                    org.RollbackTo(savepoint);
                }
                else
                {
                    org.Commit(savepoint);
                }
            }
        }

        var rolledBack = allOrNone && outcomes.Any(o => o.Error is not null);
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartArray();
            foreach (var (outcomeId, created, error) in outcomes)
            {
                writer.WriteStartObject();

                // A created (or upserted) record that failed or was rolled back no longer exists, so it has no id: the
                // create example of RESTMD resources_composite_sobjects_collections_create omits "id" on such rows.
                // Update and delete rows keep the id the caller sent (RESTMD ..._collections_update example).
                var id = error is null && !rolledBack || kind is CollectionKind.Update or CollectionKind.Delete ? outcomeId : null;
                if (kind == CollectionKind.Upsert)
                {
                    // UpsertResult always carries id (null when the row failed) and created (SOAP API UpsertResult;
                    // RESTMD resources_composite_sobjects_collections_upsert: "returns a list of UpsertResult objects").
                    // Whether Salesforce writes "id": null or leaves it out on a failed upsert row is not shown in
                    // its examples; both read as null.
                    writer.WritePropertyName("id");
                    if (id is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        writer.WriteStringValue(id);
                    }
                }
                else if (id is not null)
                {
                    writer.WriteString("id", id);
                }

                writer.WriteBoolean("success", error is null && !rolledBack);
                if (error is not null)
                {
                    WriteRecordErrors(writer, error);
                }
                else if (rolledBack)
                {
                    WriteRecordErrors(writer, new ApiException(400, "ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header"));
                }
                else
                {
                    writer.WriteStartArray("errors");
                    writer.WriteEndArray();
                }

                if (kind == CollectionKind.Upsert)
                {
                    writer.WriteBoolean("created", error is null && !rolledBack && created == true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    private static (ObjectSchema Schema, Dictionary<string, object?> Values) TypedRecord(Org org, JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object || !record.TryGetProperty("attributes", out var attributes)
            || !attributes.TryGetProperty("type", out var type) || type.GetString() is not { } name)
        {
            throw new ApiException(400, "INVALID_FIELD", "Each record needs attributes.type.");
        }

        var schema = org.Schema.Find(name) ?? throw new ApiException(400, "INVALID_TYPE", $"sObject type '{name}' is not supported.");
        return (schema, FieldValues.FromJson(schema, record));
    }

    /// <summary>Per-record errors use <c>statusCode</c>, not <c>errorCode</c> (reference §2.2).</summary>
    private static void WriteRecordErrors(Utf8JsonWriter writer, ApiException error)
    {
        writer.WriteStartArray("errors");
        foreach (var e in error.Errors)
        {
            writer.WriteStartObject();
            writer.WriteString("statusCode", e.ErrorCode);
            writer.WriteString("message", e.Message);
            writer.WriteStartArray("fields");
            foreach (var field in e.Fields ?? [])
            {
                writer.WriteStringValue(field);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

/// <summary>The sObject Collections operation, which decides the shape of its results.</summary>
internal enum CollectionKind
{
    /// <summary>POST: SaveResults.</summary>
    Create,

    /// <summary>PATCH: SaveResults.</summary>
    Update,

    /// <summary>PATCH by external id: UpsertResults, with <c>created</c>.</summary>
    Upsert,

    /// <summary>DELETE: DeleteResults.</summary>
    Delete,
}
