using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Soql;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Query;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Bulk;

/// <summary>
/// Bulk API 2.0 query jobs (reference §4.2): the query runs when the job is created (a snapshot, like a locator's); results
/// come as CSV pages with <c>Sforce-NumberOfRecords</c> and <c>Sforce-Locator</c> (the literal <c>null</c> on the last
/// page), columns in SELECT order, empty cells for nulls.
/// </summary>
internal sealed class QueryJobEndpoints(BulkJobs bulk)
{
    private const string Jobs = "/services/data/{version}/jobs/query";

    /// <summary>
    /// Characters of CSV per results page when the client sets no <c>maxRecords</c>. Salesforce's documentation
    /// (BULK <c>query_get_job_results.htm</c>, <c>maxRecords</c>: "If you don't provide a value for this parameter, the
    /// server uses a default value based on the service") publishes no row count; clients observe pages that hold as
    /// many rows as fit in the page's size budget, so the emulator puts every remaining row on the page until the CSV
    /// reaches this size (the budget is ours, not a documented Salesforce number) and never caps a page by rows.
    /// </summary>
    private const int DefaultPageCharacters = 64 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, QueryJob> _jobs = new(StringComparer.Ordinal);

    public void Map(Router router)
    {
        router.Map("POST", Jobs, Create);
        router.Map("GET", Jobs, List);
        router.Map("GET", Jobs + "/{id}", Info);
        router.Map("PATCH", Jobs + "/{id}", Abort);
        router.Map("DELETE", Jobs + "/{id}", Delete);
        router.Map("GET", Jobs + "/{id}/results", Results);
    }

    private sealed class QueryJob
    {
        public required string Id { get; init; }

        public required string Operation { get; init; }

        public required string Object { get; init; }

        public required decimal ApiVersion { get; init; }

        public required string CreatedById { get; init; }

        public required DateTimeOffset CreatedDate { get; init; }

        public required string ColumnDelimiter { get; init; }

        public required string LineEnding { get; init; }

        public required string[] Columns { get; init; }

        public required QueryResultSet Result { get; init; }

        /// <summary>The object's generated records (<see cref="Org.AddGenerated"/>), after <see cref="Result"/>'s rows; null for none.</summary>
        public GeneratedRecords? Generated { get; init; }

        public int RowCount => Result.Rows.Length + (Generated?.Count ?? 0);

        /// <summary>UploadComplete when created; the first poll finds it done, as a quick job on a real org would be.</summary>
        public string State { get; set; } = "UploadComplete";
    }

    private EmulatorResponse Create(RequestContext context)
    {
        if (context.ApiVersion < 47.0m)
        {
            throw ApiException.NotFound();
        }

        var body = context.Request.ReadJson();
        string? Text(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) ? value.GetString() : null;
        var operation = Text("operation") ?? "query";
        if (operation is not ("query" or "queryAll"))
        {
            throw new ApiException(400, "INVALIDJOB", $"InvalidJob : Invalid operation: {operation}");
        }

        var soql = Text("query") ?? throw new ApiException(400, "INVALIDJOB", "InvalidJob : query is required");
        var delimiter = (Text("columnDelimiter") ?? "COMMA").ToUpperInvariant();
        var lineEnding = Text("lineEnding") ?? "LF";
        try
        {
            Csv.Delimiter(delimiter);
        }
        catch (FormatException e)
        {
            throw new ApiException(400, "INVALIDJOB", e.Message);
        }

        var query = QueryCompiler.Parse(soql);
        RefuseWhatBulkCannotRun(query);
        if (context.Org.Schema.Find(query.From.ObjectType) is { } target
            && query.Select.Any(s => s is SoqlSelectExpression { Expression: SoqlField f } && target.Field(f.Path)?.IsCompound == true))
        {
            // BULK query considerations: compound address and location fields are not supported in Bulk queries.
            throw new ApiException(400, "INVALIDJOB", "InvalidJob : compound address and location fields are not supported by Bulk API 2.0 query jobs");
        }

        var result = QueryCompiler.Run(context.Org, query, soql, includeDeleted: operation == "queryAll", context.UserId, extraFilter: null);
        var schema = context.Org.Schema.Find(query.From.ObjectType)!;
        var job = new QueryJob
        {
            Id = bulk.NextId(),
            Operation = operation,
            Object = schema.Name,
            ApiVersion = context.ApiVersion,
            CreatedById = context.UserId ?? context.Org.AdminUserId,
            CreatedDate = context.Org.Now,
            ColumnDelimiter = delimiter,
            LineEnding = lineEnding,
            Columns = Columns(query, schema),
            Result = result,
            Generated = operation == "query" && query is { Where: null, OrderBy.Count: 0, Limit: null, Offset: null, UsingScope: null }
                ? context.Org.Generated(schema)
                : null,
        };
        _jobs[job.Id] = job;
        return EmulatorResponse.Json(200, writer => WriteInfo(writer, job, context.Org.Now));
    }

