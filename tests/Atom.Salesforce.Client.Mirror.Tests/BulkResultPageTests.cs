using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// Bulk API 2.0 query results page by page (the mirror's resumable load): a job created without waiting, each page with its
/// column names and the locator of the next (Bulk API 2.0 Developer Guide, "Get Results for a Query Job": Sforce-Locator,
/// maxRecords), a page read again by its locator giving the same rows.
/// </summary>
public sealed class BulkResultPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Result_pages_carry_their_columns_and_the_next_locator_and_a_page_reads_again_by_its_locator()
    {
        await using var harness = await MirrorHarness.StartAsync();
        var sf = MirrorHarness.Client(await harness.AppAsync());
        for (var i = 0; i < 5; i++)
        {
            await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = $"Page row {i}" }, Ct);
        }

        var options = new BulkQueryOptions { MaxRecordsPerPage = 2 };
        var created = await sf.Bulk.CreateQueryJobAsync("SELECT Id, Name FROM Account ORDER BY Name", options, Ct);
        var job = await sf.Bulk.WaitForQueryJobAsync(created.Id, options, Ct);
        Assert.Equal(BulkJobState.JobComplete, job.State);

        var pages = new List<(string? Locator, string? Next, List<string> Names)>();
        string? locator = null;
        do
        {
            using var page = await sf.Bulk.GetQueryJobResultPageAsync(job, locator, options, Ct);
            Assert.Equal(["Id", "Name"], page.Columns);
            var names = new List<string>();
            while (await page.ReadRowAsync(Ct) is { } row)
            {
                names.Add(row[1]);
            }

            pages.Add((page.Locator, page.NextLocator, names));
            locator = page.NextLocator;
        }
        while (locator is not null);

        Assert.Equal([2, 2, 1], pages.Select(p => p.Names.Count));
        Assert.Equal([.. Enumerable.Range(0, 5).Select(i => $"Page row {i}")], pages.SelectMany(p => p.Names));
        Assert.Null(pages[0].Locator);
        Assert.Null(pages[^1].Next);

        using var again = await sf.Bulk.GetQueryJobResultPageAsync(job, pages[1].Locator, options, Ct);
        Assert.Equal(pages[1].Names[0], (await again.ReadRowAsync(Ct))![1]);
        await Assert.ThrowsAsync<ArgumentNullException>(() => sf.Bulk.GetQueryJobResultPageAsync(null!, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => sf.Bulk.CreateQueryJobAsync(" ", cancellationToken: Ct));
    }
}
