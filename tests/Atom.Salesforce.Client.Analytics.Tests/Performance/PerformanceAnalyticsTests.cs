using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.Analytics.Tests.Accounts;

namespace Atom.Salesforce.Client.Analytics.Tests.Performance;

/// <summary>
/// A hand-worked team; today is 2026-07-01 (Q3), so the next quarter is Q4 (Oct–Dec). V is the VP, M reports to V, U1 and U2
/// report to M. Range: the first half of 2026 (two quarters).
/// U1: won P1 1,000 (30-day cycle) and P2 3,000 (60 days), lost P3; open P7 4,000 closing in Q4 and P8 1,000 closing in Q3.
/// U2: won P4 2,000 (10 days), lost P5 and P6; open P9 6,000 closing in Q4. M: won P10 500 (20 days).
/// </summary>
public sealed class PerformanceAnalyticsTests
{
    private const double Tolerance = 1e-9;
    private static readonly PerformanceQuery FirstHalf = new() { CloseDate = DateRange.Between(new(2026, 1, 1), new(2026, 6, 30)) };
    private readonly PerformanceAnalytics _analytics = new(AccountSample.Clock());

    private static SalesData Data() => new()
    {
        Users =
        [
            new() { Id = "V", Name = "Vera" },
            new() { Id = "M", Name = "Maria", ManagerId = "V" },
            new() { Id = "U1", Name = "Uma", ManagerId = "M" },
            new() { Id = "U2", Name = "Ulf", ManagerId = "M" },
        ],
        Opportunities =
        [
            Won("P1", "U1", 1000, new(2026, 1, 1), new(2026, 1, 31)),
            Won("P2", "U1", 3000, new(2026, 2, 1), new(2026, 4, 2)),
            Lost("P3", "U1", new(2026, 3, 1)),
            Won("P4", "U2", 2000, new(2026, 3, 1), new(2026, 3, 11)),
            Lost("P5", "U2", new(2026, 5, 1)),
            Lost("P6", "U2", new(2026, 6, 1)),
            Open("P7", "U1", 4000, new(2026, 11, 15)),
            Open("P8", "U1", 1000, new(2026, 8, 1)),
            Open("P9", "U2", 6000, new(2026, 10, 1)),
            Won("P10", "M", 500, new(2026, 4, 1), new(2026, 4, 21)),
            Won("P11", "U1", 9999, new(2025, 6, 1), new(2025, 12, 1)),
        ],
        Activities =
        [
            new() { Id = "T1", Kind = ActivityKind.Task, Type = "Call", OwnerId = "U1", ActivityDate = new(2026, 3, 1), IsClosed = true },
            new() { Id = "E1", Kind = ActivityKind.Event, Type = "Meeting", OwnerId = "U1", ActivityDate = new(2026, 4, 1) },
            new() { Id = "T2", Kind = ActivityKind.Task, Type = "Email", OwnerId = "U2", ActivityDate = new(2026, 5, 5) },
            new() { Id = "T3", Kind = ActivityKind.Task, Type = "Call", OwnerId = "U1", ActivityDate = new(2025, 12, 1), IsClosed = true },
        ],
    };

    [Fact]
    public void Per_owner_won_amount_win_rate_deal_size_and_cycle()
    {
        var report = _analytics.Analyze(Data(), FirstHalf);

        Assert.Equal(["U1", "U2", "M"], report.Owners.Select(o => o.OwnerId));
        var u1 = report.Owners[0];
        Assert.Equal("Uma", u1.Name);
        Assert.Equal("M", u1.ManagerId);
        // P11 closed in 2025 is out of range. Won 1,000 + 3,000; 2 of 3 closed; mean and median of 30 and 60 days.
        Assert.Equal(4000, u1.Metrics.WonAmount, Tolerance);
        Assert.Equal(2, u1.Metrics.WonCount);
        Assert.Equal(1, u1.Metrics.LostCount);
        Assert.Equal(2 / 3.0, u1.Metrics.WinRate!.Value, Tolerance);
        Assert.Equal(2000, u1.Metrics.AverageDealSize!.Value, Tolerance);
        Assert.Equal(45, u1.Metrics.MeanCycleDays!.Value, Tolerance);
        Assert.Equal(45, u1.Metrics.MedianCycleDays!.Value, Tolerance);
        Assert.Equal(1 / 3.0, report.Owners[1].Metrics.WinRate!.Value, Tolerance);
    }

