using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Bulk;

/// <summary>
/// Bulk API 2.0 ingest (reference §4.1): create a job, PUT the CSV, PATCH UploadComplete, poll, read the result CSVs.
/// The org processes the rows when the upload completes; the PATCH still answers UploadComplete and the next poll sees
/// JobComplete, as a client polling a real org would.
/// </summary>
internal static class IngestEndpoints
{
    private const string Jobs = "/services/data/{version}/jobs/ingest";
    private const string CsvContentType = "text/csv";

    public static void Map(Router router)
    {
        router.Map("POST", Jobs, Create);
        router.Map("GET", Jobs, List);
        router.Map("GET", Jobs + "/{id}", Info);
        router.Map("PATCH", Jobs + "/{id}", ChangeState);
        router.Map("DELETE", Jobs + "/{id}", Delete);
        router.Map("PUT", Jobs + "/{id}/batches", Upload);
        router.Map("GET", Jobs + "/{id}/successfulResults", SuccessfulResults);
        router.Map("GET", Jobs + "/{id}/failedResults", FailedResults);
        router.Map("GET", Jobs + "/{id}/unprocessedrecords", UnprocessedRecords);
    }

    private static EmulatorResponse Create(RequestContext context)
    {
        if (context.ApiVersion < 41.0m)
        {
            throw ApiException.NotFound();
        }

        var body = context.Request.ReadJson();
        string? Text(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) ? value.GetString() : null;
        var objectName = Text("object") ?? throw new ApiException(400, "INVALIDJOB", "InvalidJob : Object is required");
        var schema = context.Org.Schema.Find(objectName) ?? throw new ApiException(400, "INVALIDENTITY", $"InvalidEntity : Entity '{objectName}' is not supported by the Bulk API.");
        var operation = Text("operation");
        if (operation is not ("insert" or "update" or "upsert" or "delete" or "hardDelete"))
        {
            throw new ApiException(400, "INVALIDJOB", $"InvalidJob : Invalid operation: {operation}");
        }

        var externalId = Text("externalIdFieldName");
        if (operation == "upsert" && (externalId is null || schema.Field(externalId) is not { } field || !(field.ExternalId || field.Type == FieldType.Id)))
        {
            throw new ApiException(400, "INVALIDJOB", $"InvalidJob : External ID was blank or is not an external id field of {schema.Name}: {externalId}");
        }

        if ((Text("contentType") ?? "CSV") != "CSV")
        {
            throw new ApiException(400, "INVALIDJOB", "InvalidJob : contentType must be CSV");
        }

        var delimiter = Text("columnDelimiter") ?? "COMMA";
        var lineEnding = Text("lineEnding") ?? "LF";
        try
        {
            Csv.Delimiter(delimiter);
        }
        catch (FormatException e)
        {
            throw new ApiException(400, "INVALIDJOB", e.Message);
        }

        if (lineEnding is not ("LF" or "CRLF"))
        {
            throw new ApiException(400, "INVALIDJOB", $"InvalidJob : Invalid line ending: {lineEnding}");
        }

        var now = context.Org.Now;
        var job = new IngestJob
        {
            Id = context.Emulator.Bulk.NextId(),
            Object = schema.Name,
            Operation = operation,
            ExternalIdFieldName = operation == "upsert" ? schema.Field(externalId!)!.Name : null,
            ColumnDelimiter = delimiter.ToUpperInvariant(),
            LineEnding = lineEnding,
            ApiVersion = context.ApiVersion,
            CreatedById = context.UserId ?? context.Org.AdminUserId,
            CreatedDate = now,
            SystemModstamp = now,
        };
        context.Emulator.Bulk.Ingest[job.Id] = job;
        return EmulatorResponse.Json(200, writer => WriteInfo(writer, job));
    }

