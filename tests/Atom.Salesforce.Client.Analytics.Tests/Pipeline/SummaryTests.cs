using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Analytics.Tests.Infrastructure;
using Atom.Salesforce.Soql;

namespace Atom.Salesforce.Client.Analytics.Tests.Pipeline;

/// <summary>The GROUP BY push-down: the SOQL it sends, and the same groups as the local report in one API call.</summary>
public sealed class SummaryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_query_groups_in_the_org_with_the_filters_as_escaped_literals()
    {
        var query = new PipelineQuery
        {
            GroupBy = PipelineDimension.Owner,
            Owners = ["005A", "x' OR Name != '"],
            LeadSources = ["Web"],
            Stages = ["Prospecting"],
        };

        var soql = PipelineAnalytics.SummaryQuery(query, CalendarPeriod.Quarter, (new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30)));

        Assert.Equal(
            "SELECT OwnerId GroupKey, CALENDAR_YEAR(CloseDate) PeriodYear, CALENDAR_QUARTER(CloseDate) PeriodNumber, COUNT(Id) Deals, "
            + "SUM(Amount) TotalAmount, SUM(ExpectedRevenue) WeightedAmount FROM Opportunity "
            + "WHERE IsClosed = false AND CloseDate >= 2026-04-01 AND CloseDate <= 2026-06-30 AND OwnerId IN ('005A', 'x\\' OR Name != \\'') "
            + "AND LeadSource IN ('Web') AND StageName IN ('Prospecting') "
            + "GROUP BY OwnerId, CALENDAR_YEAR(CloseDate), CALENDAR_QUARTER(CloseDate)",
            soql);

        // The hostile owner stays one string literal: the parsed WHERE is six conditions joined by AND, the owners two values.
        var where = Assert.IsType<SoqlAnd>(SoqlQuery.Parse(soql).Where);
        Assert.Equal(6, where.Operands.Count);
        var ownerIn = Assert.IsType<SoqlSetComparison>(where.Operands[3]);
        Assert.Equal(2, ownerIn.Values.Count);
    }

    [Theory]
    [InlineData(PipelineDimension.Stage, "SELECT StageName GroupKey, COUNT(Id) Deals, SUM(Amount) TotalAmount, SUM(ExpectedRevenue) WeightedAmount FROM Opportunity WHERE IsClosed = false GROUP BY StageName ORDER BY StageName")]
    [InlineData(PipelineDimension.CloseMonth, "SELECT CALENDAR_YEAR(CloseDate) KeyYear, CALENDAR_MONTH(CloseDate) KeyNumber, COUNT(Id) Deals, SUM(Amount) TotalAmount, SUM(ExpectedRevenue) WeightedAmount FROM Opportunity WHERE IsClosed = false GROUP BY CALENDAR_YEAR(CloseDate), CALENDAR_MONTH(CloseDate)")]
    [InlineData(PipelineDimension.ForecastCategory, "SELECT ForecastCategoryName GroupKey, COUNT(Id) Deals, SUM(Amount) TotalAmount, SUM(ExpectedRevenue) WeightedAmount FROM Opportunity WHERE IsClosed = false GROUP BY ForecastCategoryName")]
    public void Each_dimension_has_its_group_expression(PipelineDimension dimension, string expected)
    {
        Assert.Equal(expected, PipelineAnalytics.SummaryQuery(new PipelineQuery { GroupBy = dimension }, null, null));
    }

    [Theory]
    [InlineData(PipelineDimension.Stage)]
    [InlineData(PipelineDimension.Owner)]
    [InlineData(PipelineDimension.LeadSource)]
    [InlineData(PipelineDimension.Type)]
    [InlineData(PipelineDimension.ForecastCategory)]
    [InlineData(PipelineDimension.CloseMonth)]
    [InlineData(PipelineDimension.CloseQuarter)]
    public async Task Gives_the_groups_of_the_local_report_in_one_API_call(PipelineDimension dimension)
    {
        await using var org = await DemoOrg.OpenAsync(Ct);
        var analytics = new PipelineAnalytics(org.Time);
        var data = await OpportunityLoader.LoadAsync(org.Client, cancellationToken: Ct);
        var query = new PipelineQuery { GroupBy = dimension };
        var local = analytics.Analyze(data, query);
        org.ResetCalls();
        var usedBefore = await org.OrgApiUsageAsync(Ct);

        var summary = await analytics.SummarizeAsync(org.Client, query, cancellationToken: Ct);

        // One request left the client, and the org counted one API call.
        Assert.Equal(1, org.ApiCalls);
        Assert.Equal(usedBefore + 1, await org.OrgApiUsageAsync(Ct));
        // The demo org's open stages are all in the Pipeline forecast category: one group there, several elsewhere.
        Assert.True(local.Groups.Count > (dimension == PipelineDimension.ForecastCategory ? 0 : 1), $"{local.Groups.Count} groups");
        AssertGroups(local.Groups, summary.Groups);
        Assert.Equal((local.OpenCount, local.OpenAmount), (summary.OpenCount, summary.OpenAmount));
        Assert.Equal(local.WeightedAmount, summary.WeightedAmount, 1e-6);
        Assert.Empty(summary.Periods);
    }

    [Fact]
    public async Task Totals_of_the_seven_sample_deals_worked_out_by_hand()
    {
        await using var org = await DemoOrg.OpenAsync(Ct, demoData: false);
        foreach (var deal in PipelineSample.Opportunities())
        {
            await org.Client.SObjects.CreateAsync("Opportunity", new NewOpportunity
            {
                Name = deal.Id,
                StageName = deal.StageName,
                Amount = deal.Amount,
                Probability = deal.Probability,
                CloseDate = deal.CloseDate,
                LeadSource = deal.LeadSource,
            }, Ct);
        }

        var analytics = new PipelineAnalytics(PipelineSample.Clock());
        var bySource = await analytics.SummarizeAsync(org.Client, new PipelineQuery { GroupBy = PipelineDimension.LeadSource }, cancellationToken: Ct);
        var byStage = await analytics.SummarizeAsync(org.Client, null, CalendarPeriod.Quarter, Ct);

        // Open deals only: O1 Prospecting 10,000 × 10% (Web, 07-15), O2 Proposal 50,000 × 75% (Phone Inquiry, 06-20),
        // O3 Negotiation 20,000 × 90% (Web, 08-10). Expected revenue 1,000, 37,500 and 18,000.
        Assert.Equal((3, 80_000.0, 56_500.0), (bySource.OpenCount, bySource.OpenAmount, bySource.WeightedAmount));
        Assert.Equal([new PipelineGroup
        {
            Key = "Phone Inquiry",
            Count = 1,
            Amount = 50_000,
            WeightedAmount = 37_500,
        }, new PipelineGroup
        {
            Key = "Web",
            Count = 2,
            Amount = 30_000,
            WeightedAmount = 19_000,
        }], bySource.Groups);

        // By stage in picklist order, and per calendar quarter: Q2 holds O2, Q3 holds O1 and O3.
        Assert.Equal(
            [new PipelineGroup { Key = "Prospecting", Count = 1, Amount = 10_000, WeightedAmount = 1_000 }, new PipelineGroup
            {
                Key = "Proposal/Price Quote",
                Count = 1,
                Amount = 50_000,
                WeightedAmount = 37_500,
            }, new PipelineGroup
            {
                Key = "Negotiation/Review",
                Count = 1,
                Amount = 20_000,
                WeightedAmount = 18_000,
            }],
            byStage.Groups);
        Assert.Equal(["2026-Q2", "2026-Q3"], byStage.Periods.Select(p => p.Period));
        Assert.Equal([new PipelineGroup
        {
            Key = "Proposal/Price Quote",
            Count = 1,
            Amount = 50_000,
            WeightedAmount = 37_500,
        }], byStage.Periods[0].Groups);
        Assert.Equal([new PipelineGroup
        {
            Key = "Prospecting",
            Count = 1,
            Amount = 10_000,
            WeightedAmount = 1_000,
        }, new PipelineGroup
        {
            Key = "Negotiation/Review",
            Count = 1,
            Amount = 20_000,
            WeightedAmount = 18_000,
        }], byStage.Periods[1].Groups);
        Assert.Equal((null, null), (byStage.Start, byStage.End));
    }

    [Fact]
    public void A_yearly_split_groups_by_the_year_alone()
    {
        var soql = PipelineAnalytics.SummaryQuery(new PipelineQuery(), CalendarPeriod.Year, null);

        Assert.Equal(
            "SELECT StageName GroupKey, CALENDAR_YEAR(CloseDate) PeriodYear, COUNT(Id) Deals, SUM(Amount) TotalAmount, "
            + "SUM(ExpectedRevenue) WeightedAmount FROM Opportunity WHERE IsClosed = false "
            + "GROUP BY StageName, CALENDAR_YEAR(CloseDate) ORDER BY StageName",
            soql);
    }

    [Fact]
    public async Task Yearly_totals_of_deals_across_years_worked_out_by_hand()
    {
        await using var org = await DemoOrg.OpenAsync(Ct, demoData: false);
        NewOpportunity[] deals =
        [
            new() { Name = "Y1", StageName = "Prospecting", Amount = 1_000, Probability = 20, CloseDate = new(2025, 11, 15), LeadSource = "Web" },
            new() { Name = "Y2", StageName = "Proposal/Price Quote", Amount = 3_000, Probability = 50, CloseDate = new(2026, 1, 1), LeadSource = "Web" },
            new() { Name = "Y3", StageName = "Negotiation/Review", Amount = 5_000, Probability = 90, CloseDate = new(2026, 12, 31), LeadSource = "Phone Inquiry" },
            new() { Name = "Y4", StageName = "Prospecting", Amount = 6_000, Probability = 10, CloseDate = new(2028, 3, 1), LeadSource = "Web" },
            new() { Name = "Y5", StageName = "Closed Won", Amount = 2_000, Probability = 100, CloseDate = new(2025, 12, 31), LeadSource = "Web" },
        ];
        foreach (var deal in deals)
        {
            await org.Client.SObjects.CreateAsync("Opportunity", deal, Ct);
        }

        var analytics = new PipelineAnalytics(PipelineSample.Clock());
        var summary = await analytics.SummarizeAsync(
            org.Client, new PipelineQuery { GroupBy = PipelineDimension.LeadSource }, CalendarPeriod.Year, Ct);

        // Open deals only (Y5 is won): Web Y1 1,000 × 20% + Y2 3,000 × 50% + Y4 6,000 × 10% = 10,000 and 2,300;
        // Phone Inquiry Y3 5,000 × 90% = 4,500. Largest amount first, in total and in each year.
        Assert.Equal((4, 15_000.0, 6_800.0), (summary.OpenCount, summary.OpenAmount, summary.WeightedAmount));
        Assert.Equal([new PipelineGroup { Key = "Web", Count = 3, Amount = 10_000, WeightedAmount = 2_300 }, new PipelineGroup
        {
            Key = "Phone Inquiry",
            Count = 1,
            Amount = 5_000,
            WeightedAmount = 4_500,
        }], summary.Groups);
        Assert.Equal(["2025", "2026", "2028"], summary.Periods.Select(p => p.Period));
        Assert.Equal([new PipelineGroup
        {
            Key = "Web",
            Count = 1,
            Amount = 1_000,
            WeightedAmount = 200,
        }], summary.Periods[0].Groups);
        Assert.Equal([new PipelineGroup
        {
            Key = "Phone Inquiry",
            Count = 1,
            Amount = 5_000,
            WeightedAmount = 4_500,
        }, new PipelineGroup
        {
            Key = "Web",
            Count = 1,
            Amount = 3_000,
            WeightedAmount = 1_500,
        }], summary.Periods[1].Groups);
        Assert.Equal([new PipelineGroup
        {
            Key = "Web",
            Count = 1,
            Amount = 6_000,
            WeightedAmount = 600,
        }], summary.Periods[2].Groups);
    }

    [Fact]
    public async Task Filters_and_a_period_split_match_the_local_report_per_period()
    {
        await using var org = await DemoOrg.OpenAsync(Ct);
        var analytics = new PipelineAnalytics(org.Time);
        var data = await OpportunityLoader.LoadAsync(org.Client, cancellationToken: Ct);
        var owners = analytics.Analyze(data, new PipelineQuery { GroupBy = PipelineDimension.Owner }).Groups.Take(3).Select(g => g.Key!).ToArray();
        var query = new PipelineQuery
        {
            GroupBy = PipelineDimension.Stage,
            Owners = owners,
            LeadSources = ["Web", "Partner Referral", "Phone Inquiry"],
            CloseDate = DateRange.Relative("NEXT_N_QUARTERS:2"),
        };
        org.ResetCalls();

        var summary = await analytics.SummarizeAsync(org.Client, query, CalendarPeriod.Month, Ct);

        Assert.Equal(1, org.ApiCalls);
        var local = analytics.Analyze(data, query);
        AssertGroups(local.Groups, summary.Groups);
        Assert.Equal((local.Start, local.End), (summary.Start, summary.End));

        // Each month's groups are the local report over that month alone.
        Assert.NotEmpty(summary.Periods);
        Assert.Equal(summary.Periods.Select(p => p.Period).Order(StringComparer.Ordinal), summary.Periods.Select(p => p.Period));
        foreach (var period in summary.Periods)
        {
            var month = DateOnly.ParseExact(period.Period + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var inMonth = analytics.Analyze(data, new PipelineQuery
            {
                GroupBy = PipelineDimension.Stage,
                Owners = owners,
                LeadSources = query.LeadSources,
                CloseDate = DateRange.Between(month, month.AddMonths(1).AddDays(-1)),
            });
            AssertGroups(inMonth.Groups, period.Groups);
        }
    }

    [Fact]
    public async Task Bad_input_is_refused_before_any_call()
    {
        await using var org = await DemoOrg.OpenAsync(Ct);
        var analytics = new PipelineAnalytics(org.Time);

        await Assert.ThrowsAsync<ArgumentNullException>(() => analytics.SummarizeAsync(null!, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => analytics.SummarizeAsync(org.Client, new PipelineQuery { GroupBy = PipelineDimension.CloseMonth }, CalendarPeriod.Quarter, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => analytics.SummarizeAsync(org.Client, new PipelineQuery(), (CalendarPeriod)7, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => analytics.SummarizeAsync(org.Client, new PipelineQuery { StalledAfterDays = -1 }, cancellationToken: Ct));
        Assert.Equal(0, org.ApiCalls);
    }

    private static void AssertGroups(IReadOnlyList<PipelineGroup> expected, IReadOnlyList<PipelineGroup> actual)
    {
        Assert.Equal(expected.Select(g => (g.Key, g.Count, g.Amount)), actual.Select(g => (g.Key, g.Count, g.Amount)));
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First.WeightedAmount, p.Second.WeightedAmount, 1e-6));
    }

    private sealed class NewOpportunity
    {
        public required string Name { get; init; }

        public required string StageName { get; init; }

        public decimal? Amount { get; init; }

        public double? Probability { get; init; }

        public DateOnly CloseDate { get; init; }

        public string? LeadSource { get; init; }
    }
}
