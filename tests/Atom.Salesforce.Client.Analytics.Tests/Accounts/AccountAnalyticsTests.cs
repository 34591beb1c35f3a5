using Atom.Salesforce.Client.Analytics.Accounts;

namespace Atom.Salesforce.Client.Analytics.Tests.Accounts;

/// <summary>Every expected value is worked out by hand from <see cref="AccountSample"/>; the arithmetic is in the comments.</summary>
public sealed class AccountAnalyticsTests
{
    private const double Tolerance = 1e-6;
    private readonly AccountAnalytics _analytics = new(AccountSample.Clock());

    private AccountInsight Account(AccountReport report, string id) => report.Accounts.Single(a => a.AccountId == id);

    [Fact]
    public void Growth_by_quarter_runs_from_the_first_to_the_last_won_quarter_with_the_change_on_a_year_earlier()
    {
        var report = _analytics.Analyze(AccountSample.Data());

        // 2025-Q1: O1 100 + O8 60. 2025-Q2: O3 200. 2026-Q1: O2 150 against 160 → −6.25%. 2026-Q2: O7 100 against 200 → −50%.
        Assert.Equal(CalendarPeriod.Quarter, report.GrowthPeriod);
        Assert.Equal(
            [
                new PeriodRevenue
                {
                    Period = "2025-Q1",
                    Start = new(2025, 1, 1),
                    End = new(2025, 3, 31),
                    WonRevenue = 160,
                    WonCount = 2,
                    PriorYearRevenue = 0,
                },
                new PeriodRevenue
                {
                    Period = "2025-Q2",
                    Start = new(2025, 4, 1),
                    End = new(2025, 6, 30),
                    WonRevenue = 200,
                    WonCount = 1,
                    PriorYearRevenue = 0,
                },
                new PeriodRevenue
                {
                    Period = "2025-Q3",
                    Start = new(2025, 7, 1),
                    End = new(2025, 9, 30),
                    WonRevenue = 0,
                    WonCount = 0,
                    PriorYearRevenue = 0,
                },
                new PeriodRevenue
                {
                    Period = "2025-Q4",
                    Start = new(2025, 10, 1),
                    End = new(2025, 12, 31),
                    WonRevenue = 0,
                    WonCount = 0,
                    PriorYearRevenue = 0,
                },
                new PeriodRevenue
                {
                    Period = "2026-Q1",
                    Start = new(2026, 1, 1),
                    End = new(2026, 3, 31),
                    WonRevenue = 150,
                    WonCount = 1,
                    PriorYearRevenue = 160,
                    YearOverYearChange = -0.0625,
                },
                new PeriodRevenue
                {
                    Period = "2026-Q2",
                    Start = new(2026, 4, 1),
                    End = new(2026, 6, 30),
                    WonRevenue = 100,
                    WonCount = 1,
                    PriorYearRevenue = 200,
                    YearOverYearChange = -0.5,
                },
            ],
            report.Growth);
        Assert.Equal(610, report.WonRevenue, Tolerance);
        Assert.Equal(140, report.OpenPipeline, Tolerance);
    }

    [Fact]
    public void Growth_per_account_lists_only_the_periods_where_it_or_the_year_before_has_revenue()
    {
        var report = _analytics.Analyze(AccountSample.Data());

        // A1: O1 100 in 2025-Q1; O2 150 in 2026-Q1 against 100 → +50%. A2: O3 200 in 2025-Q2; O7 100 in 2026-Q2 → −50%.
        Assert.Equal(
            [new PeriodRevenue
            {
                Period = "2025-Q1",
                Start = new(2025, 1, 1),
                End = new(2025, 3, 31),
                WonRevenue = 100,
                WonCount = 1,
                PriorYearRevenue = 0,
            }, new PeriodRevenue
            {
                Period = "2026-Q1",
                Start = new(2026, 1, 1),
                End = new(2026, 3, 31),
                WonRevenue = 150,
                WonCount = 1,
                PriorYearRevenue = 100,
                YearOverYearChange = 0.5,
            }],
            Account(report, "A1").Growth);
        Assert.Equal([-0.5], Account(report, "A2").Growth.Where(g => g.YearOverYearChange is not null).Select(g => g.YearOverYearChange!.Value));
        Assert.Empty(Account(report, "A3").Growth);
    }

