using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Sdk;

/// <summary>SaveAsync picks the route with the fewest API calls, against the emulated org.</summary>
public sealed class SaveSdkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IEnumerable<SObject> Rows(int count) =>
        Enumerable.Range(0, count).Select(i => new SObject("Account") { ["Name"] = i % 100 == 99 ? null : $"Row {i}" });

    [Theory]
    [InlineData(1, 1)]
    [InlineData(450, 3)]
    public async Task Small_saves_cost_one_call_per_200_rows(int count, int calls)
    {
        await using var org = new EmulatedOrg();

        var results = await org.Client.SObjects.SaveAsync("Account", SaveOperation.Insert, Rows(count), cancellationToken: Ct);

        Assert.Equal(calls, org.Emulator.Usage.Used);
        Assert.Equal(count, results.Count);
        Assert.All(results, (r, i) => Assert.Equal(i % 100 != 99, r.Success));
    }

    [Fact]
    public async Task Saves_above_the_threshold_run_as_a_bulk_job_with_failed_rows_in_place()
    {
        await using var org = new EmulatedOrg();

        var results = await org.Client.SObjects.SaveAsync("Account", SaveOperation.Insert, Rows(500),
            new SaveOptions { BulkThreshold = 300, Bulk = new BulkIngestOptions { PollInterval = TimeSpan.Zero } }, Ct);

        Assert.Single(org.Emulator.Bulk.Ingest);
        Assert.Equal(495, results.Count(r => r.Success));
        Assert.All(results.Where((_, i) => i % 100 == 99), r => Assert.Equal("REQUIRED_FIELD_MISSING", r.Errors[0].ErrorCode));
    }
}
