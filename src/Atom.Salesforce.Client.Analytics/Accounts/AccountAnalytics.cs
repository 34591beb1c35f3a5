using System.Globalization;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Accounts;

/// <summary>
/// Account analytics over a <see cref="SalesData"/>: won revenue growth by period with year-over-year change (overall and
/// per account), an explainable health score, rule-based churn risk, expansion candidates, engagement, customer lifetime
/// value (historical and predicted from the org's own retention) and territory assignment, with a summary by industry,
/// type, owner or territory. One pass over the opportunities and one over the activities. Thread-safe; registered by
/// <c>.AddAnalytics()</c>.
/// </summary>
/// <remarks>
/// <para>Health (0–100) adds five weighted parts (<see cref="HealthWeights"/>), each earning a share 0–1 of its weight:
/// activity recency 1 − days since the last activity ÷ 90 (0 with none); activity frequency activities in the last 90
/// days ÷ 12; open pipeline the account's open amount ÷ the average won deal of the accounts in scope; win rate won ÷
/// closed deals (0.5 when none closed); engaged contacts contacts with an activity in the last 90 days ÷ 3. Each share is
/// capped at 1.</para>
/// <para>Churn risk and lifetime value: see <see cref="ChurnRisk"/> and <see cref="RetentionModel"/>. Expansion
/// candidates are customers with health at least <see cref="AccountQuery.ExpansionMinimumHealth"/> and an open
/// pipeline below a quarter of what they spend a year (<c>low_pipeline</c>), or fewer engaged contacts than their size
/// suggests, one per 1,000 employees between 2 and 10 (2 when the head count is unknown) (<c>few_engaged_contacts</c>).</para>
/// </remarks>
public class AccountAnalytics
{
    /// <summary>The record lists the <c>AnalyzeAsync</c> overloads loads.</summary>
    internal const SalesDataParts Parts = SalesDataParts.Accounts | SalesDataParts.Opportunities | SalesDataParts.Contacts | SalesDataParts.Activities;

    internal const int RecentDays = 90;
    internal const double FrequencyTarget = 12;
    internal const double EngagedContactsTarget = 3;
    internal const int RecentLossDays = 180;
    internal const double LowPipelineShare = 0.25;

    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the analytics with the clock that decides "today".</summary>
    /// <param name="timeProvider">The clock; null for <see cref="TimeProvider.System"/>.</param>
    public AccountAnalytics(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>For mocking frameworks: the analytics on the system clock.</summary>
    protected AccountAnalytics()
        : this(null)
    {
    }

    /// <summary>Loads the org's accounts, opportunities, contacts, tasks and events (one query each, at once) and reports on them.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="query">Scope, grouping and model settings; null for every account by industry and quarter.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentException">The query is invalid (checked before any call).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<AccountReport> AnalyzeAsync(SalesforceClient client, AccountQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        query?.Validate();
        var data = await SalesDataLoader.LoadAsync(client, Parts, cancellationToken).ConfigureAwait(false);
        return Analyze(data, query);
    }

    /// <summary>
    /// Reads the accounts, opportunities, contacts, tasks and events from <paramref name="source"/> (Salesforce or a mirror of
    /// it) and reports on them. Nothing is filtered in the source: health and churn read deals outside the close-date range.
    /// </summary>
    /// <param name="source">Where the records come from.</param>
    /// <param name="query">Scope, grouping and model settings; null for every account by industry and quarter.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="ArgumentException">The query is invalid (checked before any read).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<AccountReport> AnalyzeAsync(ISalesDataSource source, AccountQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        query?.Validate();
        var data = await source.LoadAsync(Parts, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Analyze(data, query);
    }

