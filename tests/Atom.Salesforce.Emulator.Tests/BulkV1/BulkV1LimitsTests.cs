using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace Atom.Salesforce.Emulator.Tests.BulkV1;

/// <summary>
/// Bulk API 1.0 batch limits and zip batches (BULK <c>asynch_api_concepts_limits.htm</c> "Batch size",
/// <c>binary_intro.htm</c>, <c>asynch_api_reference_errors.htm</c>). The refusals' texts are the ones clients recorded
/// from Salesforce: "Failed to read request. Exceeded max size limit of 10000000" (ClientInputError; jsforce#31) and
/// "InvalidBatch : Exceeded number of records: 10002. Number of records should be less than or equal to 10001"
/// (salesforce.stackexchange.com/questions/332337). Zip problems are asserted by their documented code only.
/// </summary>
public sealed class BulkV1LimitsTests
{
    private const string Jobs = "/services/async/66.0/job";
    private static readonly XNamespace Ns = "http://www.force.com/2009/06/asyncapi/dataload";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_ZIP_CSV_job_loads_the_records_of_the_zips_request_txt_and_answers_CSV_results()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var (created, job) = await Send(http, Jobs, Encoding.UTF8.GetBytes(JobXml("insert", "Account", "ZIP_CSV")), "application/xml");
        var id = Value(job, "id");