    private static EmulatorResponse List(RequestContext context) => EmulatorResponse.Json(200, writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("done", true);
        writer.WriteNull("nextRecordsUrl");
        writer.WriteStartArray("records");
        foreach (var job in context.Emulator.Bulk.Ingest.Values.OrderBy(j => j.CreatedDate).ThenBy(j => j.Id, StringComparer.Ordinal))
        {
            WriteInfo(writer, job);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static EmulatorResponse Info(RequestContext context)
    {
        var job = Job(context);
        return EmulatorResponse.Json(200, writer => WriteInfo(writer, job));
    }

    private static EmulatorResponse Upload(RequestContext context)
    {
        var job = Job(context);
        lock (job)
        {
            if (job.State != "Open")
            {
                throw new ApiException(409, "INVALIDJOBSTATE", $"Job {job.Id} is not open for uploads: it is {job.State}.");
            }

            var contentType = context.Request.Header("Content-Type") ?? string.Empty;
            if (!contentType.StartsWith(CsvContentType, StringComparison.OrdinalIgnoreCase))
            {
                throw new ApiException(415, "UNSUPPORTEDCONTENTTYPE", $"Unsupported content type: {contentType}. Upload text/csv.");
            }

            job.Data.Append(Encoding.UTF8.GetString(context.Request.Body));
            job.SystemModstamp = context.Org.Now;
        }

        return EmulatorResponse.Empty(201);
    }

    private static EmulatorResponse ChangeState(RequestContext context)
    {
        var job = Job(context);
        var body = context.Request.ReadJson();
        var state = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("state", out var value) ? value.GetString() : null;
        lock (job)
        {
            switch (state)
            {
                case "UploadComplete" when job.State == "Open":
                    job.State = "UploadComplete";
                    job.SystemModstamp = context.Org.Now;
                    var answer = EmulatorResponse.Json(200, writer => WriteInfo(writer, job));
                    Process(context, job);
                    return answer;
                case "Aborted" when !job.IsTerminal:
                    job.State = "Aborted";
                    job.SystemModstamp = context.Org.Now;
                    return EmulatorResponse.Json(200, writer => WriteInfo(writer, job));
                case "UploadComplete" or "Aborted":
                    throw new ApiException(409, "INVALIDJOBSTATE", $"Job {job.Id} cannot move from {job.State} to {state}.");
                default:
                    throw new ApiException(400, "INVALIDJOBSTATE", "A job's state can only be set to UploadComplete or Aborted.");
            }
        }
    }

    private static EmulatorResponse Delete(RequestContext context)
    {
        var job = Job(context);
        if (job.State == "Open")
        {
            throw new ApiException(409, "INVALIDJOBSTATE", $"Job {job.Id} is open: close or abort it before deleting it.");
        }

        context.Emulator.Bulk.Ingest.TryRemove(job.Id, out _);
        return EmulatorResponse.Empty();
    }

    private static EmulatorResponse SuccessfulResults(RequestContext context) => Results(context, job =>
    {
        var text = new StringBuilder();
        var delimiter = Csv.Delimiter(job.ColumnDelimiter);
        var lineEnding = job.LineEnding == "CRLF" ? "\r\n" : "\n";
        Header(text, job, "sf__Created", delimiter, lineEnding);
        foreach (var (id, created, row) in job.Successful)
        {
            Quoted(text, [id, created ? "true" : "false", .. row], delimiter, lineEnding);
        }

        return text;
    });

    private static EmulatorResponse FailedResults(RequestContext context) => Results(context, job =>
    {
        var text = new StringBuilder();
        var delimiter = Csv.Delimiter(job.ColumnDelimiter);
        var lineEnding = job.LineEnding == "CRLF" ? "\r\n" : "\n";
        Header(text, job, "sf__Error", delimiter, lineEnding);
        foreach (var (id, error, row) in job.Failed)
        {
            Quoted(text, [id ?? string.Empty, error, .. row], delimiter, lineEnding);
        }

        return text;
    });

    private static EmulatorResponse UnprocessedRecords(RequestContext context) => Results(context, job =>
    {
        var text = new StringBuilder();
        var delimiter = Csv.Delimiter(job.ColumnDelimiter);
        var lineEnding = job.LineEnding == "CRLF" ? "\r\n" : "\n";
        if (job.Header.Length > 0)
        {
            Csv.WriteRow(text, job.Header, delimiter, lineEnding);
        }

        foreach (var row in job.Unprocessed)
        {
            Quoted(text, row, delimiter, lineEnding);
        }

        return text;
    }, allowUnfinished: true);

    private static EmulatorResponse Results(RequestContext context, Func<IngestJob, StringBuilder> write, bool allowUnfinished = false)
    {
        var job = Job(context);
        lock (job)
        {
            if (!allowUnfinished && job.State is not ("JobComplete" or "Failed" or "Aborted"))
            {
                throw new ApiException(409, "INVALIDJOBSTATE", $"Job {job.Id} has no results yet: it is {job.State}.");
            }

            if (allowUnfinished && job.Header.Length == 0 && job.Data.Length > 0)
            {
                PrepareUnprocessed(job);
            }

            return EmulatorResponse.Text(200, write(job).ToString(), CsvContentType);
        }
    }

    private static void Header(StringBuilder text, IngestJob job, string status, char delimiter, string lineEnding)
    {
        text.Append("\"sf__Id\"").Append(delimiter).Append('"').Append(status).Append('"');
        foreach (var column in job.Header)
        {
            text.Append(delimiter);
            Csv.WriteRow(text, [column], delimiter, string.Empty);
        }

        text.Append(lineEnding);
    }

    /// <summary>Result rows quote every value, as Salesforce's result files do.</summary>
    private static void Quoted(StringBuilder text, IEnumerable<string> values, char delimiter, string lineEnding)
    {
        var first = true;
        foreach (var value in values)
        {
            text.Append(first ? string.Empty : delimiter.ToString()).Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            first = false;
        }

        text.Append(lineEnding);
    }

    private static IngestJob Job(RequestContext context) =>
        context.Emulator.Bulk.Ingest.TryGetValue(context["id"], out var job)
            ? job
            : throw new ApiException(404, "NOT_FOUND", "The requested resource does not exist");

    /// <summary>An aborted job's unprocessed rows are every uploaded row.</summary>
    private static void PrepareUnprocessed(IngestJob job)
    {
        try
        {
            var rows = Csv.Read(job.Data.ToString(), Csv.Delimiter(job.ColumnDelimiter));
            job.Header = rows.Count > 0 ? rows[0] : [];
            job.Unprocessed.AddRange(rows.Skip(1));
        }
        catch (FormatException)
        {
            // Malformed data has no rows to give back.
        }
    }

    /// <summary>Runs every row through the org's rules, as the operation says, and records its result.</summary>
    private static void Process(RequestContext context, IngestJob job)
    {
        var started = Stopwatch.GetTimestamp();
        job.State = "InProgress";
        var org = context.Org;
        var schema = org.Schema.Find(job.Object)!;
        List<string[]> rows;
        try
        {
            rows = Csv.Read(job.Data.ToString(), Csv.Delimiter(job.ColumnDelimiter));
        }
        catch (FormatException e)
        {
            Fail(job, e.Message, org);
            return;
        }

        // A header with no rows completes with nothing processed (tested for every operation). An upload with no
        // header at all (or no upload) is refused here; Salesforce's exact answer to that case is not documented and
        // was not recorded, so the state and wording are the emulator's.
        if (rows.Count == 0)
        {
            Fail(job, "InvalidBatch : Records not processed: the upload held no header row", org);
            return;
        }

        job.Header = rows[0];
        var columns = new List<Column>();
        foreach (var name in job.Header)
        {
            if (Column.TryCreate(schema, org.Schema, name, out var column))
            {
                columns.Add(column);
            }
            else
            {
                Fail(job, $"InvalidBatch : Field name not found : {name}", org);
                return;
            }
        }

        foreach (var row in rows.Skip(1))
        {
            if (row.Length == 1 && row[0].Length == 0)
            {
                continue;
            }

            try
            {
                if (row.Length != columns.Count)
                {
                    throw new ApiException(400, "INVALID_FIELD", $"Row has {row.Length} values but the header has {columns.Count} columns");
                }

                var (id, created) = ProcessRow(org, schema, job, columns, row);
                job.Successful.Add((id, created, row));
            }
            catch (ApiException e)
            {
                job.Failed.Add((RowId(columns, row), ErrorCell(e.Errors[0]), row));
            }
        }

        job.State = "JobComplete";
        job.ProcessingMilliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        job.SystemModstamp = org.Now;
    }

    /// <summary>
    /// The <c>sf__Error</c> cell as Salesforce writes it: <c>CODE:message:fields --</c>, for example
    /// <c>REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --</c> (jsforce's end-to-end test against a
    /// real org, <c>test/bulk2.test.ts</c>), and <c>CODE:message:--</c> when the error names no field
    /// (<c>ENTITY_IS_DELETED:entity is deleted:--</c>, seen in several clients' recorded results). How Salesforce
    /// separates several fields is not documented; a comma is the emulator's guess.
    /// </summary>
    internal static string ErrorCell(ApiError error) =>
        $"{error.ErrorCode}:{error.Message}:{(error.Fields is { Count: > 0 } f ? string.Join(",", f) + " " : string.Empty)}--";

    private static (string Id, bool Created) ProcessRow(Org org, ObjectSchema schema, IngestJob job, List<Column> columns, string[] row)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        string? id = null;
        for (var i = 0; i < columns.Count; i++)
        {
            var raw = row[i];
            var column = columns[i];
            if (raw.Length == 0)
            {
                continue; // An empty value is ignored.
            }

            if (column.Field.Type == FieldType.Id)
            {
                id = raw;
                continue;
            }

            values[column.Field.Name] = raw == "#N/A" ? null : column.Read(org, raw);
        }

        switch (job.Operation)
        {
            case "insert":
                return (org.Create(schema, values), true);
            case "update":
                org.Update(schema, id ?? throw new ApiException(400, "MISSING_ARGUMENT", "Id not specified in an update call", "Id"), values);
                return (org.Find(id)!.Id, false);
            case "upsert":
                var key = schema.Field(job.ExternalIdFieldName!)!;
                if (key.Type == FieldType.Id)
                {
                    if (id is null)
                    {
                        return (org.Create(schema, values), true);
                    }

                    org.Update(schema, id, values);
                    return (org.Find(id)!.Id, false);
                }

                if (!values.TryGetValue(key.Name, out var keyValue) || keyValue is null)
                {
                    throw new ApiException(400, "MISSING_ARGUMENT", $"{key.Name} not specified", key.Name);
                }

                lock (org.SyncRoot)
                {
                    var matches = org.FindBy(schema, key, keyValue);
                    switch (matches.Count)
                    {
                        case 0:
                            return (org.Create(schema, values), true);
                        case 1:
                            values.Remove(key.Name);
                            org.Update(schema, matches[0].Id, values);
                            return (matches[0].Id, false);
                        default:
                            // Salesforce names the field by its label: "DUPLICATE_EXTERNAL_ID:CIS Account Number: more than one
                            // record found for external id field: [...]" (recorded in clients' error handling; the
                            // DUPLICATE_EXTERNAL_ID code is in the SOAP API's StatusCode list).
                            throw new ApiException(400, "DUPLICATE_EXTERNAL_ID", $"{key.Label ?? OrgSchema.LabelOf(key.Name)}: more than one record found for external id field: [{string.Join(", ", matches.Select(m => m.Id))}]", key.Name);
                    }
                }

            default:
                var target = org.Find(id ?? throw new ApiException(400, "MISSING_ARGUMENT", "Id not specified in a delete call", "Id"));
                if (target is null || target.Schema != schema)
                {
                    throw new ApiException(400, RecordIds.IsValid(id) ? "INVALID_CROSS_REFERENCE_KEY" : "MALFORMED_ID", RecordIds.IsValid(id) ? "invalid cross reference id" : $"malformed id {id}");
                }

                org.Delete(schema, target.Id);
                return (target.Id, false);
        }
    }

    private static string? RowId(List<Column> columns, string[] row)
    {
        var index = columns.FindIndex(c => c.Field.Type == FieldType.Id);
        return index >= 0 && index < row.Length && RecordIds.IsValid(row[index]) ? RecordIds.Normalize(row[index]) : null;
    }

    private static void Fail(IngestJob job, string message, Org org)
    {
        job.State = "Failed";
        job.ErrorMessage = message;
        job.SystemModstamp = org.Now;
        PrepareUnprocessed(job);
    }

    private static void WriteInfo(Utf8JsonWriter writer, IngestJob job)
    {
        lock (job)
        {
            writer.WriteStartObject();
            writer.WriteString("id", job.Id);
            writer.WriteString("operation", job.Operation);
            writer.WriteString("object", job.Object);
            writer.WriteString("createdById", job.CreatedById);
            writer.WriteString("createdDate", FieldValues.FormatDateTime(job.CreatedDate));
            writer.WriteString("systemModstamp", FieldValues.FormatDateTime(job.SystemModstamp));
            writer.WriteString("state", job.State);
            if (job.ExternalIdFieldName is { } externalId)
            {
                writer.WriteString("externalIdFieldName", externalId);
            }

            writer.WriteString("concurrencyMode", "Parallel");
            writer.WriteString("contentType", "CSV");
            writer.WritePropertyName("apiVersion");
            writer.WriteRawValue(job.ApiVersion.ToString("0.0", CultureInfo.InvariantCulture));
            writer.WriteString("jobType", "V2Ingest");
            writer.WriteString("contentUrl", $"services/data/v{job.ApiVersion.ToString("0.0", CultureInfo.InvariantCulture)}/jobs/ingest/{job.Id}/batches");
            writer.WriteString("lineEnding", job.LineEnding);
            writer.WriteString("columnDelimiter", job.ColumnDelimiter);
            writer.WriteNumber("numberRecordsProcessed", job.Processed);
            writer.WriteNumber("numberRecordsFailed", job.Failed.Count);
            writer.WriteNumber("retries", 0);
            writer.WriteNumber("totalProcessingTime", job.ProcessingMilliseconds);
            writer.WriteNumber("apiActiveProcessingTime", job.ProcessingMilliseconds);
            writer.WriteNumber("apexProcessingTime", 0);
            if (job.ErrorMessage is { } error)
            {
                writer.WriteString("errorMessage", error);
            }

            writer.WriteEndObject();
        }
    }

    /// <summary>A CSV column: a field, or a parent's external id (<c>Account.Ext_Id__c</c>) that names the lookup's target.</summary>
    private sealed class Column
    {
        private Column(FieldDefinition field, ObjectSchema? parent, FieldDefinition? parentKey)
        {
            Field = field;
            Parent = parent;
            ParentKey = parentKey;
        }

        public FieldDefinition Field { get; }

        public ObjectSchema? Parent { get; }

        public FieldDefinition? ParentKey { get; }

        public static bool TryCreate(ObjectSchema schema, OrgSchema org, string name, out Column column)
        {
            column = null!;
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                if (schema.Field(name) is not { } field)
                {
                    return false;
                }

                column = new Column(field, null, null);
                return true;
            }

            if (schema.ParentRelationship(name[..dot]) is not { } lookup || org.Find(lookup.ReferenceTo[0]) is not { } parent
                || parent.Field(name[(dot + 1)..]) is not { } key || !(key.ExternalId || key.Type == FieldType.Id))
            {
                return false;
            }

            column = new Column(lookup, parent, key);
            return true;
        }

        public object? Read(Org org, string raw)
        {
            if (Parent is null)
            {
                return FieldValues.FromJson(Field, JsonSerializer.SerializeToElement(raw));
            }

            var matches = ParentKey!.Type == FieldType.Id
                ? org.Find(raw) is { IsDeleted: false } found && found.Schema == Parent ? [found] : []
                : org.FindBy(Parent, ParentKey, FieldValues.FromJson(ParentKey, JsonSerializer.SerializeToElement(raw)) ?? raw);
            return matches.Count == 1
                ? matches[0].Id
                : throw new ApiException(400, "INVALID_FIELD", $"Foreign key external ID: {raw} not found for field {ParentKey.Name} in entity {Parent.Name}", Field.Name);
        }
    }
}
