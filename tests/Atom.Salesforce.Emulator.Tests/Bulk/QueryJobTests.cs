using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Bulk;

public sealed class QueryJobTests
{
    private const string Jobs = "/services/data/v66.0/jobs/query";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_query_job_pages_its_CSV_results_with_locators_until_the_literal_null()
    {
        await using var org = new EmulatedOrg();
        var accounts = org.Emulator.Org.Schema.Find("Account")!;
        var parent = org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = "Parent, \"Inc\"" });
        for (var i = 0; i < 25; i++)
        {
            org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = $"Child {i:D2}", ["ParentId"] = parent, ["AnnualRevenue"] = i * 10m });
        }

        var created = await Create(org, new { operation = "query", query = "SELECT Id, Name, Parent.Name, AnnualRevenue, CreatedDate FROM Account WHERE ParentId != null ORDER BY Name" });
        var info = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri($"{Jobs}/{created}", UriKind.Relative), Ct)).RootElement;
        var pages = new List<string>();
        var locator = string.Empty;
        var counts = new List<int>();
        while (locator != "null")
        {
            using var page = await org.Http.GetAsync(new Uri($"{Jobs}/{created}/results?maxRecords=10{(locator.Length > 0 ? "&locator=" + locator : string.Empty)}", UriKind.Relative), Ct);
            Assert.Equal("text/csv", page.Content.Headers.ContentType!.MediaType);
            counts.Add(int.Parse(page.Headers.GetValues("Sforce-NumberOfRecords").Single(), System.Globalization.CultureInfo.InvariantCulture));
            locator = page.Headers.GetValues("Sforce-Locator").Single();
            pages.Add(await page.Content.ReadAsStringAsync(Ct));
        }

        Assert.Equal(("JobComplete", "V2Query", 25), (info.GetProperty("state").GetString(), info.GetProperty("jobType").GetString(), info.GetProperty("numberRecordsProcessed").GetInt32()));
        Assert.Equal([10, 10, 5], counts);
        Assert.All(pages, p => Assert.StartsWith("Id,Name,Parent.Name,AnnualRevenue,CreatedDate\n", p, StringComparison.Ordinal));
        var first = pages[0].Split('\n')[1].Split(',');
        Assert.Equal("Child 00", first[1]);
        Assert.Equal("\"Parent", first[2]);
        Assert.Contains(",\"Parent, \"\"Inc\"\"\",", pages[0], StringComparison.Ordinal);
        Assert.EndsWith("Z", pages[0].Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains(",0.0,", pages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_maxRecords_the_server_puts_as_many_rows_on_a_page_as_it_can_not_a_fixed_ten_thousand()
    {
        // BULK query_get_job_results.htm: without maxRecords "the server uses a default value based on the service";
        // clients that concatenate pages see the whole (small) result on the first page with the locator "null".
        await using var org = new EmulatedOrg();
        var accounts = org.Emulator.Org.Schema.Find("Account")!;
        for (var i = 0; i < 12_000; i++)
        {
            org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = $"A{i}" });
        }

        var created = await Create(org, new { operation = "query", query = "SELECT Id, Name FROM Account" });
        using var page = await org.Http.GetAsync(new Uri($"{Jobs}/{created}/results", UriKind.Relative), Ct);
        var lines = (await page.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("12000", page.Headers.GetValues("Sforce-NumberOfRecords").Single());
        Assert.Equal("null", page.Headers.GetValues("Sforce-Locator").Single());
        Assert.Equal(12_001, lines.Length);
    }

    [Fact]
    public async Task Generated_records_follow_the_stored_ones_in_a_plain_query_job_only()
    {
        // Org.AddGenerated (load runs): records made when a query job reads them, copies of one the org wrote.
        await using var org = new EmulatedOrg();
        var accounts = org.Emulator.Org.Schema.Find("Account")!;
        var template = org.Emulator.Org.Find(org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = "Template", ["AnnualRevenue"] = 5m }))!;
        org.Emulator.Org.AddGenerated("Account", 15, i =>
        {
            var copy = template.CopyAs(Atom.Salesforce.Emulator.Data.RecordIds.Create(accounts.KeyPrefix, 1_000_000 + i));
            copy["Name"] = $"Generated {i:D2}";
            return copy;
        });

        var plain = await Create(org, new { operation = "query", query = "SELECT Id, Name, AnnualRevenue FROM Account" });
        var info = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri($"{Jobs}/{plain}", UriKind.Relative), Ct)).RootElement;
        var rows = new List<string>();
        var locator = string.Empty;
        while (locator != "null")
        {
            using var page = await org.Http.GetAsync(new Uri($"{Jobs}/{plain}/results?maxRecords=7{(locator.Length > 0 ? "&locator=" + locator : string.Empty)}", UriKind.Relative), Ct);
            locator = page.Headers.GetValues("Sforce-Locator").Single();
            rows.AddRange((await page.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
        }

        Assert.Equal(16, info.GetProperty("numberRecordsProcessed").GetInt32());
        Assert.Equal(16, rows.Count);
        Assert.EndsWith(",Template,5.0", rows[0], StringComparison.Ordinal);
        Assert.EndsWith(",Generated 14,5.0", rows[^1], StringComparison.Ordinal);
        Assert.Equal(16, rows.Select(r => r.Split(',')[0]).Distinct().Count());

        // A filtered job, and REST queries, see the stored records only.
        var filtered = await Create(org, new { operation = "query", query = "SELECT Id FROM Account WHERE AnnualRevenue = 5" });
        using var filteredPage = await org.Http.GetAsync(new Uri($"{Jobs}/{filtered}/results", UriKind.Relative), Ct);
        Assert.Equal("1", filteredPage.Headers.GetValues("Sforce-NumberOfRecords").Single());
        var rest = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/query?q=SELECT+Id+FROM+Account", UriKind.Relative), Ct)).RootElement;
        Assert.Equal(1, rest.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Unsupported_queries_are_refused_at_creation_and_results_need_the_job_version()
    {
        await using var org = new EmulatedOrg();

        using var aggregate = await org.Http.PostAsJsonAsync(Jobs, new { operation = "query", query = "SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry" }, Ct);
        using var subquery = await org.Http.PostAsJsonAsync(Jobs, new { operation = "query", query = "SELECT Id, (SELECT Id FROM Contacts) FROM Account" }, Ct);
        using var malformed = await org.Http.PostAsJsonAsync(Jobs, new { operation = "query", query = "SELECT FROM Account" }, Ct);
        var id = await Create(org, new { operation = "queryAll", query = "SELECT Id FROM Account" });
        using var otherVersion = await org.Http.GetAsync(new Uri($"/services/data/v60.0/jobs/query/{id}/results", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, aggregate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, subquery.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("MALFORMED_QUERY", await malformed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, otherVersion.StatusCode);
    }

    [Fact]
    public async Task QueryAll_jobs_include_deleted_rows_and_an_empty_result_has_only_a_header()
    {
        await using var org = new EmulatedOrg();
        var accounts = org.Emulator.Org.Schema.Find("Account")!;
        var gone = org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = "Gone" });
        org.Emulator.Org.Delete(accounts, gone);

        var all = await Create(org, new { operation = "queryAll", query = "SELECT Id, IsDeleted FROM Account" });
        var live = await Create(org, new { operation = "query", query = "SELECT Id, IsDeleted FROM Account" });
        using var allPage = await org.Http.GetAsync(new Uri($"{Jobs}/{all}/results", UriKind.Relative), Ct);
        using var livePage = await org.Http.GetAsync(new Uri($"{Jobs}/{live}/results", UriKind.Relative), Ct);

        Assert.Equal($"Id,IsDeleted\n{gone},true\n", await allPage.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Id,IsDeleted\n", await livePage.Content.ReadAsStringAsync(Ct));
        Assert.Equal("null", livePage.Headers.GetValues("Sforce-Locator").Single());
    }

    private static async Task<string> Create(EmulatedOrg org, object body)
    {
        using var response = await org.Http.PostAsJsonAsync(Jobs, body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("UploadComplete", job.GetProperty("state").GetString());
        return job.GetProperty("id").GetString()!;
    }
}
