using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;

namespace Atom.Salesforce.Emulator.Bulk;

/// <summary>
/// Bulk API 2.0 ingest (reference §4.1): create a job, PUT the CSV, PATCH UploadComplete, poll, read the result CSVs.
/// The org processes the rows when the upload completes; the PATCH still answers UploadComplete and the next poll sees
/// JobComplete, as a client polling a real org would.
/// </summary>
internal sealed class IngestEndpoints(BulkJobs jobs)
{
    private const string Jobs = "/services/data/{version}/jobs/ingest";
    private const string CsvContentType = "text/csv";

    public void Map(Router router)
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

    private EmulatorResponse Create(RequestContext context)
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
        if (operation == "upsert" && IngestRows.UpsertKey(schema, externalId) is null)
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
            Id = jobs.NextId(),
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
        jobs.Ingest[job.Id] = job;
        return EmulatorResponse.Json(200, writer => WriteInfo(writer, job));
    }

    private EmulatorResponse List(RequestContext context) => EmulatorResponse.Json(200, writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("done", true);
        writer.WriteNull("nextRecordsUrl");
        writer.WriteStartArray("records");
        foreach (var job in jobs.Ingest.Values.OrderBy(j => j.CreatedDate).ThenBy(j => j.Id, StringComparer.Ordinal))
        {
            WriteInfo(writer, job);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private EmulatorResponse Info(RequestContext context)
    {
        var job = Job(context);
        return EmulatorResponse.Json(200, writer => WriteInfo(writer, job));
    }

    private EmulatorResponse Upload(RequestContext context)
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

    private EmulatorResponse ChangeState(RequestContext context)
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

    private EmulatorResponse Delete(RequestContext context)
    {
        var job = Job(context);
        if (job.State == "Open")
        {
            throw new ApiException(409, "INVALIDJOBSTATE", $"Job {job.Id} is open: close or abort it before deleting it.");
        }

        jobs.Ingest.TryRemove(job.Id, out _);
        return EmulatorResponse.Empty();
    }

    private EmulatorResponse SuccessfulResults(RequestContext context) => Results(context, job =>
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

    private EmulatorResponse FailedResults(RequestContext context) => Results(context, job =>
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

    private EmulatorResponse UnprocessedRecords(RequestContext context) => Results(context, job =>
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

    private EmulatorResponse Results(RequestContext context, Func<IngestJob, StringBuilder> write, bool allowUnfinished = false)
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

    private IngestJob Job(RequestContext context) =>
        jobs.Ingest.TryGetValue(context["id"], out var job)
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

    /// <summary>Runs every row through the org's rules (<see cref="IngestRows"/>, shared with Bulk API 1.0) and records its result.</summary>
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
        var results = IngestRows.Run(org, schema, job.Operation, job.ExternalIdFieldName, job.Header, rows.Skip(1), out var badColumn);
        if (badColumn is not null)
        {
            Fail(job, $"InvalidBatch : Field name not found : {badColumn}", org);
            return;
        }

        foreach (var result in results)
        {
            if (result.Error is { } error)
            {
                job.Failed.Add((result.Id, IngestRows.ErrorCell(error), result.Row));
            }
            else
            {
                job.Successful.Add((result.Id!, result.Created, result.Row));
            }
        }

        job.State = "JobComplete";
        job.ProcessingMilliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        job.SystemModstamp = org.Now;
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
}