    /// <summary>What Bulk 2.0 queries do not support (reference §4.2), refused when the job is created.</summary>
    internal static void RefuseWhatBulkCannotRun(SoqlQuery query, string api = "Bulk API 2.0 query jobs")
    {
        var problem = query switch
        {
            { GroupBy: not null } => "GROUP BY",
            { Offset: not null } => "OFFSET",
            _ when query.Select.Any(s => s is SoqlSelectTypeOf) => "TYPEOF",
            _ when query.Select.Any(s => s is SoqlSelectSubquery) => "parent-to-child subqueries",
            _ when query.Select.Any(s => s is SoqlSelectFields { Scope: not SoqlFieldsScope.Standard }) => "FIELDS(ALL) and FIELDS(CUSTOM)",
            _ when query.Select.Any(s => s is SoqlSelectExpression { Expression: SoqlFunctionCall call } && SoqlFunctionIsAggregate(call)) => "aggregate functions",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ApiException(400, "INVALIDJOB", $"InvalidJob : {problem} is not supported by {api}");
        }
    }

    private static bool SoqlFunctionIsAggregate(SoqlFunctionCall call) =>
        call.Name is "COUNT" or "COUNT_DISTINCT" or "SUM" or "AVG" or "MIN" or "MAX";

    /// <summary>Column names in SELECT order, as the query wrote them; FIELDS(STANDARD) expands to the object's standard fields.</summary>
    internal static string[] Columns(SoqlQuery query, ObjectSchema schema)
    {
        var columns = new List<string>();
        foreach (var item in query.Select)
        {
            switch (item)
            {
                case SoqlSelectFields:
                    columns.AddRange(schema.Fields.Where(f => !f.Custom && !f.IsCompound).Select(f => f.Name));
                    break;
                case SoqlSelectExpression { Expression: SoqlField field }:
                    columns.Add(field.Path);
                    break;
                case SoqlSelectExpression { Expression: SoqlFunctionCall { Arguments: [SoqlField argument, ..] } }:
                    columns.Add(argument.Path);
                    break;
            }
        }

        return [.. columns];
    }

    private EmulatorResponse List(RequestContext context) => EmulatorResponse.Json(200, writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("done", true);
        writer.WriteNull("nextRecordsUrl");
        writer.WriteStartArray("records");
        foreach (var job in _jobs.Values.OrderBy(j => j.CreatedDate).ThenBy(j => j.Id, StringComparer.Ordinal))
        {
            WriteInfo(writer, job, context.Org.Now);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private EmulatorResponse Info(RequestContext context)
    {
        var job = Job(context);
        lock (job)
        {
            if (job.State == "UploadComplete")
            {
                job.State = "JobComplete";
            }
        }

        return EmulatorResponse.Json(200, writer => WriteInfo(writer, job, context.Org.Now));
    }

    private EmulatorResponse Abort(RequestContext context)
    {
        var job = Job(context);
        var body = context.Request.ReadJson();
        var state = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("state", out var value) ? value.GetString() : null;
        lock (job)
        {
            if (state != "Aborted")
            {
                throw new ApiException(400, "INVALIDJOBSTATE", "A query job's state can only be set to Aborted.");
            }

            if (job.State is "JobComplete" or "Failed" or "Aborted")
            {
                throw new ApiException(409, "INVALIDJOBSTATE", $"Job {job.Id} is already {job.State}.");
            }

            job.State = "Aborted";
        }

        return EmulatorResponse.Json(200, writer => WriteInfo(writer, job, context.Org.Now));
    }

    private EmulatorResponse Delete(RequestContext context)
    {
        var job = Job(context);
        _jobs.TryRemove(job.Id, out _);
        return EmulatorResponse.Empty();
    }

    private EmulatorResponse Results(RequestContext context)
    {
        var job = Job(context);
        if (context.ApiVersion != job.ApiVersion)
        {
            throw new ApiException(409, "INVALIDJOBSTATE", $"The job was created with API version {job.ApiVersion:0.0}; read its results with the same version.");
        }

        lock (job)
        {
            job.State = job.State == "UploadComplete" ? "JobComplete" : job.State;
            if (job.State != "JobComplete")
            {
                throw new ApiException(412, "JOB_NOT_COMPLETE", $"can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: {job.State.ToUpperInvariant()}");
            }
        }

        var offset = 0;
        if (context.Request.QueryValue("locator") is { Length: > 0 } locator && !TryDecodeLocator(locator, out offset))
        {
            throw new ApiException(400, "INVALIDLOCATOR", $"Invalid locator: {locator}");
        }

        var maxRecords = int.MaxValue;
        if (context.Request.QueryValue("maxRecords") is { Length: > 0 } max
            && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out maxRecords) || maxRecords < 1))
        {
            throw new ApiException(400, "INVALID_FIELD", "maxRecords must be a positive whole number");
        }

        var rows = job.Result.Rows;
        var limit = Math.Clamp(job.RowCount - offset, 0, maxRecords);
        var count = 0;
        var delimiter = Csv.Delimiter(job.ColumnDelimiter);
        var lineEnding = job.LineEnding == "CRLF" ? "\r\n" : "\n";
        var text = new StringBuilder();
        Csv.WriteRow(text, job.Columns, delimiter, lineEnding);
        var versionPath = context.VersionPath;
        var cells = new string?[job.Columns.Length];
        for (var i = offset; i < offset + limit && (count == 0 || text.Length < DefaultPageCharacters); i++, count++)
        {
            var row = i < rows.Length ? rows[i] : job.Result.Selection!.MakeRow(job.Generated!.Make(i - rows.Length), context.Org);
            var record = RecordJson(job.Result, row, versionPath);
            for (var c = 0; c < job.Columns.Length; c++)
            {
                cells[c] = Cell(record, job.Columns[c]);
            }

            Csv.WriteRow(text, cells, delimiter, lineEnding);
        }

        var response = EmulatorResponse.Text(200, text.ToString(), "text/csv");
        response.Headers["Sforce-NumberOfRecords"] = count.ToString(CultureInfo.InvariantCulture);
        response.Headers["Sforce-Locator"] = offset + count < job.RowCount ? EncodeLocator(offset + count) : "null";
        return response;
    }

