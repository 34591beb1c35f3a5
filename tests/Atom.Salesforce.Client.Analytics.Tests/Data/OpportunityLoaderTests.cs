using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Analytics.Tests.Infrastructure;
using Atom.Salesforce.Client.Bulk;

namespace Atom.Salesforce.Client.Analytics.Tests.Data;

/// <summary>The loader against the emulator's demo org: stages from OpportunityStage, REST and Bulk 2.0 reads.</summary>
public sealed class OpportunityLoaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_the_active_stages_in_sort_order_with_probability_and_forecast_category()
    {
        await using var org = await DemoOrg.OpenAsync(Ct);

        var stages = await OpportunityLoader.LoadStagesAsync(org.Client, Ct);

        // The emulator serves the default sales process (the reference's table of default stages).
        Assert.Equal(StageDefinition.SalesforceDefaults.Select(s => s.Name), stages.Select(s => s.Name));
        Assert.Equal([10, 10, 20, 50, 60, 70, 75, 90, 100, 0], stages.Select(s => s.DefaultProbability!.Value));
        Assert.Equal([.. Enumerable.Repeat("Pipeline", 8), "Closed", "Omitted"], stages.Select(s => s.ForecastCategoryName));
        Assert.Equal((true, true), (stages[8].IsClosed, stages[8].IsWon));
        Assert.Equal((true, false), (stages[9].IsClosed, stages[9].IsWon));
        Assert.All(stages.Take(8), s => Assert.False(s.IsClosed));
        Assert.Equal(1, org.ApiCalls);
        Assert.Contains("FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder", Assert.Single(org.Queries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Falls_back_to_the_Salesforce_defaults_when_the_org_does_not_expose_OpportunityStage()
    {
        await using var org = await DemoOrg.OpenAsync(Ct);
        org.HideOpportunityStage = true;

        var stages = await OpportunityLoader.LoadStagesAsync(org.Client, Ct);
        var data = await OpportunityLoader.LoadAsync(org.Client, cancellationToken: Ct);

        Assert.Same(StageDefinition.SalesforceDefaults, stages);
        Assert.Equal(StageDefinition.SalesforceDefaults, data.Stages);
        Assert.True(data.Count > 100);
    }

    [Fact]
    public async Task Loading_reads_the_stages_the_opportunities_and_their_history_in_three_queries()
    {
        await using var org = await DemoOrg.OpenAsync(Ct);

        var data = await OpportunityLoader.LoadAsync(org.Client, cancellationToken: Ct);

        Assert.Equal(3, org.Queries.Count);
        Assert.Equal(StageDefinition.SalesforceDefaults, data.Stages);
        Assert.True(data.HistoryCount >= data.Count);
    }

    [Fact]
    public async Task Given_stages_are_used_without_asking_the_org()
    {
        await using var org = await DemoOrg.OpenAsync(Ct);

        var data = await OpportunityLoader.LoadAsync(org.Client, new OpportunityLoadOptions { Stages = [new StageDefinition
        {
            Name = "Negotiation/Review",
        }] }, Ct);

        Assert.Equal("Negotiation/Review", data.Stages[0].Name);
        Assert.DoesNotContain(org.Queries, q => q.Contains("OpportunityStage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bulk_2_0_query_jobs_give_the_same_set_and_the_same_report_as_REST()
    {
        await using var org = await DemoOrg.OpenAsync(Ct);
        var analytics = new PipelineAnalytics(org.Time);

        var rest = await OpportunityLoader.LoadAsync(org.Client, cancellationToken: Ct);
        org.ResetCalls();
        var bulk = await OpportunityLoader.LoadAsync(
            org.Client, new OpportunityLoadOptions { UseBulkApi = true, BulkQueryOptions = new BulkQueryOptions { PollInterval = TimeSpan.Zero } }, Ct);

        // One REST query for the stages, no other REST query; the records came through two Bulk query jobs.
        Assert.Single(org.Queries);
        Assert.Equal(2, org.Requests.Count(r => r.StartsWith("POST ", StringComparison.Ordinal) && r.EndsWith("/jobs/query", StringComparison.Ordinal)));
        Assert.Contains(org.Requests, r => r.StartsWith("GET ", StringComparison.Ordinal) && r.EndsWith("/results", StringComparison.Ordinal));
        Assert.Equal(rest.Count, bulk.Count);
        Assert.Equal(rest.HistoryCount, bulk.HistoryCount);
        Assert.Equal(rest.Stages, bulk.Stages);
        var fromRest = analytics.Analyze(rest, new PipelineQuery { BottleneckMinDeals = 3 });
        var fromBulk = analytics.Analyze(bulk, new PipelineQuery { BottleneckMinDeals = 3 });
        Assert.Equal((fromRest.Count, fromRest.OpenCount, fromRest.WonCount, fromRest.LostCount), (fromBulk.Count, fromBulk.OpenCount, fromBulk.WonCount, fromBulk.LostCount));
        Assert.Equal(fromRest.OpenAmount, fromBulk.OpenAmount, 1e-6);
        Assert.Equal(fromRest.WeightedAmount, fromBulk.WeightedAmount, 1e-6);
        Assert.Equal(fromRest.Groups, fromBulk.Groups);
        Assert.Equal(fromRest.Stages, fromBulk.Stages);
        Assert.Equal(fromRest.SalesCycle, fromBulk.SalesCycle);
        Assert.Equal(fromRest.AtRisk, fromBulk.AtRisk);
        Assert.Equal(fromRest.Forecast.Select(p => (p.Period, string.Join(",", p.Categories))), fromBulk.Forecast.Select(p => (p.Period, string.Join(",", p.Categories))));
        Assert.Equal(fromRest.Bottlenecks.Select(b => (b.StageName, b.Score)), fromBulk.Bottlenecks.Select(b => (b.StageName, b.Score)));
    }

    [Fact]
    public async Task History_rows_carry_the_amount_and_probability_of_their_moment_over_REST_and_Bulk_2_0()
    {
        await using var org = await DemoOrg.OpenAsync(Ct);
        var rest = new List<OpportunityHistoryRecord>();
        await foreach (var row in org.Client.Query.QueryAsync<OpportunityHistoryRecord>(OpportunityLoader.HistoryQuery, cancellationToken: Ct))
        {
            rest.Add(row);
        }

        var bulk = new List<OpportunityHistoryRecord>();
        await foreach (var row in org.Client.Bulk.QueryAsync<OpportunityHistoryRecord>(
            OpportunityLoader.HistoryQuery, new BulkQueryOptions { PollInterval = TimeSpan.Zero }, cancellationToken: Ct))
        {
            bulk.Add(row);
        }

        var deals = await SalesDataLoader.LoadAsync(org.Client, SalesDataParts.Opportunities, Ct);

        // The Bulk CSV columns map to the same values, Amount and Probability included.
        static IEnumerable<OpportunityHistoryRecord> Sorted(List<OpportunityHistoryRecord> rows) =>
            rows.OrderBy(r => r.OpportunityId, StringComparer.Ordinal).ThenBy(r => r.CreatedDate).ThenBy(r => r.Amount).ThenBy(r => r.StageName, StringComparer.Ordinal);
        Assert.Equal(Sorted(rest), Sorted(bulk));
        Assert.All(rest, r => Assert.InRange(r.Probability!.Value, 0, 100));
        Assert.Contains(rest, r => r.Amount is not null);
        // Each deal's latest row is the deal now; earlier rows keep the amount of their moment (the demo revises amounts).
        var latest = rest.GroupBy(r => r.OpportunityId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.CreatedDate)!);
        Assert.All(deals.Opportunities, o => Assert.Equal((o.Amount, o.Probability), (latest[o.Id].Amount, latest[o.Id].Probability)));
        Assert.Contains(rest, r => r.Amount != latest[r.OpportunityId].Amount);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_any_call()
    {
        await using var org = await DemoOrg.OpenAsync(Ct);

        await Assert.ThrowsAsync<ArgumentNullException>(() => OpportunityLoader.LoadAsync(null!, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => OpportunityLoader.LoadStagesAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => OpportunityLoader.LoadAsync(
            org.Client, new OpportunityLoadOptions { UseBulkApi = true, BulkQueryOptions = new BulkQueryOptions { MaxRecordsPerPage = 0 } }, Ct));
        Assert.Equal(0, org.ApiCalls);
    }
}