    /// <summary>Reports on the accounts of <paramref name="data"/> that <paramref name="query"/> selects.</summary>
    /// <param name="data">Accounts, opportunities, contacts and activities.</param>
    /// <param name="query">Scope, grouping and model settings; null for every account by industry and quarter.</param>
    /// <exception cref="ArgumentException">The query is invalid.</exception>
    public virtual AccountReport Analyze(SalesData data, AccountQuery? query = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        query ??= new AccountQuery();
        query.Validate();
        var today = Periods.Today(_timeProvider);
        (DateOnly Start, DateOnly End)? range = query.CloseDate?.Resolve(today);
        var period = query.GrowthPeriod;
        var perYear = Periods.PerYear(period);
        var territories = query.Territories ?? TerritoryRules.None;

        // The accounts in scope, indexed once.
        var owners = PicklistFilter.Create(query.Owners);
        var industries = PicklistFilter.Create(query.Industries);
        var types = PicklistFilter.Create(query.Types);
        var states = new List<State>();
        var byId = new Dictionary<string, State>(StringComparer.Ordinal);
        foreach (var account in data.Accounts)
        {
            if (PicklistFilter.Passes(owners, account.OwnerId) && PicklistFilter.Passes(industries, account.Industry) && PicklistFilter.Passes(types, account.Type)
                && !byId.ContainsKey(account.Id))
            {
                var state = new State(account, territories.Assign(account.BillingCountry, account.BillingState, account.Industry));
                states.Add(state);
                byId.Add(account.Id, state);
            }
        }

        // Opportunities: pipeline, wins and losses, revenue by period and by trailing year.
        var allPeriods = new Dictionary<int, (double Revenue, int Count)>();
        var rangePeriods = new Dictionary<int, (double Revenue, int Count)>();
        var buyersByYear = new List<HashSet<string>>();
        double dealSum = 0;
        var deals = 0;
        foreach (var o in data.Opportunities)
        {
            if (o.AccountId is null || !byId.TryGetValue(o.AccountId, out var s))
            {
                continue;
            }

            var amount = (double)(o.Amount ?? 0);
            if (!o.IsClosed)
            {
                s.Open += amount;
                s.OpenCount++;
                continue;
            }

            var age = today.DayNumber - o.CloseDate.DayNumber;
            if (!o.IsWon)
            {
                s.Lost++;
                if (age is >= 0 and < RecentLossDays)
                {
                    s.RecentLosses++;
                }

                continue;
            }

            s.Won++;
            s.WonAll += amount;
            if (s.FirstWon is not { } first || o.CloseDate < first)
            {
                s.FirstWon = o.CloseDate;
            }

            if (o.Amount is not null)
            {
                dealSum += amount;
                deals++;
            }

            var index = Periods.Index(o.CloseDate, period);
            Add(allPeriods, index, amount);
            Add(s.AllPeriods, index, amount);
            if (range is not { } r || (o.CloseDate >= r.Start && o.CloseDate <= r.End))
            {
                s.WonInRange += amount;
                Add(rangePeriods, index, amount);
                Add(s.RangePeriods, index, amount);
            }

            // Trailing years: year 0 is the 365 days up to today, year 1 the 365 before, ...
            var year = Math.Max(0, age) / 365;
            while (buyersByYear.Count <= year)
            {
                buyersByYear.Add(new HashSet<string>(StringComparer.Ordinal));
            }

            buyersByYear[year].Add(s.Account.Id);
            if (year == 0)
            {
                s.WonYear0 += amount;
            }
            else if (year == 1)
            {
                s.WonYear1 += amount;
            }
        }

        // Activities: recency, windows, engaged contacts.
        var resolver = new AccountResolver(data);
        foreach (var a in data.Activities)
        {
            if (resolver.AccountOf(a) is not { } accountId || !byId.TryGetValue(accountId, out var s))
            {
                continue;
            }

            var day = Periods.DayOf(a);
            var age = today.DayNumber - day.DayNumber;
            if (age < 0)
            {
                continue; // planned, not done yet
            }

            if (s.LastActivity is not { } last || day > last)
            {
                s.LastActivity = day;
            }

            if (age < 365)
            {
                s.Year.Add(a);
            }

            if (age < RecentDays)
            {
                s.Quarter.Add(a);
                if (a.WhoId is { } who && resolver.ContactAccount(who) == accountId)
                {
                    s.Engaged.Add(who);
                }
            }

            if (age < 30)
            {
                s.Month.Add(a);
            }
        }

        foreach (var c in data.Contacts)
        {
            if (c.AccountId is { } id && byId.TryGetValue(id, out var s))
            {
                s.Contacts++;
            }
        }

        var seriesIndexes = SeriesIndexes(range, period, rangePeriods, today);
        var growth = seriesIndexes.Select(i => Revenue(i, period, perYear, rangePeriods, allPeriods)).ToList();
        var retention = Retention(buyersByYear, today, query.DiscountRate, query.LifetimeHorizonYears);
        var averageDeal = deals == 0 ? (double?)null : dealSum / deals;
        var weights = query.HealthWeights ?? new HealthWeights();

        var insights = new List<AccountInsight>(states.Count);
        foreach (var s in states)
        {
            // The account's own periods (and the periods a year after its wins), not every period of the series.
            var accountGrowth = s.RangePeriods.Keys.Concat(s.AllPeriods.Keys.Select(k => k + perYear))
                .Where(i => seriesIndexes.Count > 0 && i >= seriesIndexes[0] && i <= seriesIndexes[^1])
                .Distinct()
                .Order()
                .Select(i => Revenue(i, period, perYear, s.RangePeriods, s.AllPeriods))
                .ToList();
            var engagement = new AccountEngagement
            {
                LastActivityDate = s.LastActivity,
                DaysSinceLastActivity = s.LastActivity is { } last ? today.DayNumber - last.DayNumber : null,
                Last30Days = s.Month.ToCounts(),
                Last90Days = s.Quarter.ToCounts(),
                Last365Days = s.Year.ToCounts(),
                Contacts = s.Contacts,
                EngagedContacts = s.Engaged.Count,
            };
            var health = Health(s, weights, averageDeal, today);
            var isCustomer = s.Won > 0;
            var lifetime = isCustomer ? LifetimeValue(s, retention, today) : null;
            var churn = isCustomer ? Churn(s) : null;
            var expansion = isCustomer && health.Score >= query.ExpansionMinimumHealth ? Expansion(s, lifetime!) : [];
            insights.Add(new AccountInsight
            {
                AccountId = s.Account.Id,
                Name = s.Account.Name,
                Industry = s.Account.Industry,
                Type = s.Account.Type,
                OwnerId = s.Account.OwnerId,
                Territory = s.Territory,
                IsCustomer = isCustomer,
                WonRevenue = s.WonInRange,
                OpenPipeline = s.Open,
                OpenCount = s.OpenCount,
                Growth = accountGrowth,
                Health = health,
                ChurnRisk = churn,
                Engagement = engagement,
                LifetimeValue = lifetime,
                ExpansionReasons = expansion,
            });
        }

        insights.Sort(static (a, b) => b.Health.Score != a.Health.Score ? b.Health.Score.CompareTo(a.Health.Score) : string.CompareOrdinal(a.AccountId, b.AccountId));
        var churnRisks = insights
            .Where(i => i.ChurnRisk is { Level: > ChurnRiskLevel.None })
            .OrderByDescending(i => i.ChurnRisk!.Points)
            .ThenByDescending(i => i.LifetimeValue!.HistoricalValue)
            .ThenBy(i => i.AccountId, StringComparer.Ordinal)
            .ToList();
        var expansionCandidates = insights
            .Where(i => i.ExpansionReasons.Count > 0)
            .OrderByDescending(i => i.LifetimeValue!.AnnualValue)
            .ThenBy(i => i.AccountId, StringComparer.Ordinal)
            .ToList();
        var groups = insights
            .GroupBy(i => query.GroupBy switch
            {
                AccountDimension.Industry => i.Industry,
                AccountDimension.Type => i.Type,
                AccountDimension.Owner => i.OwnerId,
                _ => i.Territory,
            })
            .Select(g => new AccountGroup
            {
                Key = g.Key,
                Accounts = g.Count(),
                Customers = g.Count(i => i.IsCustomer),
                WonRevenue = g.Sum(i => i.WonRevenue),
                OpenPipeline = g.Sum(i => i.OpenPipeline),
                AverageHealth = g.Average(i => i.Health.Score),
            })
            .OrderByDescending(g => g.WonRevenue)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var territorySummary = insights
            .GroupBy(i => i.Territory, StringComparer.Ordinal)
            .Select(g => new TerritorySummary
            {
                Territory = g.Key,
                Accounts = g.Count(),
                WonRevenue = g.Sum(i => i.WonRevenue),
                OpenPipeline = g.Sum(i => i.OpenPipeline),
            })
            .OrderByDescending(t => t.WonRevenue)
            .ThenBy(t => t.Territory, StringComparer.Ordinal)
            .ToList();

        return new AccountReport
        {
            Start = range?.Start,
            End = range?.End,
            GrowthPeriod = period,
            Growth = growth,
            WonRevenue = insights.Sum(i => i.WonRevenue),
            OpenPipeline = insights.Sum(i => i.OpenPipeline),
            Accounts = insights,
            ChurnRisks = churnRisks,
            ExpansionCandidates = expansionCandidates,
            Groups = groups,
            Territories = territorySummary,
            Retention = retention,
        };
    }