        var (added, batch) = await Send(http, $"{Jobs}/{id}/batch", Zip(("request.txt", "Name,Industry\nAcme,Media\nGlobex,Energy\n"), ("logo.png", "\u0089PNG")), "zip/csv");
        var (_, polled) = await Send(http, $"{Jobs}/{id}/batch/{Value(batch, "id")}", null, null);
        var results = await http.GetStringAsync(new Uri($"{Jobs}/{id}/batch/{Value(batch, "id")}/result", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("ZIP_CSV", Value(job, "contentType"));
        Assert.Equal(HttpStatusCode.Created, added);
        Assert.Equal(("Completed", "2", "0"), (Value(polled, "state"), Value(polled, "numberRecordsProcessed"), Value(polled, "numberRecordsFailed")));
        Assert.StartsWith("\"Id\",\"Success\",\"Created\",\"Error\"", results, StringComparison.Ordinal);
        Assert.Equal(["Acme", "Globex"], emulator.Org.Records(emulator.Org.Schema.Find("Account")!).Select(r => (string?)r["Name"]).Order());
    }

    [Fact]
    public async Task A_ZIP_JSON_job_answers_in_JSON_and_loads_a_JSON_request_txt()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        using var create = new StringContent("""{"operation":"insert","object":"Contact","contentType":"ZIP_JSON"}""", Encoding.UTF8, "application/json");
        using var createResponse = await http.PostAsync(new Uri(Jobs, UriKind.Relative), create, Ct);
        var job = JsonDocument.Parse(await createResponse.Content.ReadAsStringAsync(Ct)).RootElement;
        using var batchContent = new ByteArrayContent(Zip(("request.txt", """[{"LastName":"Doe"},{"FirstName":"No last name"}]""")));
        batchContent.Headers.ContentType = new MediaTypeHeaderValue("zip/json");
        using var batchResponse = await http.PostAsync(new Uri($"{Jobs}/{job.GetProperty("id").GetString()}/batch", UriKind.Relative), batchContent, Ct);
        var batch = JsonDocument.Parse(await batchResponse.Content.ReadAsStringAsync(Ct)).RootElement;
        var results = JsonDocument.Parse(await http.GetStringAsync(new Uri($"{Jobs}/{job.GetProperty("id").GetString()}/batch/{batch.GetProperty("id").GetString()}/result", UriKind.Relative), Ct)).RootElement;

        Assert.Equal((HttpStatusCode.Created, "ZIP_JSON"), (createResponse.StatusCode, job.GetProperty("contentType").GetString()));
        Assert.Equal(HttpStatusCode.Created, batchResponse.StatusCode);
        Assert.Equal(2, results.GetArrayLength());
        Assert.True(results[0].GetProperty("success").GetBoolean());
        Assert.False(results[1].GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task A_zip_batch_without_request_txt_is_refused_with_InvalidBatch()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var (_, job) = await Send(http, Jobs, Encoding.UTF8.GetBytes(JobXml("insert", "Account", "ZIP_CSV")), "application/xml");

        var (status, error) = await Send(http, $"{Jobs}/{Value(job, "id")}/batch", Zip(("data.csv", "Name\nAcme\n")), "zip/csv");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((Ns + "error", "InvalidBatch"), (error.Name, Value(error, "exceptionCode")));
        Assert.Empty(emulator.Org.Records(emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task A_batch_of_10001_records_fails_as_a_whole_and_one_of_10000_is_processed()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var (_, job) = await Send(http, Jobs, Encoding.UTF8.GetBytes(JobXml("insert", "Account", "CSV")), "application/xml");
        var id = Value(job, "id");
        static byte[] Rows(int count) => Encoding.UTF8.GetBytes("Name\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"A{i}\n")));

        var (_, tooMany) = await Send(http, $"{Jobs}/{id}/batch", Rows(10_001), "text/csv");
        var (_, polledTooMany) = await Send(http, $"{Jobs}/{id}/batch/{Value(tooMany, "id")}", null, null);
        var accountsAfterRefusal = emulator.Org.Records(emulator.Org.Schema.Find("Account")!).Count;
        var (_, full) = await Send(http, $"{Jobs}/{id}/batch", Rows(10_000), "text/csv");
        var (_, polledFull) = await Send(http, $"{Jobs}/{id}/batch/{Value(full, "id")}", null, null);

        Assert.Equal("Failed", Value(polledTooMany, "state"));
        Assert.Equal("InvalidBatch : Exceeded number of records: 10002. Number of records should be less than or equal to 10001", Value(polledTooMany, "stateMessage"));
        Assert.Equal(0, accountsAfterRefusal);
        Assert.Equal(("Completed", "10000"), (Value(polledFull, "state"), Value(polledFull, "numberRecordsProcessed")));
    }

    [Fact]
    public async Task A_batch_over_10000000_bytes_is_refused_with_ClientInputError()
    {
        var emulator = new SalesforceEmulator();
        using var http = Client(emulator);
        var (_, job) = await Send(http, Jobs, Encoding.UTF8.GetBytes(JobXml("insert", "Account", "CSV")), "application/xml");
        var body = Encoding.UTF8.GetBytes("Name,Description\n" + new string('x', 10_000_000));

        var (status, error) = await Send(http, $"{Jobs}/{Value(job, "id")}/batch", body, "text/csv");
        var (_, info) = await Send(http, $"{Jobs}/{Value(job, "id")}", null, null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("ClientInputError", "Failed to read request. Exceeded max size limit of 10000000"), (Value(error, "exceptionCode"), Value(error, "exceptionMessage")));
        Assert.Equal("0", Value(info, "numberBatchesTotal"));
    }

    private static HttpClient Client(SalesforceEmulator emulator)
    {
        var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        http.DefaultRequestHeaders.Add("X-SFDC-Session", emulator.Options.AccessToken);
        return http;
    }

    private static string JobXml(string operation, string objectName, string contentType) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload">
          <operation>{operation}</operation>
          <object>{objectName}</object>
          <contentType>{contentType}</contentType>
        </jobInfo>
        """;

    private static byte[] Zip(params (string Name, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }

    private static async Task<(HttpStatusCode Status, XElement Root)> Send(HttpClient http, string path, byte[]? body, string? contentType)
    {
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
        }

        using var response = await http.SendAsync(request, Ct);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!);
    }

    private static string Value(XElement element, string name) => element.Element(Ns + name)?.Value ?? throw new Xunit.Sdk.XunitException($"<{name}> missing from {element}");
}