    [Fact]
    public void Growth_by_year_over_a_date_range_compares_with_the_year_before_outside_the_range()
    {
        var query = new AccountQuery { CloseDate = DateRange.Between(new(2026, 1, 1), new(2026, 6, 30)), GrowthPeriod = CalendarPeriod.Year };

        var report = _analytics.Analyze(AccountSample.Data(), query);

        // 2026 (in range): O2 150 + O7 100 = 250. 2025: O1 100 + O3 200 + O8 60 = 360. (250 − 360) ÷ 360.
        var year = Assert.Single(report.Growth);
        Assert.Equal("2026", year.Period);
        Assert.Equal(250, year.WonRevenue, Tolerance);
        Assert.Equal(2, year.WonCount);
        Assert.Equal(360, year.PriorYearRevenue, Tolerance);
        Assert.Equal(-110.0 / 360, year.YearOverYearChange!.Value, Tolerance);
        Assert.Equal(250, report.WonRevenue, Tolerance);
        Assert.Equal(new DateOnly(2026, 1, 1), report.Start);
        Assert.Equal(150, Account(report, "A1").WonRevenue, Tolerance);
        // A4 won only in 2025: its 2026 shows nothing against 60, −100%. A3 never won: no period.
        Assert.Equal([new PeriodRevenue
        {
            Period = "2026",
            Start = new(2026, 1, 1),
            End = new(2026, 12, 31),
            WonRevenue = 0,
            WonCount = 0,
            PriorYearRevenue = 60,
            YearOverYearChange = -1,
        }], Account(report, "A4").Growth);
        Assert.Empty(Account(report, "A3").Growth);
    }

    [Fact]
    public void Growth_over_a_range_running_into_the_future_stops_at_todays_period()
    {
        var report = _analytics.Analyze(AccountSample.Data(), new AccountQuery { CloseDate = DateRange.Relative("THIS_YEAR"), GrowthPeriod = CalendarPeriod.Quarter });

        // Today is 2026-07-01: Q1, Q2 and Q3 (partial) of 2026; Q4 has not begun.
        Assert.Equal(["2026-Q1", "2026-Q2", "2026-Q3"], report.Growth.Select(g => g.Period));
        Assert.Equal(new DateOnly(2026, 12, 31), report.End);
    }