    /// <summary>
    /// Won revenue by period with year-over-year change, computed by the org: one aggregate SOQL query grouped by calendar
    /// period (two, run at once, when there is a range: the range, and the same periods a year earlier), with the account
    /// filters applied through the Account relationship. The same figures as <see cref="Analyze"/>'s
    /// <see cref="AccountReport.Growth"/>, for a fraction of the data moved; use it when only growth is wanted.
    /// </summary>
    /// <param name="client">The org's client.</param>
    /// <param name="query">Range, filters and period; the model settings are not used.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentException">The query is invalid (checked before any call).</exception>
    public virtual async Task<IReadOnlyList<PeriodRevenue>> GrowthAsync(SalesforceClient client, AccountQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        query ??= new AccountQuery();
        query.Validate();
        var today = Periods.Today(_timeProvider);
        (DateOnly Start, DateOnly End)? range = query.CloseDate?.Resolve(today);
        var period = query.GrowthPeriod;
        var perYear = Periods.PerYear(period);

        async Task<Dictionary<int, (double Revenue, int Count)>> Read(DateOnly? from, DateOnly? to)
        {
            var periods = new Dictionary<int, (double Revenue, int Count)>();
            await foreach (var row in client.Query.QueryAsync<RevenueGrowthQuery.Row>(RevenueGrowthQuery.Soql(query, from, to), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                periods[RevenueGrowthQuery.Index(row, period)] = (row.Amount ?? 0, row.Count);
            }

            return periods;
        }

        Dictionary<int, (double Revenue, int Count)> inRange, prior;
        if (range is { } r)
        {
            var current = Read(r.Start, r.End);
            var before = Read(Periods.Start(Periods.Index(r.Start, period) - perYear, period), Periods.End(Periods.Index(r.End, period) - perYear, period));
            await Task.WhenAll(current, before).ConfigureAwait(false);
            (inRange, prior) = (current.Result, before.Result);
        }
        else
        {
            inRange = prior = await Read(null, null).ConfigureAwait(false);
        }

        return [.. SeriesIndexes(range, period, inRange, today).Select(i => Revenue(i, period, perYear, inRange, prior))];
    }

    /// <summary>
    /// The growth series: every period of the range up to today's (later ones cannot have won anything yet), or from the
    /// first to the last period with a won deal.
    /// </summary>
    private static List<int> SeriesIndexes((DateOnly Start, DateOnly End)? range, CalendarPeriod period, Dictionary<int, (double Revenue, int Count)> inRange, DateOnly today)
    {
        var indexes = new List<int>();
        var (first, last) = range is { } r
            ? (Periods.Index(r.Start, period), Math.Min(Periods.Index(r.End, period), Math.Max(Periods.Index(today, period), Periods.Index(r.Start, period))))
            : inRange.Count > 0 ? (inRange.Keys.Min(), inRange.Keys.Max()) : (0, -1);
        for (var i = first; i <= last; i++)
        {
            indexes.Add(i);
        }

        return indexes;
    }

    private static void Add(Dictionary<int, (double Revenue, int Count)> periods, int index, double amount)
    {
        periods.TryGetValue(index, out var current);
        periods[index] = (current.Revenue + amount, current.Count + 1);
    }

    private static PeriodRevenue Revenue(int index, CalendarPeriod period, int perYear, Dictionary<int, (double Revenue, int Count)> current, Dictionary<int, (double Revenue, int Count)> all)
    {
        current.TryGetValue(index, out var now);
        all.TryGetValue(index - perYear, out var before);
        return new PeriodRevenue
        {
            Period = Periods.Key(index, period),
            Start = Periods.Start(index, period),
            End = Periods.End(index, period),
            WonRevenue = now.Revenue,
            WonCount = now.Count,
            PriorYearRevenue = before.Revenue,
            YearOverYearChange = before.Revenue == 0 ? null : (now.Revenue - before.Revenue) / before.Revenue,
        };
    }

    private static AccountHealth Health(State s, HealthWeights weights, double? averageDeal, DateOnly today)
    {
        var scale = 100 / weights.Total;
        var components = new List<HealthComponent>(5);

        void Part(string factor, double weight, double value, string reason)
        {
            var max = weight * scale;
            value = Math.Clamp(value, 0, 1);
            components.Add(new HealthComponent
            {
                Factor = factor,
                Weight = max,
                Value = value,
                Points = max * value,
                Reason = reason,
            });
        }

        if (s.LastActivity is { } last)
        {
            var days = today.DayNumber - last.DayNumber;
            Part("activity_recency", weights.ActivityRecency, 1 - (days / (double)RecentDays), "Last activity " + Ago(days));
        }
        else
        {
            Part("activity_recency", weights.ActivityRecency, 0, "No activity logged");
        }

        var recent = s.Quarter.ToCounts().Total;
        Part("activity_frequency", weights.ActivityFrequency, recent / FrequencyTarget, string.Create(CultureInfo.InvariantCulture, $"{recent} activities in the last {RecentDays} days ({FrequencyTarget} earn full points)"));

        if (averageDeal is > 0 and var average)
        {
            Part("open_pipeline", weights.OpenPipeline, s.Open / average,
                string.Create(CultureInfo.InvariantCulture, $"Open pipeline {s.Open:N0} against an average won deal of {average:N0}"));
        }
        else
        {
            Part("open_pipeline", weights.OpenPipeline, s.Open > 0 ? 1 : 0, s.Open > 0 ? string.Create(CultureInfo.InvariantCulture, $"Open pipeline {s.Open:N0}") : "No open pipeline");
        }

        if (s.Won + s.Lost > 0)
        {
            var rate = s.Won / (double)(s.Won + s.Lost);
            Part("win_rate", weights.WinRate, rate, string.Create(CultureInfo.InvariantCulture, $"Won {s.Won} of {s.Won + s.Lost} closed deals"));
        }
        else
        {
            Part("win_rate", weights.WinRate, 0.5, "No closed deals yet (half points)");
        }

        Part("engaged_contacts", weights.EngagedContacts, s.Engaged.Count / EngagedContactsTarget,
            string.Create(CultureInfo.InvariantCulture, $"{s.Engaged.Count} of {s.Contacts} contacts active in the last {RecentDays} days ({EngagedContactsTarget} earn full points)"));

        var score = components.Sum(c => c.Points);
        var reasons = ScoreReason.Sorted(components.ConvertAll(c => new ScoreReason
        {
            Factor = c.Factor,
            Impact = c.Points - (c.Weight / 2),
            Description = c.Reason,
        }));
        return new AccountHealth { Score = score, Components = components, Reasons = reasons };
    }

    private static ChurnRisk Churn(State s)
    {
        var reasons = new List<ScoreReason>(4);
        if (s.Quarter.ToCounts().Total == 0)
        {
            reasons.Add(new ScoreReason
            {
                Factor = "activity_stopped",
                Impact = 2,
                Description = s.LastActivity is { } last
                ? string.Create(CultureInfo.InvariantCulture, $"No activity in the last {RecentDays} days (last on {last:yyyy-MM-dd})")
                : "No activity ever logged",
            });
        }

        if (s.WonYear0 < s.WonYear1)
        {
            reasons.Add(new ScoreReason
            {
                Factor = "revenue_declined",
                Impact = 1,
                Description = string.Create(CultureInfo.InvariantCulture, $"Won {s.WonYear0:N0} in the last 365 days against {s.WonYear1:N0} the year before ({(s.WonYear0 - s.WonYear1) / s.WonYear1:+0%;-0%})"),
            });
        }

        if (s.RecentLosses > 0)
        {
            reasons.Add(new ScoreReason
            {
                Factor = "recent_losses",
                Impact = 1,
                Description = string.Create(CultureInfo.InvariantCulture, $"{s.RecentLosses} deal(s) lost in the last {RecentLossDays} days"),
            });
        }

        if (s.OpenCount == 0)
        {
            reasons.Add(new ScoreReason { Factor = "no_open_pipeline", Impact = 1, Description = "No open deal" });
        }

        var points = reasons.Sum(r => (int)r.Impact);
        var level = points switch
        {
            0 => ChurnRiskLevel.None,
            1 => ChurnRiskLevel.Low,
            2 => ChurnRiskLevel.Medium,
            _ => ChurnRiskLevel.High,
        };
        return new ChurnRisk { Level = level, Points = points, Reasons = reasons };
    }

    private static CustomerLifetimeValue LifetimeValue(State s, RetentionModel retention, DateOnly today)
    {
        var years = Math.Max(1, (today.DayNumber - s.FirstWon!.Value.DayNumber) / 365.0);
        var annual = s.WonAll / years;
        var future = retention.LifetimeMultiplier is { } m ? annual * m : (double?)null;
        return new CustomerLifetimeValue
        {
            HistoricalValue = s.WonAll,
            CustomerYears = years,
            AnnualValue = annual,
            PredictedFutureValue = future,
            PredictedLifetimeValue = future is { } f ? s.WonAll + f : null,
        };
    }

    private static List<ScoreReason> Expansion(State s, CustomerLifetimeValue lifetime)
    {
        var reasons = new List<ScoreReason>(2);
        if (s.Open < LowPipelineShare * lifetime.AnnualValue)
        {
            reasons.Add(new ScoreReason
            {
                Factor = "low_pipeline",
                Impact = 1,
                Description = string.Create(CultureInfo.InvariantCulture, $"Open pipeline {s.Open:N0} is below a quarter of the {lifetime.AnnualValue:N0} it spends a year"),
            });
        }

        var expected = s.Account.NumberOfEmployees is { } employees ? Math.Clamp((int)Math.Ceiling(employees / 1000.0), 2, 10) : 2;
        if (s.Engaged.Count < expected)
        {
            reasons.Add(new ScoreReason
            {
                Factor = "few_engaged_contacts",
                Impact = 1,
                Description = string.Create(CultureInfo.InvariantCulture, $"{s.Engaged.Count} engaged contacts where its size suggests {expected}"),
            });
        }

        return reasons;
    }

    /// <summary>The org's retention from the trailing years' buyers, and the discounted lifetime multiplier.</summary>
    internal static RetentionModel Retention(IReadOnlyList<HashSet<string>> buyersByYear, DateOnly today, double discountRate, int horizon)
    {
        var years = new List<RetentionYear>();
        int customers = 0, retained = 0;
        for (var k = 1; k < buyersByYear.Count; k++)
        {
            var cohort = buyersByYear[k];
            var kept = cohort.Count(buyersByYear[k - 1].Contains);
            customers += cohort.Count;
            retained += kept;
            years.Add(new RetentionYear
            {
                Start = today.AddDays(-(365 * (k + 1)) + 1),
                End = today.AddDays(-(365 * k)),
                Customers = cohort.Count,
                RetainedNextYear = kept,
            });
        }

        double? rate = customers == 0 ? null : retained / (double)customers;
        double? multiplier = null;
        if (rate is { } r)
        {
            var q = r / (1 + discountRate);
            var sum = 0.0;
            var term = 1.0;
            for (var t = 1; t <= horizon; t++)
            {
                term *= q;
                sum += term;
            }

            multiplier = sum;
        }

        return new RetentionModel
        {
            Years = years,
            RetentionRate = rate,
            DiscountRate = discountRate,
            HorizonYears = horizon,
            LifetimeMultiplier = multiplier,
        };
    }

    /// <summary><c>today</c>, <c>1 day ago</c>, <c>12 days ago</c>.</summary>
    internal static string Ago(int days) => days switch
    {
        0 => "today",
        1 => "1 day ago",
        _ => string.Create(CultureInfo.InvariantCulture, $"{days} days ago"),
    };

    private sealed class State(AccountRecord account, string territory)
    {
        public AccountRecord Account { get; } = account;

        public string Territory { get; } = territory;

        public double Open { get; set; }

        public int OpenCount { get; set; }

        public int Won { get; set; }

        public int Lost { get; set; }

        public int RecentLosses { get; set; }

        public double WonAll { get; set; }

        public double WonInRange { get; set; }

        public double WonYear0 { get; set; }

        public double WonYear1 { get; set; }

        public DateOnly? FirstWon { get; set; }

        public DateOnly? LastActivity { get; set; }

        public int Contacts { get; set; }

        public Dictionary<int, (double Revenue, int Count)> AllPeriods { get; } = [];

        public Dictionary<int, (double Revenue, int Count)> RangePeriods { get; } = [];

        public ActivityTally Month { get; } = new();

        public ActivityTally Quarter { get; } = new();

        public ActivityTally Year { get; } = new();

        public HashSet<string> Engaged { get; } = new(StringComparer.Ordinal);
    }
}
