using System.Net;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>query and queryAll paging through locators, batch sizes, snapshots, and deleted records.</summary>
public sealed class PagingTests
{
    private const int Count = 5_234;

    private static EmulatedOrg Accounts(int count = Count)
    {
        var org = QueryTestOrg.Create();
        for (var i = 0; i < count; i++)
        {
            org.Seed("Account", ("Name", $"Account {i:D5}"), ("NumberOfEmployees", (decimal)i));
        }

        return org;
    }

    [Theory]
    [InlineData(null, 2000)]
    [InlineData(200, 200)]
    [InlineData(500, 500)]
    [InlineData(1999, 1999)]
    public async Task The_SDK_pages_through_every_record_in_batches_of_the_asked_size(int? batchSize, int expectedPage)
    {
        await using var org = Accounts();

        var pages = new List<QueryResult<SObject>>();
        await foreach (var page in org.Client.Query.QueryAsync<SObject>("SELECT Name, NumberOfEmployees FROM Account ORDER BY NumberOfEmployees", new QueryOptions { BatchSize = batchSize }, cancellationToken: QueryTestOrg.Ct).AsPages())
        {
            pages.Add(page);
        }

        var records = pages.SelectMany(p => p.Records).ToList();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"Account {i:D5}"), records.Select(r => r.Get<string>("Name")));
        Assert.All(pages, p => Assert.Equal(Count, p.TotalSize));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(expectedPage, p.Records.Count));
        Assert.All(pages.SkipLast(1), p => Assert.False(p.Done));
        Assert.True(pages[^1].Done);
        Assert.Null(pages[^1].NextRecordsUrl);
        Assert.Equal((Count + expectedPage - 1) / expectedPage, pages.Count);
    }

    [Theory]
    [InlineData("batchSize=50", 200)]
    [InlineData("batchSize=5000", 2000)]
    [InlineData("batchSize=oops", 2000)]
    public async Task A_batch_size_out_of_range_takes_the_nearest_bound(string header, int expected)
    {
        await using var org = Accounts(2_500);

        var (status, body) = await org.GetAsync("/services/data/v66.0/query?q=SELECT+Id+FROM+Account", header);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, body.GetProperty("records").GetArrayLength());
        Assert.Matches(@"^/services/data/v66\.0/query/01g\w{15}-" + expected + "$", body.GetProperty("nextRecordsUrl").GetString());
        Assert.Equal(["totalSize", "done", "nextRecordsUrl", "records"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_locator_pages_over_the_rows_as_they_were_when_the_query_ran()
    {
        await using var org = Accounts(2_300);
        var (_, first) = await org.GetAsync("/services/data/v66.0/query?q=SELECT+Name+FROM+Account", "batchSize=2000");
        var next = first.GetProperty("nextRecordsUrl").GetString()!;
        var schema = org.Data().Schema.Find("Account")!;
        var last = org.Data().Records(schema)[^1];
        org.Data().Update(schema, last.Id, new Dictionary<string, object?> { ["Name"] = "Renamed" });
        org.Data().Delete(schema, org.Data().Records(schema)[^2].Id);
        org.Seed("Account", ("Name", "Newcomer"));

        var (_, second) = await org.GetAsync(next);

        Assert.Equal(2_300, second.GetProperty("totalSize").GetInt32());
        Assert.True(second.GetProperty("done").GetBoolean());
        var names = second.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Name").GetString()).ToList();
        Assert.Equal(300, names.Count);
        Assert.Equal(["Account 02298", "Account 02299"], names[^2..]);
    }

    [Fact]
    public async Task An_unknown_or_finished_locator_is_INVALID_QUERY_LOCATOR()
    {
        await using var org = Accounts(2_100);
        var (_, first) = await org.GetAsync("/services/data/v66.0/query?q=SELECT+Name+FROM+Account");
        var next = first.GetProperty("nextRecordsUrl").GetString()!;
        await org.GetAsync(next);

        var (finishedStatus, finished) = await org.GetAsync(next);
        var (unknownStatus, unknown) = await org.GetAsync("/services/data/v66.0/query/01gHs0000000000AAA-2000");
        var (badStatus, bad) = await org.GetAsync("/services/data/v66.0/queryAll/nonsense-x");
        var sdk = await Assert.ThrowsAsync<SalesforceApiException>(async () =>
        {
            await foreach (var page in org.Client.Query.QueryAsync<SObject>("SELECT Id FROM Account", cancellationToken: QueryTestOrg.Ct).AsPages(next))
            {
                Assert.Fail($"no page expected, got {page.Records.Count} records");
            }
        });

        Assert.All([finishedStatus, unknownStatus, badStatus], s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.All([finished, unknown, bad], b => Assert.Equal("INVALID_QUERY_LOCATOR", b[0].GetProperty("errorCode").GetString()));
        Assert.Equal("INVALID_QUERY_LOCATOR", sdk.ErrorCode);
    }

    [Fact]
    public async Task queryAll_returns_deleted_records_with_IsDeleted_and_query_does_not()
    {
        await using var org = QueryTestOrg.Create();
        var kept = await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Kept" }, QueryTestOrg.Ct);
        var gone = await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Gone" }, QueryTestOrg.Ct);
        await org.Client.SObjects.DeleteAsync("Account", gone, QueryTestOrg.Ct);

        var live = await org.QueryAsync("SELECT Name, IsDeleted FROM Account");
        var all = await org.QueryAsync("SELECT Name, IsDeleted FROM Account ORDER BY Name", new QueryOptions { IncludeDeleted = true });
        var deletedOnly = await org.QueryAsync("SELECT Id FROM Account WHERE IsDeleted = true", new QueryOptions { IncludeDeleted = true });
        var (status, _) = await org.SoqlAsync("SELECT Id FROM Account", "queryAll");

        Assert.Equal(["Kept"], live.Select(r => r.Get<string>("Name")));
        Assert.Equal([("Gone", true), ("Kept", false)], all.Select(r => (r.Get<string>("Name"), r.Get<bool>("IsDeleted"))));
        Assert.Equal([gone], deletedOnly.Select(r => r.Id));
        Assert.NotEqual(kept, gone);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_query_with_OFFSET_answers_its_first_batch_without_a_locator()
    {
        await using var org = Accounts(2_600);

        var (_, body) = await org.GetAsync("/services/data/v66.0/query?q=SELECT+Id+FROM+Account+OFFSET+100", "batchSize=1000");

        Assert.True(body.GetProperty("done").GetBoolean());
        Assert.False(body.TryGetProperty("nextRecordsUrl", out _));
        Assert.Equal(1000, body.GetProperty("records").GetArrayLength());
    }
}