    [Fact]
    public void Activities_by_kind_in_range_with_completed_tasks()
    {
        var report = _analytics.Analyze(Data(), FirstHalf);

        // U1: T1 (completed call) and E1 (meeting); T3 is in 2025. U2: T2, an open e-mail task.
        Assert.Equal(new ActivityCounts
        {
            Total = 2,
            Tasks = 1,
            Events = 1,
            Calls = 1,
            Emails = 0,
            Meetings = 1,
            CompletedTasks = 1,
        }, report.Owners[0].Metrics.Activities);
        Assert.Equal(new ActivityCounts
        {
            Total = 1,
            Tasks = 1,
            Events = 0,
            Calls = 0,
            Emails = 1,
            Meetings = 0,
            CompletedTasks = 0,
        }, report.Owners[1].Metrics.Activities);
        Assert.Equal(new ActivityCounts
        {
            Total = 0,
            Tasks = 0,
            Events = 0,
            Calls = 0,
            Emails = 0,
            Meetings = 0,
            CompletedTasks = 0,
        }, report.Owners[2].Metrics.Activities);
    }

    [Fact]
    public void Coverage_divides_next_quarter_pipeline_by_the_average_won_per_quarter()
    {
        var report = _analytics.Analyze(Data(), FirstHalf);

        // Next quarter: 2026-10-01..2026-12-31. Two quarters measured.
        Assert.Equal(new DateOnly(2026, 10, 1), report.NextPeriodStart);
        Assert.Equal(new DateOnly(2026, 12, 31), report.NextPeriodEnd);
        Assert.Equal(2, report.PeriodsMeasured);
        // U1: open 5,000; P7 4,000 closes next quarter; 4,000 won ÷ 2 = 2,000 a quarter → coverage 2.
        var u1 = report.Owners[0].Metrics;
        Assert.Equal(5000, u1.OpenPipeline, Tolerance);
        Assert.Equal(2, u1.OpenCount);
        Assert.Equal(4000, u1.NextPeriodPipeline, Tolerance);
        Assert.Null(u1.Quota);
        Assert.Equal(2000, u1.AverageWonPerPeriod, Tolerance);
        Assert.Equal(2, u1.PipelineCoverage!.Value, Tolerance);
        // U2: 6,000 ÷ (2,000 ÷ 2) = 6. M: 0 ÷ 250 = 0.
        Assert.Equal(6, report.Owners[1].Metrics.PipelineCoverage!.Value, Tolerance);
        Assert.Equal(0, report.Owners[2].Metrics.PipelineCoverage!.Value, Tolerance);
    }

    [Fact]
    public void Coverage_uses_the_quota_when_given()
    {
        var query = new PerformanceQuery { CloseDate = FirstHalf.CloseDate, Quotas = new Dictionary<string, double> { ["U1"] = 8000 } };

        var report = _analytics.Analyze(Data(), query);

        // U1: 4,000 ÷ 8,000. Team M: 10,000 ÷ (250 + 8,000 + 1,000).
        Assert.Equal(0.5, report.Owners.Single(o => o.OwnerId == "U1").Metrics.PipelineCoverage!.Value, Tolerance);
        var team = report.Teams.Single(t => t.ManagerId == "M").Metrics;
        Assert.Equal(8000, team.Quota);
        Assert.Equal(10_000 / 9250.0, team.PipelineCoverage!.Value, Tolerance);
    }

    [Fact]
    public void A_team_is_a_manager_and_the_direct_reports_with_rates_and_cycles_over_all_their_deals()
    {
        var report = _analytics.Analyze(Data(), FirstHalf);

        // Team M: M, U1, U2. Won 500 + 4,000 + 2,000 in 4 deals of 7 closed; cycles 20, 30, 60, 10 → mean 30, median 25.
        // Target: 250 + 2,000 + 1,000 = 3,250; next quarter 4,000 + 6,000.
        var team = report.Teams[0];
        Assert.Equal("M", team.ManagerId);
        Assert.Equal("Maria", team.ManagerName);
        Assert.Equal(["M", "U1", "U2"], team.MemberIds);
        Assert.Equal(6500, team.Metrics.WonAmount, Tolerance);
        Assert.Equal(4, team.Metrics.WonCount);
        Assert.Equal(4 / 7.0, team.Metrics.WinRate!.Value, Tolerance);
        Assert.Equal(1625, team.Metrics.AverageDealSize!.Value, Tolerance);
        Assert.Equal(30, team.Metrics.MeanCycleDays!.Value, Tolerance);
        Assert.Equal(25, team.Metrics.MedianCycleDays!.Value, Tolerance);
        Assert.Equal(11_000, team.Metrics.OpenPipeline, Tolerance);
        Assert.Equal(10_000 / 3250.0, team.Metrics.PipelineCoverage!.Value, Tolerance);

        // Team V: V has no deals, so only M is in scope.
        var vp = report.Teams[1];
        Assert.Equal(["M"], vp.MemberIds);
        Assert.Equal(500, vp.Metrics.WonAmount, Tolerance);
    }

