using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Tests.BulkV1;

/// <summary>
/// Bulk API 1.0 as its developer guide describes it (BULK "Bulk API" chapters): the session id in <c>X-SFDC-Session</c>,
/// XML documents in the <c>http://www.force.com/2009/06/asyncapi/dataload</c> namespace read as a client reads them,
/// CSV results <c>"Id","Success","Created","Error"</c> in the batch's row order.
/// </summary>
public sealed class BulkV1Tests
{
    private const string Jobs = "/services/async/66.0/job";
    private static readonly XNamespace Ns = "http://www.force.com/2009/06/asyncapi/dataload";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient Client(SalesforceEmulator emulator)
    {
        var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        http.DefaultRequestHeaders.Add("X-SFDC-Session", emulator.Options.AccessToken);
        return http;
    }

    private static string JobXml(string operation, string objectName, string contentType, string? externalId = null) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload">
          <operation>{operation}</operation>
          <object>{objectName}</object>
          {(externalId is null ? string.Empty : $"<externalIdFieldName>{externalId}</externalIdFieldName>")}
          <contentType>{contentType}</contentType>
        </jobInfo>
        """;

    private static async Task<(HttpStatusCode Status, XElement Root)> SendXml(HttpClient http, HttpMethod method, string path, string? body = null, string contentType = "application/xml")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new(contentType) { CharSet = "UTF-8" };
        }

        using var response = await http.SendAsync(request, Ct);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!);
    }

    private static async Task<string> CreateJob(HttpClient http, string operation, string objectName, string contentType, string? externalId = null)
    {
        var (status, job) = await SendXml(http, HttpMethod.Post, Jobs, JobXml(operation, objectName, contentType, externalId));
        Assert.Equal(HttpStatusCode.Created, status);
        return Value(job, "id");
    }

    private static string Value(XElement element, string name) => element.Element(Ns + name)?.Value ?? throw new Xunit.Sdk.XunitException($"<{name}> missing from {element}");

    private static async Task<string> GetText(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static async Task<XElement> Close(HttpClient http, string job, string state = "Closed")
    {
        var (status, info) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{job}", $"""<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><state>{state}</state></jobInfo>""");
        Assert.Equal(HttpStatusCode.OK, status);
        return info;
    }

    private static List<string[]> CsvLines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split("\",\"").Select(v => v.Trim('"')).ToArray())];

    [Fact]
    public async Task A_CSV_insert_job_goes_from_create_to_results_joined_with_the_request_rows()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var (created, job) = await SendXml(http, HttpMethod.Post, Jobs, JobXml("insert", "Account", "CSV"));
        var id = Value(job, "id");
        const string Upload = "Name,Industry\nAcme,Media\n,Energy\nGlobex,Energy\n";
        var (added, batch) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{id}/batch", Upload, "text/csv");
        var closed = await Close(http, id);
        var (_, polled) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{id}/batch/{Value(batch, "id")}");
        var (_, list) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{id}/batch");
        var (_, done) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{id}");
        var results = await GetText(http, $"{Jobs}/{id}/batch/{Value(batch, "id")}/result");
        var request = await GetText(http, $"{Jobs}/{id}/batch/{Value(batch, "id")}/request");

        // jobInfo (BULK asynch_api_reference_jobinfo.htm): 201 Created, Open, the job's settings and zeroed counters.
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(Ns + "jobInfo", job.Name);
        Assert.Equal(("insert", "Account", "Open", "Parallel", "CSV", "66.0", "0"), (Value(job, "operation"), Value(job, "object"), Value(job, "state"), Value(job, "concurrencyMode"), Value(job, "contentType"), Value(job, "apiVersion"), Value(job, "numberBatchesTotal")));
        Assert.StartsWith("750", id, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", Value(job, "createdDate"));
        string[] order = ["id", "operation", "object", "createdById", "createdDate", "systemModstamp", "state", "concurrencyMode", "contentType", "numberBatchesQueued", "numberBatchesInProgress", "numberBatchesCompleted", "numberBatchesFailed", "numberBatchesTotal", "numberRecordsProcessed", "numberRetries", "apiVersion", "numberRecordsFailed", "totalProcessingTime", "apiActiveProcessingTime", "apexProcessingTime"];
        Assert.Equal(order, job.Elements().Select(e => e.Name.LocalName));

        // batchInfo (BULK asynch_api_reference_batchinfo.htm): the add answers Queued; a later poll sees Completed.
        Assert.Equal(HttpStatusCode.Created, added);
        Assert.Equal((Ns + "batchInfo", id, "Queued"), (batch.Name, Value(batch, "jobId"), Value(batch, "state")));
        Assert.StartsWith("751", Value(batch, "id"), StringComparison.Ordinal);
        Assert.Equal("Closed", Value(closed, "state"));
        Assert.Equal(("Completed", "3", "1"), (Value(polled, "state"), Value(polled, "numberRecordsProcessed"), Value(polled, "numberRecordsFailed")));
        Assert.Equal(Ns + "batchInfoList", list.Name);
        Assert.Single(list.Elements(Ns + "batchInfo"));
        Assert.Equal(("Closed", "1", "1", "0", "3", "1"), (Value(done, "state"), Value(done, "numberBatchesTotal"), Value(done, "numberBatchesCompleted"), Value(done, "numberBatchesQueued"), Value(done, "numberRecordsProcessed"), Value(done, "numberRecordsFailed")));

        // Results (BULK asynch_api_quickstart_retrieve_results.htm): one row per request row, in order.
        var rows = CsvLines(results);
        Assert.Equal(["Id", "Success", "Created", "Error"], rows[0]);
        Assert.Equal(4, rows.Count);
        var names = Upload.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        var accounts = emulator.Org.Records(emulator.Org.Schema.Find("Account")!);
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i].Length == 0)
            {
                Assert.Equal(["", "false", "false", "REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"], rows[i + 1]);
            }
            else
            {
                Assert.Equal(("true", "true"), (rows[i + 1][1], rows[i + 1][2]));
                Assert.Equal(names[i], (string?)accounts.Single(a => a.Id == rows[i + 1][0])["Name"]);
            }
        }

        Assert.Equal(Upload, request);
    }

    [Fact]
    public async Task Update_upsert_and_delete_jobs_report_each_row_and_change_the_org()
    {
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Ext__c", FieldType.String) { ExternalId = true }];
        var emulator = new SalesforceEmulator(options);
        using var http = Client(emulator);
        var schema = emulator.Org.Schema.Find("Account")!;
        var first = emulator.Org.Create(schema, new Dictionary<string, object?> { ["Name"] = "One", ["Ext__c"] = "E1" });
        var second = emulator.Org.Create(schema, new Dictionary<string, object?> { ["Name"] = "Two" });

        var update = await CreateJob(http, "update", "Account", "CSV");
        var (_, updateBatch) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{update}/batch", $"Id,Industry\n{first},Media\n001000000000000AAA,Energy\n", "text/csv");
        var upsert = await CreateJob(http, "upsert", "Account", "CSV", "Ext__c");
        var (_, upsertBatch) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{upsert}/batch", "Ext__c,Name\nE1,One again\nE2,Three\n", "text/csv");
        var delete = await CreateJob(http, "delete", "Account", "CSV");
        var (_, deleteBatch) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{delete}/batch", $"Id\n{second}\n", "text/csv");

        var updated = CsvLines(await GetText(http, $"{Jobs}/{update}/batch/{Value(updateBatch, "id")}/result"));
        var upserted = CsvLines(await GetText(http, $"{Jobs}/{upsert}/batch/{Value(upsertBatch, "id")}/result"));
        var deleted = CsvLines(await GetText(http, $"{Jobs}/{delete}/batch/{Value(deleteBatch, "id")}/result"));

        Assert.Equal([first, "true", "false", ""], updated[1]);
        Assert.Equal(("false", "false"), (updated[2][1], updated[2][2]));
        Assert.EndsWith("--", updated[2][3], StringComparison.Ordinal); // CODE:message:fields -- (the error cell Bulk API 2.0 shares)
        Assert.Equal([first, "true", "false", ""], upserted[1]);
        Assert.Equal(("true", "true"), (upserted[2][1], upserted[2][2]));
        Assert.Equal([second, "true", "false", ""], deleted[1]);
        Assert.Equal(("Media", "One again"), ((string?)emulator.Org.Find(first)!["Industry"], (string?)emulator.Org.Find(first)!["Name"]));
        Assert.True(emulator.Org.Find(second)!.IsDeleted);
        Assert.Equal("Three", (string?)emulator.Org.Find(upserted[2][0])!["Name"]);
    }

    [Fact]
    public async Task XML_batches_take_nil_fields_and_answer_XML_results_with_errors()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var job = await CreateJob(http, "insert", "Account", "XML");
        const string Batch = """
            <?xml version="1.0" encoding="UTF-8"?>
            <sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <sObject><Name>Acme &amp; Co</Name><Phone xsi:nil="true"/></sObject>
              <sObject><Industry>Energy</Industry></sObject>
            </sObjects>
            """;
        var (status, batch) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{job}/batch", Batch);
        var (_, results) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{job}/batch/{Value(batch, "id")}/result");

        // BULK asynch_api_batches_get_results.htm: <results><result><id/><success/><created/></result>, errors with
        // fields, message and statusCode.
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(Ns + "results", results.Name);
        var items = results.Elements(Ns + "result").ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(("true", "true"), (Value(items[0], "success"), Value(items[0], "created")));
        Assert.Equal("Acme & Co", (string?)emulator.Org.Find(Value(items[0], "id"))!["Name"]);
        Assert.Equal(("false", "false"), (Value(items[1], "success"), Value(items[1], "created")));
        var error = items[1].Element(Ns + "errors")!;
        Assert.Equal(("REQUIRED_FIELD_MISSING", "Name"), (Value(error, "statusCode"), Value(error, "fields")));
    }

    [Fact]
    public async Task A_JSON_job_answers_in_JSON_and_takes_JSON_batches()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        using var create = await http.PostAsync(new Uri(Jobs, UriKind.Relative), new StringContent("""{"operation":"insert","object":"Contact","contentType":"JSON"}""", Encoding.UTF8, "application/json"), Ct);
        var job = JsonDocument.Parse(await create.Content.ReadAsStringAsync(Ct)).RootElement;
        var id = job.GetProperty("id").GetString()!;
        using var add = await http.PostAsync(new Uri($"{Jobs}/{id}/batch", UriKind.Relative), new StringContent("""[{"LastName":"Lovelace","Email":null},{"FirstName":"No last name"}]""", Encoding.UTF8, "application/json"), Ct);
        var batch = JsonDocument.Parse(await add.Content.ReadAsStringAsync(Ct)).RootElement;
        var results = JsonDocument.Parse(await GetText(http, $"{Jobs}/{id}/batch/{batch.GetProperty("id").GetString()}/result")).RootElement;
        var list = JsonDocument.Parse(await GetText(http, $"{Jobs}/{id}/batch")).RootElement;

        Assert.Equal((HttpStatusCode.Created, "Open", "JSON"), (create.StatusCode, job.GetProperty("state").GetString(), job.GetProperty("contentType").GetString()));
        Assert.Equal(66.0, job.GetProperty("apiVersion").GetDouble());
        Assert.Equal((HttpStatusCode.Created, "Queued"), (add.StatusCode, batch.GetProperty("state").GetString()));
        Assert.Equal("Completed", list.GetProperty("batchInfo")[0].GetProperty("state").GetString());
        Assert.True(results[0].GetProperty("success").GetBoolean());
        Assert.StartsWith("003", results[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.False(results[1].GetProperty("success").GetBoolean());
        Assert.Equal("REQUIRED_FIELD_MISSING", results[1].GetProperty("errors")[0].GetProperty("statusCode").GetString());
    }

    [Fact]
    public async Task A_closed_job_refuses_batches_and_errors_come_as_Bulk_API_error_documents()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var job = await CreateJob(http, "insert", "Account", "CSV");
        await Close(http, job);
        var (closedStatus, closed) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{job}/batch", "Name\nLate\n", "text/csv");
        var (missingStatus, missing) = await SendXml(http, HttpMethod.Get, $"{Jobs}/750000000000000AAA");
        using var bearerOnly = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        bearerOnly.DefaultRequestHeaders.Authorization = new("Bearer", emulator.Options.AccessToken);
        var (sessionStatus, session) = await SendXml(bearerOnly, HttpMethod.Get, $"{Jobs}/{job}");
        var (entityStatus, entity) = await SendXml(http, HttpMethod.Post, Jobs, JobXml("insert", "Widget", "CSV"));

        // BULK asynch_api_reference_errors.htm: <error><exceptionCode/><exceptionMessage/></error>, HTTP 400.
        Assert.Equal((HttpStatusCode.BadRequest, Ns + "error", "InvalidJobState"), (closedStatus, closed.Name, Value(closed, "exceptionCode")));
        Assert.NotEmpty(Value(closed, "exceptionMessage"));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidJob"), (missingStatus, Value(missing, "exceptionCode")));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidSessionId"), (sessionStatus, Value(session, "exceptionCode")));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidEntity"), (entityStatus, Value(entity, "exceptionCode")));
        Assert.Empty(emulator.Org.Records(emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task A_batch_with_an_unknown_column_fails_with_a_state_message()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var job = await CreateJob(http, "insert", "Account", "CSV");
        var (_, batch) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{job}/batch", "Name,Colour__c\nAcme,red\n", "text/csv");
        var (_, polled) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{job}/batch/{Value(batch, "id")}");
        var (_, info) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{job}");

        Assert.Equal("Failed", Value(polled, "state"));
        Assert.StartsWith("InvalidBatch : ", Value(polled, "stateMessage"), StringComparison.Ordinal);
        Assert.Equal("1", Value(info, "numberBatchesFailed"));
    }

    [Fact]
    public async Task A_query_job_lists_result_ids_and_serves_the_rows()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var schema = emulator.Org.Schema.Find("Account")!;
        var acme = emulator.Org.Create(schema, new Dictionary<string, object?> { ["Name"] = "Acme \"Big\"", ["Industry"] = "Media" });
        var globex = emulator.Org.Create(schema, new Dictionary<string, object?> { ["Name"] = "Globex" });
        var csvJob = await CreateJob(http, "query", "Account", "CSV");
        var (_, batch) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{csvJob}/batch", "SELECT Id, Name, Industry FROM Account ORDER BY Name", "text/csv");
        var (_, polled) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{csvJob}/batch/{Value(batch, "id")}");
        var (_, resultList) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{csvJob}/batch/{Value(batch, "id")}/result");
        var resultIds = resultList.Elements(Ns + "result").Select(e => e.Value).ToList();
        var rows = await GetText(http, $"{Jobs}/{csvJob}/batch/{Value(batch, "id")}/result/{resultIds[0]}");
        var xmlJob = await CreateJob(http, "query", "Account", "XML");
        var (_, xmlBatch) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{xmlJob}/batch", "SELECT Id, Name FROM Account WHERE Name = 'Globex'");
        var (_, xmlList) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{xmlJob}/batch/{Value(xmlBatch, "id")}/result");
        var (_, xmlRows) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{xmlJob}/batch/{Value(xmlBatch, "id")}/result/{xmlList.Element(Ns + "result")!.Value}");

        // BULK asynch_api_bulk_query_processing.htm: <result-list><result>id</result></result-list>, then the rows.
        Assert.Equal(("Completed", "2"), (Value(polled, "state"), Value(polled, "numberRecordsProcessed")));
        Assert.Equal(Ns + "result-list", resultList.Name);
        Assert.Single(resultIds);
        Assert.Equal($"\"Id\",\"Name\",\"Industry\"\n\"{acme}\",\"Acme \"\"Big\"\"\",\"Media\"\n\"{globex}\",\"Globex\",\"\"\n", rows);
        var record = Assert.Single(xmlRows.Elements(Ns + "records"));
        Assert.Equal(Ns + "queryResult", xmlRows.Name);
        Assert.Equal(("Account", "Globex"), (Value(record, "type"), Value(record, "Name")));
    }

    [Fact]
    public async Task JSON_query_results_write_dateTimes_as_epoch_milliseconds()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var account = emulator.Org.Create(emulator.Org.Schema.Find("Account")!, new Dictionary<string, object?> { ["Name"] = "Acme" });
        using var create = await http.PostAsync(new Uri(Jobs, UriKind.Relative), new StringContent("""{"operation":"query","object":"Account","contentType":"JSON"}""", Encoding.UTF8, "application/json"), Ct);
        var job = JsonDocument.Parse(await create.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString();
        using var add = await http.PostAsync(new Uri($"{Jobs}/{job}/batch", UriKind.Relative), new StringContent("SELECT Id, Name, CreatedDate FROM Account", Encoding.UTF8, "application/json"), Ct);
        var batch = JsonDocument.Parse(await add.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString();
        var resultId = JsonDocument.Parse(await GetText(http, $"{Jobs}/{job}/batch/{batch}/result")).RootElement[0].GetString();
        var row = JsonDocument.Parse(await GetText(http, $"{Jobs}/{job}/batch/{batch}/result/{resultId}")).RootElement[0];

        // simple-salesforce issue #290, recorded against a real org: "'CreatedDate': 1546659665000" with the REST attributes.
        Assert.Equal(("Account", account, "Acme"), (row.GetProperty("attributes").GetProperty("type").GetString(), row.GetProperty("Id").GetString(), row.GetProperty("Name").GetString()));
        Assert.Equal(JsonValueKind.Number, row.GetProperty("CreatedDate").ValueKind);
        Assert.Equal(emulator.Org.Find(account)!["CreatedDate"] is DateTimeOffset created ? created.ToUnixTimeMilliseconds() : -1, row.GetProperty("CreatedDate").GetInt64());
    }

    [Fact]
    public async Task PK_chunking_splits_a_query_into_batches_by_id_and_leaves_the_original_NotProcessed()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var schema = emulator.Org.Schema.Find("Account")!;
        for (var i = 0; i < 5; i++)
        {
            emulator.Org.Create(schema, new Dictionary<string, object?> { ["Name"] = $"A{i}" });
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Jobs, UriKind.Relative)) { Content = new StringContent(JobXml("query", "Account", "CSV"), Encoding.UTF8, "application/xml") };
        request.Headers.Add("Sforce-Enable-PKChunking", "chunkSize=2");
        using var created = await http.SendAsync(request, Ct);
        var job = Value(XDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).Root!, "id");
        var (_, original) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{job}/batch", "SELECT Name FROM Account", "text/csv");
        var (_, list) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{job}/batch");
        var batches = list.Elements(Ns + "batchInfo").ToList();
        var names = new List<string>();
        foreach (var chunk in batches.Where(b => Value(b, "state") == "Completed"))
        {
            var (_, ids) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{job}/batch/{Value(chunk, "id")}/result");
            foreach (var resultId in ids.Elements(Ns + "result"))
            {
                names.AddRange(CsvLines(await GetText(http, $"{Jobs}/{job}/batch/{Value(chunk, "id")}/result/{resultId.Value}")).Skip(1).Select(r => r[0]));
            }
        }

        // BULK async_api_headers_enable_pk_chunking.htm: one batch per chunk; the original batch is NotProcessed.
        Assert.Equal("NotProcessed", Value(batches.Single(b => Value(b, "id") == Value(original, "id")), "state"));
        Assert.Equal(3, batches.Count(b => Value(b, "state") == "Completed"));
        Assert.Equal(["A0", "A1", "A2", "A3", "A4"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_query_batch_with_bad_SOQL_fails_with_InvalidBatch()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var job = await CreateJob(http, "query", "Account", "CSV");
        var (_, batch) = await SendXml(http, HttpMethod.Post, $"{Jobs}/{job}/batch", "SELECT FROM Account", "text/csv");
        var (_, polled) = await SendXml(http, HttpMethod.Get, $"{Jobs}/{job}/batch/{Value(batch, "id")}");

        Assert.Equal("Failed", Value(polled, "state"));
        Assert.StartsWith("InvalidBatch : Failed to process query", Value(polled, "stateMessage"), StringComparison.Ordinal);
    }
}