    [Fact]
    public void Health_adds_five_weighted_parts_each_with_its_value_and_reason()
    {
        var health = Account(_analytics.Analyze(AccountSample.Data()), "A1").Health;

        // Average won deal: (100 + 150 + 200 + 100 + 60) ÷ 5 = 122.
        // Recency 25 × (1 − 10/90); frequency 20 × 2/12 (X1, X2); pipeline 20 × 100/122; win rate 15 × 2/2; engaged 20 × 2/3 (C1, C2).
        var expected = new (string Factor, double Weight, double Value)[]
        {
            ("activity_recency", 25, 1 - (10 / 90.0)),
            ("activity_frequency", 20, 2 / 12.0),
            ("open_pipeline", 20, 100 / 122.0),
            ("win_rate", 15, 1),
            ("engaged_contacts", 20, 2 / 3.0),
        };
        Assert.Equal(expected.Select(e => e.Factor), health.Components.Select(c => c.Factor));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Weight, health.Components[i].Weight, Tolerance);
            Assert.Equal(expected[i].Value, health.Components[i].Value, Tolerance);
            Assert.Equal(expected[i].Weight * expected[i].Value, health.Components[i].Points, Tolerance);
        }

        Assert.Equal(70.28233151, health.Score, Tolerance);
        Assert.Equal("Last activity 10 days ago", health.Components[0].Reason);
        Assert.Equal("Won 2 of 2 closed deals", health.Components[3].Reason);

        // Reasons: points above or below half the weight. Recency +9.72, win rate +7.5, frequency −6.67, pipeline +6.39, engaged +3.33.
        Assert.Equal(["activity_recency", "win_rate", "activity_frequency", "open_pipeline", "engaged_contacts"], health.Reasons.Select(r => r.Factor));
        Assert.Equal((25 * (1 - (10 / 90.0))) - 12.5, health.Reasons[0].Impact, Tolerance);
        Assert.Equal(20 * (2 / 12.0) - 10, health.Reasons.Single(r => r.Factor == "activity_frequency").Impact, Tolerance);
    }

    [Fact]
    public void Health_gives_no_recency_past_90_days_and_half_the_win_rate_points_without_closed_deals()
    {
        var report = _analytics.Analyze(AccountSample.Data());

        // A2: last activity 180 days ago → 0; nothing in 90 days; no open deal; won 2 of 3 → 15 × 2/3 = 10; no engaged contact.
        Assert.Equal(10, Account(report, "A2").Health.Score, Tolerance);
        // A3: recency 25 × 89/90 (X6 yesterday, found through O6); frequency 20 × 1/12; pipeline 20 × 40/122; no closed deal 7.5; engaged 20 × 1/3.
        Assert.Equal((25 * 89 / 90.0) + (20 / 12.0) + (20 * 40 / 122.0) + 7.5 + (20 / 3.0), Account(report, "A3").Health.Score, Tolerance);
        Assert.Equal("No closed deals yet (half points)", Account(report, "A3").Health.Components.Single(c => c.Factor == "win_rate").Reason);
        // A5: nothing at all but the neutral win rate.
        Assert.Equal(7.5, Account(report, "A5").Health.Score, Tolerance);
        Assert.Equal(["A1", "A3", "A4", "A2", "A5"], report.Accounts.Select(a => a.AccountId));
    }

    [Fact]
    public void Health_weights_are_relative_and_configurable()
    {
        var query = new AccountQuery { HealthWeights = new HealthWeights { ActivityRecency = 0, ActivityFrequency = 0, OpenPipeline = 0, WinRate = 3, EngagedContacts = 1 } };

        var report = _analytics.Analyze(AccountSample.Data(), query);

        // Weights scale to 75 and 25. A2: 75 × 2/3 + 25 × 0 = 50. A1: 75 × 1 + 25 × 2/3.
        Assert.Equal(50, Account(report, "A2").Health.Score, Tolerance);
        Assert.Equal(75 + (25 * 2 / 3.0), Account(report, "A1").Health.Score, Tolerance);
        Assert.Equal(0, Account(report, "A1").Health.Components[0].Weight);
    }

    [Theory]
    [InlineData(-1, 20)]
    [InlineData(double.NaN, 20)]
    [InlineData(0, 0)]
    public void Invalid_health_weights_are_refused(double recency, double others)
    {
        var weights = new HealthWeights { ActivityRecency = recency, ActivityFrequency = others, OpenPipeline = others, WinRate = others, EngagedContacts = others };

        Assert.Throws<ArgumentException>(() => _analytics.Analyze(AccountSample.Data(), new AccountQuery { HealthWeights = weights }));
    }

    [Fact]
    public void Churn_risk_fires_its_rules_on_customers_only()
    {
        var report = _analytics.Analyze(AccountSample.Data());

        // A2: no activity in 90 days (2), won 100 in the last 365 days against 200 before (1), O4 lost 61 days ago (1), no open deal (1) = 5.
        var a2 = Account(report, "A2").ChurnRisk!;
        Assert.Equal(ChurnRiskLevel.High, a2.Level);
        Assert.Equal(5, a2.Points);
        Assert.Equal(["activity_stopped", "no_open_pipeline", "recent_losses", "revenue_declined"], a2.Reasons.Select(r => r.Factor).Order());
        Assert.Equal("activity_stopped", a2.Reasons[0].Factor);
        // A4: never any activity (2), 0 won this year against 60 (1), no open deal (1) = 4.
        Assert.Equal(4, Account(report, "A4").ChurnRisk!.Points);
        // A1: active, 150 this year against 100, no loss, an open deal: none.
        Assert.Equal(ChurnRiskLevel.None, Account(report, "A1").ChurnRisk!.Level);
        Assert.Equal(0, Account(report, "A1").ChurnRisk!.Points);
        Assert.Empty(Account(report, "A1").ChurnRisk!.Reasons);
        Assert.Null(Account(report, "A3").ChurnRisk);
        Assert.Equal(["A2", "A4"], report.ChurnRisks.Select(a => a.AccountId));
    }

    [Fact]
    public void Lifetime_value_is_history_plus_annual_value_times_the_discounted_retention_multiplier()
    {
        var report = _analytics.Analyze(AccountSample.Data(), new AccountQuery { LifetimeHorizonYears = 3, DiscountRate = 0.1 });

        // Buyers in the year before last (days 365–729 ago): A1 (O1), A2 (O3), A4 (O8). Of those, A1 (O2) and A2 (O7) bought in the last year.
        var retention = report.Retention;
        var year = Assert.Single(retention.Years);
        Assert.Equal(new RetentionYear
        {
            Start = AccountSample.Today.AddDays(-729),
            End = AccountSample.Today.AddDays(-365),
            Customers = 3,
            RetainedNextYear = 2,
        }, year);
        Assert.Equal(2 / 3.0, retention.RetentionRate!.Value, Tolerance);
        // q = (2/3) ÷ 1.1; multiplier = q + q² + q³.
        var q = 2 / 3.0 / 1.1;
        Assert.Equal(q + (q * q) + (q * q * q), retention.LifetimeMultiplier!.Value, Tolerance);
        Assert.Equal(1.19598186, retention.LifetimeMultiplier!.Value, Tolerance);

        // A1: 250 won; first won deal 2025-02-10, 506 days ago → 1.3863 years; 180.336 a year; future 180.336 × 1.19598.
        var a1 = Account(report, "A1").LifetimeValue!;
        Assert.Equal(250, a1.HistoricalValue, Tolerance);
        Assert.Equal(506 / 365.0, a1.CustomerYears, Tolerance);
        Assert.Equal(180.33596838, a1.AnnualValue, Tolerance);
        Assert.Equal(215.67854637, a1.PredictedFutureValue!.Value, Tolerance);
        Assert.Equal(465.67854637, a1.PredictedLifetimeValue!.Value, Tolerance);
        Assert.Null(Account(report, "A3").LifetimeValue);
    }

    [Fact]
    public void Lifetime_value_counts_at_least_one_customer_year_and_has_no_prediction_without_retention_history()
    {
        var data = AccountSample.Data();
        var recent = new Client.Analytics.Data.SalesData
        {
            Accounts = data.Accounts,
            Opportunities = [.. data.Opportunities.Where(o => o.Id == "O7")],
        };

        var report = _analytics.Analyze(recent);

        // Only O7 (82 days ago): one customer year; no year has a following one.
        var a2 = Account(report, "A2").LifetimeValue!;
        Assert.Equal(1, a2.CustomerYears);
        Assert.Equal(100, a2.AnnualValue, Tolerance);
        Assert.Null(a2.PredictedFutureValue);
        Assert.Null(report.Retention.RetentionRate);
    }

    [Fact]
    public void Expansion_candidates_are_healthy_customers_with_low_pipeline_or_few_engaged_contacts()
    {
        var report = _analytics.Analyze(AccountSample.Data());

        // A1 (health 70.3): open 100 is not below a quarter of 180.3 a year; 2 engaged contacts where 5,000 staff suggest 5.
        var candidate = Assert.Single(report.ExpansionCandidates);
        Assert.Equal("A1", candidate.AccountId);
        var reason = Assert.Single(candidate.ExpansionReasons);
        Assert.Equal("few_engaged_contacts", reason.Factor);
        Assert.Equal("2 engaged contacts where its size suggests 5", reason.Description);

        // Lower the bar to 5: A2 and A4 (health 10 and 15) also qualify, with no open deal against their yearly spend.
        var low = _analytics.Analyze(AccountSample.Data(), new AccountQuery { ExpansionMinimumHealth = 5 });
        Assert.Equal(["A2", "A1", "A4"], low.ExpansionCandidates.Select(a => a.AccountId));
        Assert.Contains(Account(low, "A4").ExpansionReasons, r => r.Factor == "low_pipeline");
    }

    [Fact]
    public void Engagement_counts_activities_by_kind_in_three_windows_and_engaged_contacts()
    {
        var engagement = Account(_analytics.Analyze(AccountSample.Data()), "A1").Engagement;

        // X5 is planned in the future and left out. 30 days: X1. 90 days: X1, X2. 365 days: X1, X2, X3.
        Assert.Equal(AccountSample.Today.AddDays(-10), engagement.LastActivityDate);
        Assert.Equal(10, engagement.DaysSinceLastActivity);
        Assert.Equal(new ActivityCounts
        {
            Total = 1,
            Tasks = 1,
            Events = 0,
            Calls = 1,
            Emails = 0,
            Meetings = 0,
            CompletedTasks = 1,
        }, engagement.Last30Days);
        Assert.Equal(new ActivityCounts
        {
            Total = 2,
            Tasks = 1,
            Events = 1,
            Calls = 1,
            Emails = 0,
            Meetings = 1,
            CompletedTasks = 1,
        }, engagement.Last90Days);
        Assert.Equal(new ActivityCounts
        {
            Total = 3,
            Tasks = 2,
            Events = 1,
            Calls = 1,
            Emails = 1,
            Meetings = 1,
            CompletedTasks = 2,
        }, engagement.Last365Days);
        Assert.Equal(2, engagement.Contacts);
        Assert.Equal(2, engagement.EngagedContacts);
    }

    [Fact]
    public void Territories_go_to_the_first_matching_rule_or_the_default_and_are_summarised()
    {
        var rules = new TerritoryRules(
            [
                new TerritoryRule { Territory = "West", Countries = ["United States"], States = ["CA", "WA"] },
                new TerritoryRule { Territory = "Tech US", Countries = ["united states "], Industries = ["Technology"] },
                new TerritoryRule { Territory = "Europe", Countries = ["Germany", "France"] },
            ],
            "Rest");

        var report = _analytics.Analyze(AccountSample.Data(), new AccountQuery { Territories = rules, GroupBy = AccountDimension.Territory });

        // A1 matches West and Tech US: West comes first. A3 (NY) only Tech US. A5 (Japan) none.
        Assert.Equal(["West", "Europe", "Tech US", "Europe", "Rest"], new[] { "A1", "A2", "A3", "A4", "A5" }.Select(id => Account(report, id).Territory));
        Assert.Equal(
            [
                new TerritorySummary { Territory = "Europe", Accounts = 2, WonRevenue = 360, OpenPipeline = 0 },
                new TerritorySummary { Territory = "West", Accounts = 1, WonRevenue = 250, OpenPipeline = 100 },
                new TerritorySummary { Territory = "Rest", Accounts = 1, WonRevenue = 0, OpenPipeline = 0 },
                new TerritorySummary { Territory = "Tech US", Accounts = 1, WonRevenue = 0, OpenPipeline = 40 },
            ],
            report.Territories);
        Assert.Equal(report.Territories.Select(t => t.Territory), report.Groups.Select(g => g.Key));
    }

    [Fact]
    public void Territory_rules_refuse_a_rule_without_criteria_or_a_blank_name()
    {
        Assert.Throws<ArgumentException>(() => new TerritoryRules([new TerritoryRule { Territory = "Everything" }]));
        Assert.Throws<ArgumentException>(() => new TerritoryRules([new TerritoryRule { Territory = " ", Countries = ["France"] }]));
        Assert.Throws<ArgumentException>(() => new TerritoryRules([new TerritoryRule { Territory = "X", Countries = [""] }]));
        Assert.Throws<ArgumentException>(() => new TerritoryRules([], " "));
        Assert.Equal("Unassigned", TerritoryRules.None.Assign("France", null, "Retail"));
    }

    [Fact]
    public void The_summary_groups_by_industry_with_customers_revenue_pipeline_and_mean_health()
    {
        var report = _analytics.Analyze(AccountSample.Data());

        Assert.Equal(["Retail", "Technology", "Manufacturing"], report.Groups.Select(g => g.Key));
        var retail = report.Groups[0];
        Assert.Equal(new AccountGroup
        {
            Key = "Retail",
            Accounts = 2,
            Customers = 2,
            WonRevenue = 360,
            OpenPipeline = 0,
            AverageHealth = 12.5,
        }, retail with { AverageHealth = Math.Round(retail.AverageHealth, 9) });
        Assert.Equal((70.28233151 + 47.11293260) / 2, report.Groups[1].AverageHealth, Tolerance);
        Assert.Equal(140, report.Groups[1].OpenPipeline, Tolerance);
    }

    [Fact]
    public void Filters_select_accounts_by_industry_owner_and_type_case_insensitively()
    {
        var byIndustry = _analytics.Analyze(AccountSample.Data(), new AccountQuery { Industries = ["retail"] });
        var byOwnerAndType = _analytics.Analyze(AccountSample.Data(), new AccountQuery { Owners = ["U1"], Types = ["Prospect"] });

        Assert.Equal(["A2", "A4"], byIndustry.Accounts.Select(a => a.AccountId).Order());
        Assert.Equal(360, byIndustry.WonRevenue, Tolerance);
        Assert.Equal(["A3", "A5"], byOwnerAndType.Accounts.Select(a => a.AccountId).Order());
    }

    [Fact]
    public void Invalid_queries_are_refused_before_any_call()
    {
        Assert.Throws<ArgumentException>(() => _analytics.Analyze(AccountSample.Data(), new AccountQuery { DiscountRate = 1 }));
        Assert.Throws<ArgumentException>(() => _analytics.Analyze(AccountSample.Data(), new AccountQuery { LifetimeHorizonYears = 0 }));
        Assert.Throws<ArgumentException>(() => _analytics.Analyze(AccountSample.Data(), new AccountQuery { Industries = [" "] }));
        Assert.Throws<ArgumentException>(() => _analytics.Analyze(AccountSample.Data(), new AccountQuery { GroupBy = (AccountDimension)42 }));
        Assert.Throws<ArgumentNullException>(() => _analytics.Analyze(null!));
    }

    [Fact]
    public async Task AnalyzeAsync_checks_its_arguments_before_calling_the_org()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => _analytics.AnalyzeAsync((SalesforceClient)null!, cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _analytics.AnalyzeAsync((global::Atom.Salesforce.Client.Analytics.Data.ISalesDataSource)null!, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void The_pushed_down_growth_query_groups_by_calendar_period_with_the_filters_as_literals()
    {
        var query = new AccountQuery { GrowthPeriod = CalendarPeriod.Quarter, Industries = ["O'Brien & Co"], Owners = ["005A"], Types = ["Prospect"] };

        var soql = RevenueGrowthQuery.Soql(query, new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31));

        Assert.Equal(
            "SELECT CALENDAR_YEAR(CloseDate) y, CALENDAR_QUARTER(CloseDate) p, SUM(Amount) amount, COUNT(Id) n FROM Opportunity "
            + "WHERE IsWon = true AND AccountId != null AND CloseDate >= 2025-01-01 AND CloseDate <= 2025-12-31 AND Account.OwnerId IN ('005A') "
            + "AND Account.Industry IN ('O\\'Brien & Co') AND Account.Type IN ('Prospect') GROUP BY CALENDAR_YEAR(CloseDate), CALENDAR_QUARTER(CloseDate)",
            soql);
        Assert.Equal("SELECT CALENDAR_YEAR(CloseDate) y, SUM(Amount) amount, COUNT(Id) n FROM Opportunity WHERE IsWon = true AND AccountId != null GROUP BY CALENDAR_YEAR(CloseDate)",
            RevenueGrowthQuery.Soql(new AccountQuery { GrowthPeriod = CalendarPeriod.Year }, null, null));
    }

    [Fact]
    public async Task GrowthAsync_checks_its_arguments_before_calling_the_org()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => _analytics.GrowthAsync(null!, cancellationToken: TestContext.Current.CancellationToken));
    }
}