    [Fact]
    public void Owners_add_up_to_the_org_total()
    {
        var report = _analytics.Analyze(Data(), FirstHalf);

        Assert.Equal(report.Owners.Sum(o => o.Metrics.WonAmount), report.Total.WonAmount, Tolerance);
        Assert.Equal(6500, report.Total.WonAmount, Tolerance);
        Assert.Equal(report.Owners.Sum(o => o.Metrics.Activities.Total), report.Total.Activities.Total);
        Assert.Equal(11_000, report.Total.OpenPipeline, Tolerance);
    }

    [Fact]
    public void Without_a_range_the_periods_run_from_the_first_won_deal_to_today()
    {
        var report = _analytics.Analyze(Data());

        // P11 closed in 2025-Q4; today is in 2026-Q3: Q4, Q1, Q2, Q3 = 4 quarters. U1 won 13,999.
        Assert.Equal(4, report.PeriodsMeasured);
        Assert.Equal(13_999 / 4.0, report.Owners[0].Metrics.AverageWonPerPeriod, Tolerance);
        Assert.Equal(3, report.Owners[0].Metrics.WonCount); // P1, P2 and P11
    }

    [Fact]
    public void A_range_running_into_the_future_counts_periods_up_to_the_current_one()
    {
        var report = _analytics.Analyze(Data(), new PerformanceQuery { CloseDate = DateRange.Relative("THIS_YEAR") });

        // 2026: Q1, Q2 and Q3 (today's), not Q4. U1 won 4,000 in 2026.
        Assert.Equal(3, report.PeriodsMeasured);
        Assert.Equal(4000 / 3.0, report.Owners[0].Metrics.AverageWonPerPeriod, Tolerance);
    }

    [Fact]
    public void The_owner_filter_keeps_only_those_owners_and_the_monthly_period_moves_the_next_period()
    {
        var query = new PerformanceQuery { Owners = ["U2"], CoveragePeriod = CalendarPeriod.Month, CloseDate = FirstHalf.CloseDate };

        var report = _analytics.Analyze(Data(), query);

        // Next month: August 2026 — U2 has nothing closing then. Six months measured: 2,000 ÷ 6 a month.
        Assert.Equal("U2", Assert.Single(report.Owners).OwnerId);
        Assert.Equal(new DateOnly(2026, 8, 1), report.NextPeriodStart);
        Assert.Equal(6, report.PeriodsMeasured);
        Assert.Equal(0, report.Owners[0].Metrics.NextPeriodPipeline);
        Assert.Equal(["M"], report.Teams.Select(t => t.ManagerId));
    }

    [Fact]
    public void Invalid_queries_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _analytics.Analyze(Data(), new PerformanceQuery { Quotas = new Dictionary<string, double> { ["U1"] = 0 } }));
        Assert.Throws<ArgumentException>(() => _analytics.Analyze(Data(), new PerformanceQuery { Quotas = new Dictionary<string, double> { [" "] = 10 } }));
        Assert.Throws<ArgumentException>(() => _analytics.Analyze(Data(), new PerformanceQuery { Owners = [""] }));
        Assert.Throws<ArgumentException>(() => _analytics.Analyze(Data(), new PerformanceQuery { CoveragePeriod = (CalendarPeriod)9 }));
    }

    private static OpportunityRecord Won(string id, string owner, decimal amount, DateOnly created, DateOnly close) => new()
    {
        Id = id, OwnerId = owner, StageName = "Closed Won", Amount = amount, CreatedDate = AccountSample.At(created), CloseDate = close, IsClosed = true, IsWon = true,
    };

    private static OpportunityRecord Lost(string id, string owner, DateOnly close) => new()
    {
        Id = id, OwnerId = owner, StageName = "Closed Lost", Amount = 100, CreatedDate = AccountSample.At(close.AddDays(-10)), CloseDate = close, IsClosed = true,
    };

    [Fact]
    public async Task Null_arguments_are_refused_before_any_call()
    {
        Assert.Throws<ArgumentNullException>(() => _analytics.Analyze(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _analytics.AnalyzeAsync((SalesforceClient)null!, cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _analytics.AnalyzeAsync((global::Atom.Salesforce.Client.Analytics.Data.ISalesDataSource)null!, cancellationToken: TestContext.Current.CancellationToken));
    }

    private static OpportunityRecord Open(string id, string owner, decimal amount, DateOnly close) => new()
    {
        Id = id, OwnerId = owner, StageName = "Prospecting", Amount = amount, CreatedDate = AccountSample.At(new(2026, 6, 1)), CloseDate = close,
    };
}
