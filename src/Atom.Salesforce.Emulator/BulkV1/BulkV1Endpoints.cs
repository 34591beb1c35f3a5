using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Bulk;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Query;

namespace Atom.Salesforce.Emulator.BulkV1;

/// <summary>
/// Bulk API 1.0 (BULK "Bulk API" chapters: <c>asynch_api_jobs_create.htm</c>, <c>asynch_api_batches_*.htm</c>,
/// <c>asynch_api_reference_jobinfo.htm</c>, <c>asynch_api_reference_batchinfo.htm</c>, <c>asynch_api_reference_errors.htm</c>):
/// jobs under <c>/services/async/NN.0/job</c>, the session id in the <c>X-SFDC-Session</c> header, XML (or JSON) job
/// and batch documents in the <c>http://www.force.com/2009/06/asyncapi/dataload</c> namespace.
/// Rows are processed by the same rules as Bulk API 2.0 (<see cref="IngestRows"/>). A batch is processed when it is
/// added; the add answers Queued and every later read reports its final state (Completed, Failed or NotProcessed), as
/// a client polling a real org sees it.
/// </summary>
internal sealed class BulkV1Endpoints(BulkJobs bulk)
{
    private const string Root = "/services/async/{asyncVersion}/job";
    private static readonly XNamespace Ns = "http://www.force.com/2009/06/asyncapi/dataload";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private readonly BulkV1Jobs _jobs = new();

    public void Map(Router router)
    {
        router.Map("POST", Root, Guard(Create), anonymous: true);
        router.Map("GET", Root + "/{jobId}", Guard(Info), anonymous: true);
        router.Map("POST", Root + "/{jobId}", Guard(ChangeState), anonymous: true);
        router.Map("POST", Root + "/{jobId}/batch", Guard(AddBatch), anonymous: true);
        router.Map("GET", Root + "/{jobId}/batch", Guard(ListBatches), anonymous: true);
        router.Map("GET", Root + "/{jobId}/batch/{batchId}", Guard(BatchInfo), anonymous: true);
        router.Map("GET", Root + "/{jobId}/batch/{batchId}/request", Guard(BatchRequest), anonymous: true);
        router.Map("GET", Root + "/{jobId}/batch/{batchId}/result", Guard(BatchResult), anonymous: true);
        router.Map("GET", Root + "/{jobId}/batch/{batchId}/result/{resultId}", Guard(QueryResult), anonymous: true);
    }

    /// <summary>A Bulk API 1.0 error: <c>exceptionCode</c> and <c>exceptionMessage</c>, answered with HTTP 400 unless said.</summary>
    private sealed class BulkException(string code, string message, int status = 400) : Exception(message)
    {
        public string Code { get; } = code;

        public int Status { get; } = status;
    }

    private sealed record Call(RequestContext Context, BulkV1Jobs Jobs, decimal Version, string UserId);

    /// <summary>
    /// Checks the version and the <c>X-SFDC-Session</c> header, then runs the handler; errors come back as Bulk API errors
    /// (<c>&lt;error&gt;&lt;exceptionCode&gt;…</c>), in JSON when the request or the job is JSON.
    /// </summary>
    private Func<RequestContext, EmulatorResponse> Guard(Func<Call, EmulatorResponse> handler) => context =>
    {
        var json = IsJson(context.Request.Header("Content-Type"));
        try
        {
            if (!ApiVersions.TryParse("v" + context["asyncVersion"], out var version))
            {
                throw new BulkException("InvalidVersion", $"Invalid api version specified on URL: {context["asyncVersion"]}", 404);
            }

            // BULK asynch_api_quickstart_requests_intro.htm: Bulk API requests carry the session id in X-SFDC-Session.
            var session = context.Host.Sessions.Find(context.Request.Header("X-SFDC-Session"))
                ?? throw new BulkException("InvalidSessionId", "Invalid session id");
            var jobs = _jobs;
            if (context.Optional("jobId") is { } jobId && jobs.Jobs.TryGetValue(jobId, out var job))
            {
                json = json || job.JsonApi;
            }

            return handler(new Call(context, jobs, version, session.UserId));
        }
        catch (BulkException e)
        {
            return Error(e.Status, e.Code, e.Message, json);
        }
        catch (ApiException e)
        {
            return Error(e.Status, "InvalidJob", $"{e.Errors[0].ErrorCode}: {e.Errors[0].Message}", json);
        }
    };

    private static bool IsJson(string? contentType) => contentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;

