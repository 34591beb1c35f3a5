using System.Net;
using System.Text;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Atom.Salesforce.Soql;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Bulk;

public sealed class BulkQueryTests
{
    private const string JobId = "750R0000000zlh9IAA";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BulkQueryOptions Fast => new() { PollInterval = TimeSpan.Zero, MaxPollInterval = TimeSpan.Zero, MaxRecordsPerPage = 2 };

    public sealed class Account
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public decimal? AnnualRevenue { get; set; }
        public DateTimeOffset? CreatedDate { get; set; }
        public bool IsPartner { get; set; }
    }

    private static string Job(string state) =>
        $$"""{"id":"{{JobId}}","operation":"query","object":"Account","state":"{{state}}","apiVersion":60.0,"jobType":"V2Query","numberRecordsProcessed":3}""";

    private static HttpResponseMessage Page(string csv, string locator, int count)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        response.Headers.Add("Sforce-Locator", locator);
        response.Headers.Add("Sforce-NumberOfRecords", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response;
    }

    private static void ExpectJob(SalesforceTestHost host, string operation = "query")
    {
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("jobs/query/"))
            .WithContent($$"""{"operation":"{{operation}}","query":"SELECT Id, Name, AnnualRevenue, CreatedDate, IsPartner FROM Account","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""")
            .Respond("application/json", Job(BulkJobState.UploadComplete));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/query/{JobId}/")).Respond("application/json", Job(BulkJobState.InProgress));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/query/{JobId}/")).Respond("application/json", Job(BulkJobState.JobComplete));
    }

    private static void ExpectPages(SalesforceTestHost host)
    {
        // Results are read with the job's version (60.0), page by page, until the locator is the literal "null".
        var results = $"https://acme.my.salesforce.com/services/data/v60.0/jobs/query/{JobId}/results/";
        host.Http.Expect(HttpMethod.Get, results).WithExactQueryString("maxRecords=2").WithHeaders("Accept", "text/csv")
            .Respond(_ => Page("\"Id\",\"Name\",\"AnnualRevenue\",\"CreatedDate\",\"IsPartner\"\n\"001000000000001AAA\",\"Acme, \"\"Inc\"\"\",\"1250000.5\",\"2013-05-20T20:49:32.000+0000\",\"true\"\n\"001000000000002AAA\",\"Zoë\nSecond line\",\"\",\"\",\"false\"\n", "MTAwMDA", 2));
        host.Http.Expect(HttpMethod.Get, results).WithExactQueryString("locator=MTAwMDA&maxRecords=2")
            .Respond(_ => Page("\"Id\",\"Name\",\"AnnualRevenue\",\"CreatedDate\",\"IsPartner\"\n\"001000000000003AAA\",\"Last\",\"\",\"\",\"false\"\n", "null", 1));
    }

    [Fact]
    public async Task Records_stream_across_every_page_as_POCOs()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host);
        ExpectPages(host);
        var progress = new List<BulkJobProgress>();

        var records = new List<Account>();
        await foreach (var account in host.Client.Bulk.QueryAsync<Account>("SELECT Id, Name, AnnualRevenue, CreatedDate, IsPartner FROM Account", new BulkQueryOptions { PollInterval = TimeSpan.Zero, MaxPollInterval = TimeSpan.Zero, MaxRecordsPerPage = 2, Progress = new SyncProgress(progress) }, Ct))
        {
            records.Add(account);
        }

        Assert.Equal(["001000000000001AAA", "001000000000002AAA", "001000000000003AAA"], records.Select(r => r.Id));
        Assert.Equal("Acme, \"Inc\"", records[0].Name);
        Assert.Equal(1250000.5m, records[0].AnnualRevenue);
        Assert.Equal(new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero), records[0].CreatedDate);
        Assert.True(records[0].IsPartner);
        Assert.Equal("Zoë\nSecond line", records[1].Name);
        Assert.Null(records[1].AnnualRevenue);
        Assert.Equal([BulkJobState.InProgress, BulkJobState.JobComplete], progress.Select(p => p.State));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Records_stream_as_SObjects_with_empty_cells_as_null()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host, "queryAll");
        ExpectPages(host);
        var options = Fast;
        options.IncludeDeleted = true;

        var records = new List<SObject>();
        await foreach (var record in host.Client.Bulk.QueryAsync<SObject>("SELECT Id, Name, AnnualRevenue, CreatedDate, IsPartner FROM Account", options, cancellationToken: Ct))
        {
            records.Add(record);
        }

        Assert.Equal(3, records.Count);
        Assert.Equal("Account", records[0].Type);
        Assert.Equal("001000000000003AAA", records[2].Id);
        Assert.Equal(1250000.5m, records[0].Get<decimal>("AnnualRevenue"));
        Assert.Null(records[1]["AnnualRevenue"]);
        Assert.Empty(records[0].FieldsToSend);
    }

    [Fact]
    public async Task A_typed_builder_runs_as_a_job_of_its_soql_and_streams_its_type()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host);   // the builder selects every simple property of Account, in declaration order
        ExpectPages(host);

        var ids = new List<string?>();
        await foreach (var account in host.Client.Bulk.QueryAsync(SoqlBuilder.From<Account>(), Fast, Ct))
        {
            ids.Add(account.Id);
        }

        Assert.Equal(["001000000000001AAA", "001000000000002AAA", "001000000000003AAA"], ids);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_syntax_tree_runs_as_a_job_of_its_canonical_text()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host);
        ExpectPages(host);
        var query = SoqlQuery.Parse("select Id, Name, AnnualRevenue, CreatedDate, IsPartner from Account");

        var records = new List<SObject>();
        await foreach (var record in host.Client.Bulk.QueryAsync<SObject>(query, Fast, Ct))
        {
            records.Add(record);
        }

        Assert.Equal(3, records.Count);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Raw_CSV_of_a_syntax_tree_is_the_job_of_its_canonical_text()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host);
        ExpectPages(host);
        var query = SoqlQuery.Parse("SELECT Id, Name, AnnualRevenue, CreatedDate, IsPartner FROM Account");

        using var output = new MemoryStream();
        await foreach (var chunk in host.Client.Bulk.QueryCsvAsync(query, Fast, Ct))
        {
            output.Write(chunk.Span);
        }

        Assert.EndsWith("\"001000000000003AAA\",\"Last\",\"\",\"\",\"false\"\n", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Raw_CSV_has_one_header_and_every_page()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host);
        ExpectPages(host);

        using var output = new MemoryStream();
        await foreach (var chunk in host.Client.Bulk.QueryCsvAsync("SELECT Id, Name, AnnualRevenue, CreatedDate, IsPartner FROM Account", Fast, cancellationToken: Ct))
        {
            output.Write(chunk.Span);
        }

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(1, text.Split("\"Id\",\"Name\"").Length - 1);
        Assert.EndsWith("\"001000000000003AAA\",\"Last\",\"\",\"\",\"false\"\n", text, StringComparison.Ordinal);
        Assert.Contains("\"Zoë\nSecond line\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_job_raises_its_error_message()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("jobs/query/")).Respond("application/json", Job(BulkJobState.UploadComplete));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/query/{JobId}/"))
            .Respond("application/json", Job(BulkJobState.Failed).Replace("}", ",\"errorMessage\":\"INVALID_FIELD: No such column\"}", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<BulkJobException>(async () =>
        {
            await foreach (var _ in host.Client.Bulk.QueryAsync<SObject>("SELECT Nope FROM Account", Fast, cancellationToken: Ct))
            {
            }
        });

        Assert.Contains(JobId, error.Message, StringComparison.Ordinal);
        Assert.Contains("No such column", error.Message, StringComparison.Ordinal);
        Assert.Equal((JobId, BulkJobState.Failed), (error.JobId, error.LastKnownState));
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_result_page_whose_connection_breaks_is_fetched_again_by_its_locator_and_no_row_repeats()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host);
        var results = $"https://acme.my.salesforce.com/services/data/v60.0/jobs/query/{JobId}/results/";
        const string first = "\"Id\",\"Name\",\"AnnualRevenue\",\"CreatedDate\",\"IsPartner\"\n\"001000000000001AAA\",\"One\",\"\",\"\",\"false\"\n\"001000000000002AAA\",\"Two\",\"\",\"\",\"false\"\n";
        host.Http.Expect(HttpMethod.Get, results).WithExactQueryString("maxRecords=2").Respond(_ =>
        {
            var broken = Page(first, "MTAwMDA", 2);
            broken.Content = new BreakingContent(first, first.IndexOf("Two", StringComparison.Ordinal), "text/csv");
            return broken;
        });
        host.Http.Expect(HttpMethod.Get, results).WithExactQueryString("maxRecords=2").Respond(_ => Page(first, "MTAwMDA", 2));
        host.Http.Expect(HttpMethod.Get, results).WithExactQueryString("locator=MTAwMDA&maxRecords=2")
            .Respond(_ => Page("\"Id\",\"Name\",\"AnnualRevenue\",\"CreatedDate\",\"IsPartner\"\n\"001000000000003AAA\",\"Three\",\"\",\"\",\"false\"\n", "null", 1));

        var names = new List<string?>();
        await foreach (var account in host.Client.Bulk.QueryAsync<Account>("SELECT Id, Name, AnnualRevenue, CreatedDate, IsPartner FROM Account", Fast, cancellationToken: Ct))
        {
            names.Add(account.Name);
        }

        Assert.Equal(["One", "Two", "Three"], names);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_refused_query_is_an_api_error()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("jobs/query/"))
            .Respond(HttpStatusCode.BadRequest, "application/json", """[{"errorCode":"INVALIDJOB","message":"InvalidJob : Aggregate queries are not supported"}]""");

        var error = await Assert.ThrowsAsync<SalesforceApiException>(async () =>
        {
            await foreach (var _ in host.Client.Bulk.QueryAsync<SObject>("SELECT COUNT() FROM Account", Fast, cancellationToken: Ct))
            {
            }
        });

        Assert.Equal("INVALIDJOB", error.ErrorCode);
    }

    [Fact]
    public async Task A_cell_that_does_not_fit_the_property_names_the_job_and_the_column()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host);
        host.Http.Expect(HttpMethod.Get, $"https://acme.my.salesforce.com/services/data/v60.0/jobs/query/{JobId}/results/")
            .Respond(_ => Page("\"Id\",\"AnnualRevenue\"\n\"001000000000001AAA\",\"lots\"\n", "null", 1));

        var error = await Assert.ThrowsAsync<BulkJobException>(async () =>
        {
            await foreach (var _ in host.Client.Bulk.QueryAsync<Account>("SELECT Id, Name, AnnualRevenue, CreatedDate, IsPartner FROM Account", Fast, cancellationToken: Ct))
            {
            }
        });

        Assert.Contains(JobId, error.Message, StringComparison.Ordinal);
        Assert.IsType<FormatException>(error.InnerException);
        Assert.Contains("AnnualRevenue", error.Message, StringComparison.Ordinal);
    }

    private sealed class SyncProgress(List<BulkJobProgress> seen) : IProgress<BulkJobProgress>
    {
        public void Report(BulkJobProgress value) => seen.Add(value);
    }
}
