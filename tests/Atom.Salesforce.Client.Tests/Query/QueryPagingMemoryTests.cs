using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Tests.Query;

/// <summary>Measures the heap, so it runs alone: other tests' allocations would blur what this one retains.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>
/// Paging 1,000,000 records (500 pages of 2,000, Salesforce's largest page) through the whole SDK from an in-memory org:
/// what the SDK keeps must not grow with the number of records read, since a query's result can be any size.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class QueryPagingMemoryTests
{
    private const int PageSize = 2_000;
    private const int Total = 1_000_000;
    private const int Checkpoint = 100_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Account
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public decimal? AnnualRevenue { get; set; }
    }

    [Fact]
    public async Task Paging_a_million_records_retains_what_one_page_needs_whatever_the_count()
    {
        var records = Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(0, PageSize).Select(i =>
            $$"""{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001000000{{i:D6}}AAA"},"Id":"001000000{{i:D6}}AAA","Name":"Account {{i}}","AnnualRevenue":{{i}}.5}""")));
        var pagesServed = 0;
        var handler = new DelegateHandler((request, _) =>
        {
            // The first page answers the query; page k answers /query/01gPAGE-k, and the last one is done.
            var path = request.RequestUri!.AbsolutePath;
            var page = path.EndsWith("/query/", StringComparison.Ordinal) ? 0 : int.Parse(path[(path.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var done = (page + 1) * PageSize >= Total;
            var head = Encoding.UTF8.GetBytes($"{{\"totalSize\":{Total},\"done\":{(done ? "true" : "false")},"
                + (done ? string.Empty : $"\"nextRecordsUrl\":\"/services/data/v66.0/query/01gPAGE-{page + 1}\",") + "\"records\":[");
            var body = new byte[head.Length + records.Length + 2];
            head.CopyTo(body, 0);
            records.CopyTo(body, head.Length);
            body[^2] = (byte)']';
            body[^1] = (byte)'}';
            Interlocked.Increment(ref pagesServed);
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body), RequestMessage = request };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(response);
        });

        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "test-client-id").ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => handler));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync(SalesforceTestHost.UserId, SalesforceTestHost.Token(), Ct);
        var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser(SalesforceTestHost.UserId);

        var retained = new List<long>();
        var firstOfEachPage = new List<WeakReference<Account>>();
        var count = 0;
        decimal revenue = 0;
        await foreach (var account in client.Query.QueryAsync<Account>("SELECT Id, Name, AnnualRevenue FROM Account", cancellationToken: Ct))
        {
            if (count % PageSize == 0)
            {
                firstOfEachPage.Add(new WeakReference<Account>(account));
            }

            revenue += account.AnnualRevenue ?? 0;
            count++;
            if (count % Checkpoint == 0)
            {
                retained.Add(RetainedBytes());
            }
        }

        Assert.Equal(Total, count);
        Assert.Equal(Total / PageSize, pagesServed);
        Assert.Equal((Total / PageSize) * ((PageSize * (PageSize - 1) / 2m) + (PageSize * 0.5m)), revenue);

        // Nothing the SDK handed out is held after the caller let it go: of 500 pages, no record survives a collection.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var alive = firstOfEachPage.Count(w => w.TryGetTarget(out _));
        Assert.True(alive <= 1, $"{alive} of {firstOfEachPage.Count} pages' records are still reachable after paging.");

        // The heap after 1,000,000 records is the heap after 100,000: a page's worth at most (a page here is about 300 KB
        // of JSON and 2,000 records). Keeping even 16 bytes per record would add 14 MB between the first and the last checkpoint.
        var growth = retained.Max() - retained[0];
        Assert.True(growth < 4 * 1024 * 1024,
            $"The retained heap grew by {growth / 1024.0:N0} KB between {Checkpoint:N0} and {Total:N0} records (checkpoints: {string.Join(", ", retained.Select(b => $"{b / 1024:N0} KB"))}).");
    }

    private static long RetainedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