    private static EmulatorResponse Error(int status, string code, string message, bool json) => json
        ? EmulatorResponse.Json(status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("exceptionCode", code);
            writer.WriteString("exceptionMessage", message);
            writer.WriteEndObject();
        })
        : Xml(status, new XElement(Ns + "error", new XElement(Ns + "exceptionCode", code), new XElement(Ns + "exceptionMessage", message)));

    private static EmulatorResponse Xml(int status, XElement element) =>
        EmulatorResponse.Text(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + element.ToString(SaveOptions.DisableFormatting), "application/xml");

    /// <summary>Bulk API 1.0 dates: UTC with milliseconds and a Z (<c>2009-04-14T18:15:59.000Z</c>).</summary>
    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string VersionText(decimal version) => version.ToString("0.0", CultureInfo.InvariantCulture);

    // ---- jobs ----

    private EmulatorResponse Create(Call call)
    {
        var request = call.Context.Request;
        var json = IsJson(request.Header("Content-Type"));
        var fields = ReadDocument(request.Body, json, "jobInfo");
        string? Field(string name) => fields.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;
        var operation = Field("operation");
        if (operation is not ("insert" or "update" or "upsert" or "delete" or "hardDelete" or "query" or "queryAll"))
        {
            throw new BulkException("InvalidJob", operation is null ? "Operation is required" : $"Invalid operation: {operation}");
        }

        var objectName = Field("object") ?? throw new BulkException("InvalidJob", "Object is required");
        var schema = call.Context.Org.Schema.Find(objectName) ?? throw new BulkException("InvalidEntity", $"Unable to find object: {objectName}");

        // BULK asynch_api_reference_jobinfo.htm, contentType: CSV, JSON, XML (the default), or ZIP_CSV, ZIP_XML, ZIP_JSON
        // for batches with binary attachments (BulkV1Limits). Zip batches load records, so query jobs take no zip type
        // (the guide names zip types only for loads; the refusal's text is ours).
        var contentType = Field("contentType") ?? "XML";
        if (!BulkV1Limits.IsContentType(contentType) || (contentType.StartsWith("ZIP_", StringComparison.Ordinal) && operation is "query" or "queryAll"))
        {
            throw new BulkException("InvalidJob", $"Unsupported content type: {contentType}");
        }

        var concurrency = Field("concurrencyMode") ?? "Parallel";
        if (concurrency is not ("Parallel" or "Serial"))
        {
            throw new BulkException("InvalidJob", $"Invalid concurrency mode: {concurrency}");
        }

        string? externalId = null;
        if (operation == "upsert")
        {
            externalId = IngestRows.UpsertKey(schema, Field("externalIdFieldName"))?.Name
                ?? throw new BulkException("InvalidJob", $"External ID was blank for {schema.Name}. An External ID must be specified for upsert.");
        }

        var now = call.Context.Org.Now;
        var job = new BulkV1Job
        {
            Id = bulk.NextId(),
            Operation = operation,
            Object = schema.Name,
            ExternalIdFieldName = externalId,
            ContentType = contentType,
            ConcurrencyMode = concurrency,
            ApiVersion = call.Version,
            CreatedById = call.UserId,
            CreatedDate = now,
            SystemModstamp = now,
            PkChunkSize = PkChunking(request.Header("Sforce-Enable-PKChunking"), operation),
            JsonApi = json || contentType is "JSON" or "ZIP_JSON",
        };
        call.Jobs.Jobs[job.Id] = job;
        return JobAnswer(job, 201);
    }

    /// <summary>
    /// <c>Sforce-Enable-PKChunking: TRUE</c> or <c>chunkSize=N</c> (BULK <c>async_api_headers_enable_pk_chunking.htm</c>:
    /// default 100,000, at most 250,000); FALSE or no header turns it off. Only query jobs chunk.
    /// </summary>
    private static int? PkChunking(string? header, string operation)
    {
        if (header is null || header.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (operation is not ("query" or "queryAll"))
        {
            throw new BulkException("InvalidJob", "PK Chunking is only supported for query and queryAll operations");
        }

        var size = 100_000;
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair[0].Equals("chunkSize", StringComparison.OrdinalIgnoreCase))
            {
                if (pair.Length < 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 250_000)
                {
                    throw new BulkException("InvalidJob", $"Invalid chunkSize: the chunk size must be between 1 and 250000: {part}");
                }
            }
        }

        return size;
    }

    private static BulkV1Job Job(Call call) =>
        call.Jobs.Jobs.TryGetValue(call.Context["jobId"], out var job) ? job : throw new BulkException("InvalidJob", $"Unable to find object: {call.Context["jobId"]}");

    private static EmulatorResponse Info(Call call) => JobAnswer(Job(call), 200);

    private static EmulatorResponse ChangeState(Call call)
    {
        var job = Job(call);
        var fields = ReadDocument(call.Context.Request.Body, IsJson(call.Context.Request.Header("Content-Type")), "jobInfo");
        var state = fields.GetValueOrDefault("state");
        lock (job)
        {
            switch (state)
            {
                case "Closed" when job.State is "Open" or "Closed":
                case "Aborted" when job.State is "Open" or "Closed" or "Aborted":
                    // Batches are processed when they are added, so aborting changes only the job's state; results stay readable
                    // (BULK asynch_api_jobs_abort.htm: processed batches keep their results).
                    job.State = state;
                    job.SystemModstamp = call.Context.Org.Now;
                    break;
                case "Closed" or "Aborted":
                    throw new BulkException("InvalidJobState", $"Invalid state transition from {job.State} to {state} for job {job.Id}");
                default:
                    throw new BulkException("InvalidJobState", $"Invalid job state: {state}. A job's state can be set to Closed or Aborted.");
            }
        }

        return JobAnswer(job, 200);
    }

    private static EmulatorResponse JobAnswer(BulkV1Job job, int status)
    {
        var fields = JobFields(job);
        return job.JsonApi ? JsonObject(status, fields) : Xml(status, XmlObject("jobInfo", fields));
    }

    /// <summary>JobInfo's fields in the order Salesforce writes them (BULK <c>asynch_api_reference_jobinfo.htm</c>).</summary>
    private static List<(string Name, object Value)> JobFields(BulkV1Job job)
    {
        lock (job)
        {
            Advance(job);
            var fields = new List<(string, object)>
            {
                ("id", job.Id),
                ("operation", job.Operation),
                ("object", job.Object),
                ("createdById", job.CreatedById),
                ("createdDate", Date(job.CreatedDate)),
                ("systemModstamp", Date(job.SystemModstamp)),
                ("state", job.State),
            };
            if (job.ExternalIdFieldName is { } externalId)
            {
                fields.Add(("externalIdFieldName", externalId));
            }

            fields.AddRange(
            [
                ("concurrencyMode", job.ConcurrencyMode),
                ("contentType", job.ContentType),
                ("numberBatchesQueued", job.Batches.Count(b => b.State == "Queued")),
                ("numberBatchesInProgress", job.Batches.Count(b => b.State == "InProgress")),
                ("numberBatchesCompleted", job.Batches.Count(b => b.State == "Completed")),
                ("numberBatchesFailed", job.Batches.Count(b => b.State == "Failed")),
                ("numberBatchesTotal", job.Batches.Count),
                ("numberRecordsProcessed", job.Batches.Where(b => b.State == "Completed").Sum(b => b.Processed)),
                ("numberRetries", 0),
                ("apiVersion", job.ApiVersion),
                ("numberRecordsFailed", job.Batches.Where(b => b.State == "Completed").Sum(b => b.Failed)),
                ("totalProcessingTime", job.Batches.Sum(b => b.ProcessingMilliseconds)),
                ("apiActiveProcessingTime", job.Batches.Sum(b => b.ProcessingMilliseconds)),
                ("apexProcessingTime", 0),
            ]);
            return fields;
        }
    }

    /// <summary>Batches reported Queued once move to their final state at the next read.</summary>
    private static void Advance(BulkV1Job job)
    {
        foreach (var batch in job.Batches)
        {
            batch.State = batch.FinalState;
        }
    }

    // ---- batches ----

    private static EmulatorResponse AddBatch(Call call)
    {
        var job = Job(call);
        var request = call.Context.Request;
        BulkV1Batch batch;
        lock (job)
        {
            if (job.State != "Open")
            {
                // BULK asynch_api_reference_errors.htm: InvalidJobState, "The job state is invalid for this operation".
                throw new BulkException("InvalidJobState", $"Job is not open: {job.Id}. A batch can only be added to an Open job.");
            }

            var contentType = request.Header("Content-Type") ?? string.Empty;
            var expected = BulkV1Limits.BatchContentType(job.ContentType);
            if (!contentType.StartsWith(expected, StringComparison.OrdinalIgnoreCase)
                && !(job.ContentType == "XML" && contentType.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase)))
            {
                throw new BulkException("InvalidBatch", $"Batch content type {contentType} does not match the job's content type {job.ContentType}: send {expected}");
            }

            if (request.Body.Length > BulkV1Limits.MaxBatchBytes)
            {
                throw new BulkException("ClientInputError", BulkV1Limits.TooLargeMessage);
            }

            var data = request.Body;
            if (job.IsZip)
            {
                data = BulkV1Limits.ReadZipRequest(request.Body, out var problem) ?? throw new BulkException("InvalidBatch", problem!);
            }

            var now = call.Context.Org.Now;
            batch = new BulkV1Batch
            {
                Id = call.Jobs.NextBatchId(),
                JobId = job.Id,
                CreatedDate = now,
                SystemModstamp = now,
                Request = request.Body,
                Data = data,
                IsQuery = job.IsQuery,
            };
            job.Batches.Add(batch);
            if (job.IsQuery)
            {
                RunQuery(call, job, batch);
            }
            else
            {
                RunIngest(call, job, batch);
            }

            job.SystemModstamp = now;
        }

        var fields = BatchFields(batch);
        return job.JsonApi ? JsonObject(201, fields) : Xml(201, XmlObject("batchInfo", fields));
    }

    private static void RunIngest(Call call, BulkV1Job job, BulkV1Batch batch)
    {
        var started = Stopwatch.GetTimestamp();
        var org = call.Context.Org;
        var schema = org.Schema.Find(job.Object)!;
        try
        {
            var (header, rows) = job.DataFormat switch
            {
                "CSV" => CsvRows(batch.Data),
                "JSON" => JsonRows(batch.Data),
                _ => XmlRows(batch.Data),
            };
            if (rows.Count > BulkV1Limits.MaxBatchRecords)
            {
                throw new BulkException("InvalidBatch", BulkV1Limits.TooManyRecordsMessage);
            }

            var results = IngestRows.Run(org, schema, job.Operation, job.ExternalIdFieldName, header, rows, out var badColumn);
            if (badColumn is not null)
            {
                throw new BulkException("InvalidBatch", $"Field name not found : {badColumn}");
            }

            batch.Results.AddRange(results);
        }
        catch (BulkException e)
        {
            // A batch that cannot be read fails as a whole; its stateMessage carries the reason (BULK batchinfo: "stateMessage").
            batch.FinalState = "Failed";
            batch.StateMessage = $"{e.Code} : {e.Message}";
        }

        batch.ProcessingMilliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static (string[] Header, List<string[]> Rows) CsvRows(byte[] body)
    {
        List<string[]> rows;
        try
        {
            rows = Csv.Read(Encoding.UTF8.GetString(body), ',');
        }
        catch (FormatException e)
        {
            throw new BulkException("InvalidBatch", $"Failed to parse CSV: {e.Message}");
        }

        if (rows.Count == 0 || rows[0] is [""])
        {
            throw new BulkException("InvalidBatch", "Records not processed: the batch held no header row");
        }

        return (rows[0], rows.Skip(1).ToList());
    }

    /// <summary>
    /// XML batches: <c>&lt;sObjects&gt;&lt;sObject&gt;&lt;Name&gt;…&lt;/Name&gt;&lt;/sObject&gt;&lt;/sObjects&gt;</c>; a parent's
    /// external id as a nested element (<c>&lt;Account&gt;&lt;Ext__c&gt;A1&lt;/Ext__c&gt;&lt;/Account&gt;</c>);
    /// <c>xsi:nil="true"</c> sets a field to null (BULK <c>datafiles_xml_sample_file.htm</c>,
    /// <c>datafiles_xml_relationship_fields.htm</c>).
    /// </summary>
    private static (string[] Header, List<string[]> Rows) XmlRows(byte[] body)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new BulkException("InvalidBatch", $"Failed to parse XML: {e.Message}");
        }

        if (document.Root?.Name.LocalName != "sObjects")
        {
            throw new BulkException("InvalidBatch", "Failed to parse XML: the root element must be sObjects");
        }

        var records = document.Root.Elements().Where(e => e.Name.LocalName == "sObject").Select(record =>
        {
            var values = new List<(string, string)>();
            foreach (var element in record.Elements())
            {
                if (element.HasElements)
                {
                    foreach (var child in element.Elements().Where(c => c.Name.LocalName != "type"))
                    {
                        values.Add(($"{element.Name.LocalName}.{child.Name.LocalName}", child.Value));
                    }
                }
                else
                {
                    values.Add((element.Name.LocalName, element.Attribute(Xsi + "nil")?.Value == "true" ? "#N/A" : element.Value));
                }
            }

            return values;
        });
        return Table(records);
    }

    /// <summary>JSON batches: an array of records, <c>null</c> for a null field, a nested object for a parent's external id.</summary>
    private static (string[] Header, List<string[]> Rows) JsonRows(byte[] body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException e)
        {
            throw new BulkException("InvalidBatch", $"Failed to parse JSON: {e.Message}");
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new BulkException("InvalidBatch", "Failed to parse JSON: the batch must be an array of records");
        }

        static string Text(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Null => "#N/A",
            JsonValueKind.String => value.GetString()!,
            _ => value.GetRawText(),
        };

        var records = root.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).Select(record =>
        {
            var values = new List<(string, string)>();
            foreach (var property in record.EnumerateObject())
            {
                if (property.Name == "attributes")
                {
                    continue;
                }

                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    values.AddRange(property.Value.EnumerateObject().Where(p => p.Name != "attributes").Select(p => ($"{property.Name}.{p.Name}", Text(p.Value))));
                }
                else
                {
                    values.Add((property.Name, Text(property.Value)));
                }
            }

            return values;
        });
        return Table(records);
    }

    /// <summary>Records as named values become a header (every name, in order of first use) and rows; a missing value is empty (ignored).</summary>
    private static (string[] Header, List<string[]> Rows) Table(IEnumerable<List<(string Name, string Value)>> records)
    {
        var list = records.ToList();
        var header = new List<string>();
        foreach (var (name, _) in list.SelectMany(r => r))
        {
            if (!header.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                header.Add(name);
            }
        }

        var rows = list.Select(record =>
        {
            var row = new string[header.Count];
            Array.Fill(row, string.Empty);
            foreach (var (name, value) in record)
            {
                row[header.FindIndex(h => h.Equals(name, StringComparison.OrdinalIgnoreCase))] = value;
            }

            return row;
        }).ToList();
        return ([.. header], rows);
    }

    /// <summary>
    /// A query batch: the body is the SOQL. Without PK chunking it yields one result set. With PK chunking the batch is
    /// NotProcessed and one batch per chunk of the object's ids runs the query within the chunk's Id range (BULK
    /// <c>async_api_headers_enable_pk_chunking.htm</c>: "the original batch is given a state of Not Processed").
    /// </summary>
    private static void RunQuery(Call call, BulkV1Job job, BulkV1Batch batch)
    {
        var started = Stopwatch.GetTimestamp();
        var org = call.Context.Org;
        var soql = Encoding.UTF8.GetString(batch.Request).Trim();
        try
        {
            var query = QueryCompiler.Parse(soql);
            QueryJobEndpoints.RefuseWhatBulkCannotRun(query, "Bulk API query batches");
            var schema = org.Schema.Find(query.From.ObjectType) ?? throw new BulkException("InvalidBatch", $"Failed to process query: INVALID_TYPE: sObject type '{query.From.ObjectType}' is not supported.");
            if (!schema.Name.Equals(job.Object, StringComparison.OrdinalIgnoreCase))
            {
                throw new BulkException("InvalidBatch", $"Failed to process query: the query's object {schema.Name} is not the job's object {job.Object}");
            }

            var columns = QueryJobEndpoints.Columns(query, schema);
            var includeDeleted = job.Operation == "queryAll";
            if (job.PkChunkSize is not { } size)
            {
                var result = QueryCompiler.Run(org, query, soql, includeDeleted, call.UserId, extraFilter: null);
                batch.QueryResults.Add((call.Jobs.NextResultId(), result, columns, schema.Name));
            }
            else
            {
                batch.FinalState = "NotProcessed";
                var ids = org.Records(schema, includeDeleted).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
                for (var start = 0; start == 0 || start < ids.Count; start += size)
                {
                    var low = start < ids.Count ? ids[start] : null;
                    var high = start + size < ids.Count ? ids[start + size] : null;
                    var chunk = new BulkV1Batch
                    {
                        Id = call.Jobs.NextBatchId(),
                        JobId = job.Id,
                        CreatedDate = batch.CreatedDate,
                        SystemModstamp = batch.CreatedDate,
                        Request = Encoding.UTF8.GetBytes(soql),
                        IsQuery = true,
                    };
                    var result = QueryCompiler.Run(org, query, soql, includeDeleted, call.UserId, record =>
                        (low is null || string.CompareOrdinal(record.Id, low) >= 0) && (high is null || string.CompareOrdinal(record.Id, high) < 0));
                    chunk.QueryResults.Add((call.Jobs.NextResultId(), result, columns, schema.Name));
                    job.Batches.Add(chunk);
                }
            }
        }
        catch (ApiException e)
        {
            batch.FinalState = "Failed";
            batch.StateMessage = $"InvalidBatch : Failed to process query: {e.Errors[0].ErrorCode}: {e.Errors[0].Message}";
        }
        catch (BulkException e)
        {
            batch.FinalState = "Failed";
            batch.StateMessage = $"{e.Code} : {e.Message}";
        }

        batch.ProcessingMilliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static BulkV1Batch Batch(BulkV1Job job, Call call)
    {
        var id = call.Context["batchId"];
        return job.Batches.FirstOrDefault(b => b.Id == id) ?? throw new BulkException("InvalidBatch", $"Unable to find object: {id}");
    }

    private static EmulatorResponse ListBatches(Call call)
    {
        var job = Job(call);
        List<List<(string, object)>> batches;
        lock (job)
        {
            Advance(job);
            batches = job.Batches.Select(BatchFields).ToList();
        }

        if (job.JsonApi)
        {
            return EmulatorResponse.Json(200, writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("batchInfo");
                foreach (var fields in batches)
                {
                    WriteObject(writer, fields);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            });
        }

        return Xml(200, new XElement(Ns + "batchInfoList", batches.Select(b => XmlObject("batchInfo", b))));
    }

    private static EmulatorResponse BatchInfo(Call call)
    {
        var job = Job(call);
        List<(string, object)> fields;
        lock (job)
        {
            Advance(job);
            fields = BatchFields(Batch(job, call));
        }

        return job.JsonApi ? JsonObject(200, fields) : Xml(200, XmlObject("batchInfo", fields));
    }

    /// <summary>BatchInfo's fields in Salesforce's order (BULK <c>asynch_api_reference_batchinfo.htm</c>).</summary>
    private static List<(string Name, object Value)> BatchFields(BulkV1Batch batch)
    {
        var reported = batch.State is "Completed" or "Failed";
        var fields = new List<(string, object)> { ("id", batch.Id), ("jobId", batch.JobId), ("state", batch.State) };
        if (batch.State != "Queued" && batch.StateMessage is { } message)
        {
            fields.Add(("stateMessage", message));
        }

        fields.AddRange(
        [
            ("createdDate", Date(batch.CreatedDate)),
            ("systemModstamp", Date(batch.SystemModstamp)),
            ("numberRecordsProcessed", reported ? batch.Processed : 0),
            ("numberRecordsFailed", reported ? batch.Failed : 0),
            ("totalProcessingTime", reported ? batch.ProcessingMilliseconds : 0),
            ("apiActiveProcessingTime", reported ? batch.ProcessingMilliseconds : 0),
            ("apexProcessingTime", 0),
        ]);
        return fields;
    }

    private static EmulatorResponse BatchRequest(Call call)
    {
        var job = Job(call);
        var batch = Batch(job, call);
        return new EmulatorResponse(200, batch.Request, ContentTypeOf(job));
    }

    private static string ContentTypeOf(BulkV1Job job) => BulkV1Limits.BatchContentType(job.ContentType);

    /// <summary>
    /// An ingest batch's results, one per row in the batch's order: CSV <c>"Id","Success","Created","Error"</c> with every
    /// value quoted (BULK <c>asynch_api_quickstart_retrieve_results.htm</c>), XML <c>&lt;results&gt;&lt;result&gt;</c> with
    /// id, success, created and errors (<c>asynch_api_batches_get_results.htm</c>), or a JSON array of the same. A query
    /// batch's result ids: <c>&lt;result-list&gt;&lt;result&gt;752…&lt;/result&gt;</c> or a JSON array of strings.
    /// </summary>
    private static EmulatorResponse BatchResult(Call call)
    {
        var job = Job(call);
        BulkV1Batch batch;
        lock (job)
        {
            Advance(job);
            batch = Batch(job, call);
        }

        if (batch.State == "Failed")
        {
            throw new BulkException("InvalidBatch", $"Batch failed: {batch.StateMessage}");
        }

        if (batch.State == "NotProcessed")
        {
            throw new BulkException("InvalidBatch", "Batch not processed: its results are in the batches PK chunking created");
        }

        if (job.IsQuery)
        {
            var ids = batch.QueryResults.Select(r => r.Id).ToList();
            return job.DataFormat == "JSON"
                ? EmulatorResponse.Json(200, writer =>
                {
                    writer.WriteStartArray();
                    ids.ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                })
                : Xml(200, new XElement(Ns + "result-list", ids.Select(id => new XElement(Ns + "result", id))));
        }

        switch (job.DataFormat)
        {
            case "CSV":
                var text = new StringBuilder("\"Id\",\"Success\",\"Created\",\"Error\"\n");
                foreach (var r in batch.Results)
                {
                    text.Append(Quote(r.Id ?? string.Empty)).Append(',').Append(Quote(r.Error is null ? "true" : "false")).Append(',')
                        .Append(Quote(r.Created ? "true" : "false")).Append(',').Append(Quote(r.Error is { } e ? IngestRows.ErrorCell(e) : string.Empty)).Append('\n');
                }

                return EmulatorResponse.Text(200, text.ToString(), "text/csv");
            case "JSON":
                return EmulatorResponse.Json(200, writer =>
                {
                    writer.WriteStartArray();
                    foreach (var r in batch.Results)
                    {
                        writer.WriteStartObject();
                        writer.WriteBoolean("success", r.Error is null);
                        writer.WriteBoolean("created", r.Created);
                        if (r.Id is { } id)
                        {
                            writer.WriteString("id", id);
                        }
                        else
                        {
                            writer.WriteNull("id");
                        }

                        writer.WriteStartArray("errors");
                        if (r.Error is { } error)
                        {
                            writer.WriteStartObject();
                            writer.WriteStartArray("fields");
                            foreach (var field in error.Fields ?? [])
                            {
                                writer.WriteStringValue(field);
                            }

                            writer.WriteEndArray();
                            writer.WriteString("message", error.Message);
                            writer.WriteString("statusCode", error.ErrorCode);
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
            default:
                return Xml(200, new XElement(Ns + "results", batch.Results.Select(r => new XElement(
                    Ns + "result",
                    r.Id is { } id ? new XElement(Ns + "id", id) : null,
                    r.Error is { } error
                        ? new XElement(Ns + "errors", (error.Fields ?? []).Select(f => new XElement(Ns + "fields", f)), new XElement(Ns + "message", error.Message), new XElement(Ns + "statusCode", error.ErrorCode))
                        : null,
                    new XElement(Ns + "success", r.Error is null ? "true" : "false"),
                    new XElement(Ns + "created", r.Created ? "true" : "false")))));
        }
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// A query result's rows: CSV with the SELECT's columns and every value quoted, or <c>Records not found for this
    /// query</c> when there are none (BULK <c>asynch_api_bulk_query_processing.htm</c>); XML <c>&lt;queryResult&gt;</c> of
    /// <c>&lt;records xsi:type="sObject"&gt;</c>; JSON an array of records with their <c>attributes</c>.
    /// </summary>
    private static EmulatorResponse QueryResult(Call call)
    {
        var job = Job(call);
        BulkV1Batch batch;
        lock (job)
        {
            Advance(job);
            batch = Batch(job, call);
        }

        var resultId = call.Context["resultId"];
        var found = batch.QueryResults.FirstOrDefault(r => r.Id == resultId);
        if (found.Id is null)
        {
            throw new BulkException("InvalidBatch", $"Unable to find object: {resultId}");
        }

        var (_, result, columns, objectName) = found;
        var versionPath = $"/services/data/v{VersionText(job.ApiVersion)}";
        var records = result.Rows.Select(row => QueryJobEndpoints.RecordJson(result, row, versionPath)).ToList();
        switch (job.DataFormat)
        {
            case "CSV":
                if (records.Count == 0)
                {
                    return EmulatorResponse.Text(200, "Records not found for this query", "text/csv");
                }

                var text = new StringBuilder();
                text.AppendJoin(',', columns.Select(Quote)).Append('\n');
                foreach (var record in records)
                {
                    text.AppendJoin(',', columns.Select(c => Quote(QueryJobEndpoints.Cell(record, c) ?? string.Empty))).Append('\n');
                }

                return EmulatorResponse.Text(200, text.ToString(), "text/csv");
            case "JSON":
                return EmulatorResponse.Json(200, writer =>
                {
                    writer.WriteStartArray();
                    records.ForEach(r => WriteJsonRecord(writer, r, call.Context.Org.Schema));
                    writer.WriteEndArray();
                });
            default:
                return Xml(200, new XElement(
                    Ns + "queryResult",
                    new XAttribute(XNamespace.Xmlns + "xsi", Xsi.NamespaceName),
                    records.Select(r => XmlRecord("records", r, objectName))));
        }
    }

    /// <summary>
    /// A JSON query row as Bulk API 1.0 writes it: REST's record shape, but dateTime fields as milliseconds since the epoch
    /// (<c>"CreatedDate": 1546659665000</c>, recorded against a real org in simple-salesforce issue #290). Whether date
    /// fields are converted too is not recorded; they stay <c>yyyy-MM-dd</c>.
    /// </summary>
    private static void WriteJsonRecord(Utf8JsonWriter writer, JsonElement record, Schema.OrgSchema schema)
    {
        var type = record.TryGetProperty("attributes", out var attributes) && attributes.TryGetProperty("type", out var t) ? t.GetString() : null;
        var objectSchema = type is null ? null : schema.Find(type);
        writer.WriteStartObject();
        foreach (var property in record.EnumerateObject())
        {
            writer.WritePropertyName(property.Name);
            if (property.Value.ValueKind == JsonValueKind.Object && property.Name != "attributes")
            {
                WriteJsonRecord(writer, property.Value, schema);
            }
            else if (property.Value.ValueKind == JsonValueKind.String && objectSchema?.Field(property.Name)?.Type == Schema.FieldType.DateTime
                && property.Value.GetString() is { Length: 28 } text && text.EndsWith("+0000", StringComparison.Ordinal)
                && DateTimeOffset.TryParseExact(text[..^5], "yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            {
                writer.WriteNumberValue(when.ToUnixTimeMilliseconds());
            }
            else
            {
                property.Value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static XElement XmlRecord(string name, JsonElement record, string fallbackType)
    {
        var type = record.TryGetProperty("attributes", out var attributes) && attributes.TryGetProperty("type", out var t) ? t.GetString()! : fallbackType;
        var element = new XElement(Ns + name, new XAttribute(Xsi + "type", "sObject"), new XElement(Ns + "type", type));
        foreach (var property in record.EnumerateObject().Where(p => p.Name != "attributes"))
        {
            element.Add(property.Value.ValueKind switch
            {
                JsonValueKind.Object => XmlRecord(property.Name, property.Value, property.Name),
                JsonValueKind.Null => new XElement(Ns + property.Name, new XAttribute(Xsi + "nil", "true")),
                JsonValueKind.String => new XElement(Ns + property.Name, QueryJobEndpoints.Cell(record, property.Name)),
                JsonValueKind.Array => null,
                _ => new XElement(Ns + property.Name, property.Value.GetRawText()),
            });
        }

        return element;
    }

    // ---- documents ----

    /// <summary>A flat XML (<c>&lt;jobInfo xmlns="…dataload"&gt;</c>) or JSON request document's fields as text.</summary>
    private static Dictionary<string, string> ReadDocument(byte[] body, bool json, string rootName)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json)
        {
            try
            {
                var root = JsonDocument.Parse(body).RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in root.EnumerateObject())
                    {
                        fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                    }
                }

                return fields;
            }
            catch (JsonException e)
            {
                throw new BulkException("InvalidJob", $"Unable to parse the job: {e.Message}");
            }
        }

        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var root = XDocument.Load(reader).Root!;
            if (root.Name != Ns + rootName)
            {
                throw new BulkException("InvalidXML", $"Unable to parse the {rootName}: expected {{{Ns.NamespaceName}}}{rootName}, found {root.Name}");
            }

            foreach (var element in root.Elements())
            {
                fields[element.Name.LocalName] = element.Value.Trim();
            }

            return fields;
        }
        catch (XmlException e)
        {
            throw new BulkException("InvalidXML", $"Unable to parse the {rootName}: {e.Message}");
        }
    }

    private static XElement XmlObject(string name, List<(string Name, object Value)> fields) =>
        new(Ns + name, fields.Select(f => new XElement(Ns + f.Name, f.Value is decimal d ? VersionText(d) : Convert.ToString(f.Value, CultureInfo.InvariantCulture))));

    private static EmulatorResponse JsonObject(int status, List<(string Name, object Value)> fields) => EmulatorResponse.Json(status, writer => WriteObject(writer, fields));

    private static void WriteObject(Utf8JsonWriter writer, List<(string Name, object Value)> fields)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in fields)
        {
            switch (value)
            {
                case int i:
                    writer.WriteNumber(name, i);
                    break;
                case long l:
                    writer.WriteNumber(name, l);
                    break;
                case decimal d:
                    writer.WritePropertyName(name);
                    writer.WriteRawValue(VersionText(d));
                    break;
                default:
                    writer.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        writer.WriteEndObject();
    }
}