    internal static JsonElement RecordJson(QueryResultSet result, Row row, string versionPath)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            result.Selection!.Write(writer, row, versionPath);
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement;
    }

    /// <summary>A column's value: the path followed case-insensitively; empty for null; dateTimes in UTC with Z.</summary>
    internal static string? Cell(JsonElement record, string path)
    {
        var current = record;
        foreach (var segment in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var found = false;
            foreach (var property in current.EnumerateObject())
            {
                if (property.Name.Equals(segment, StringComparison.OrdinalIgnoreCase))
                {
                    current = property.Value;
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return null;
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.Object or JsonValueKind.Array => null,
            JsonValueKind.String => current.GetString() is { } text && text.EndsWith("+0000", StringComparison.Ordinal) && text.Length == 28 ? text[..^5] + "Z" : current.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => current.GetRawText(),
        };
    }

    /// <summary>Locators are opaque strings (49.0+): here the base64 of the next row's offset, such as <c>MTAwMDA</c> for 10000.</summary>
    private static string EncodeLocator(int offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static bool TryDecodeLocator(string locator, out int offset)
    {
        offset = 0;
        try
        {
            var padded = locator + new string('=', (4 - (locator.Length % 4)) % 4);
            return int.TryParse(Encoding.ASCII.GetString(Convert.FromBase64String(padded)), NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private QueryJob Job(RequestContext context) =>
        _jobs.TryGetValue(context["id"], out var job) ? job : throw new ApiException(404, "NOT_FOUND", "The requested resource does not exist");

    private static void WriteInfo(Utf8JsonWriter writer, QueryJob job, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteString("id", job.Id);
        writer.WriteString("operation", job.Operation);
        writer.WriteString("object", job.Object);
        writer.WriteString("createdById", job.CreatedById);
        writer.WriteString("createdDate", FieldValues.FormatDateTime(job.CreatedDate));
        writer.WriteString("systemModstamp", FieldValues.FormatDateTime(job.State == "UploadComplete" ? job.CreatedDate : now));
        writer.WriteString("state", job.State);
        writer.WriteString("concurrencyMode", "Parallel");
        writer.WriteString("contentType", "CSV");
        writer.WritePropertyName("apiVersion");
        writer.WriteRawValue(job.ApiVersion.ToString("0.0", CultureInfo.InvariantCulture));
        writer.WriteString("jobType", "V2Query");
        writer.WriteString("lineEnding", job.LineEnding);
        writer.WriteString("columnDelimiter", job.ColumnDelimiter);
        writer.WriteNumber("numberRecordsProcessed", job.State == "JobComplete" ? job.RowCount : 0);
        writer.WriteNumber("retries", 0);
        writer.WriteNumber("totalProcessingTime", 0);
        writer.WriteBoolean("isPkChunkingSupported", true);
        writer.WriteEndObject();
    }
}
