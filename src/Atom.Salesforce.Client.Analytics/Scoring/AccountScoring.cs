using System.Globalization;
using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// Rule scores for the people and companies of an org: contact engagement (<see cref="ContactEngagementScore"/>),
/// account score (<see cref="AccountScore"/>) and cross-sell recommendations (<see cref="CrossSellRecommendation"/>).
/// Every score carries its reasons. Thread-safe; registered by <c>.AddAnalytics()</c>.
/// </summary>
public class AccountScoring
{
    internal const SalesDataParts Parts =
        SalesDataParts.Accounts | SalesDataParts.Contacts | SalesDataParts.Activities | SalesDataParts.Opportunities | SalesDataParts.Campaigns;

    private const int MinimumClosedForFit = 3;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the scoring with the clock that decides "today".</summary>
    /// <param name="timeProvider">The clock; null for <see cref="TimeProvider.System"/>.</param>
    public AccountScoring(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>For mocking frameworks: the scoring on the system clock.</summary>
    protected AccountScoring()
        : this(null)
    {
    }

    /// <summary>
    /// The size band of a head count, used for fit and for finding similar accounts: <c>Small</c> (under 200),
    /// <c>Mid-market</c> (200–1,999), <c>Enterprise</c> (2,000 and more) or <c>Unknown</c>.
    /// </summary>
    public static string SizeBand(int? employees) => employees switch
    {
        null => "Unknown",
        < 200 => "Small",
        < 2_000 => "Mid-market",
        _ => "Enterprise",
    };

    /// <summary>Loads accounts, contacts, activities, opportunities and campaigns (one query each, at once) and scores them.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="crossSell">Cross-sell thresholds; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentException">The options are invalid (checked before any call).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<AccountScoringReport> ScoreAsync(SalesforceClient client, CrossSellOptions? crossSell = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        crossSell?.Validate();
        var data = await SalesDataLoader.LoadAsync(client, Parts, cancellationToken).ConfigureAwait(false);
        return Score(data, crossSell);
    }

    /// <summary>Reads accounts, contacts, activities, opportunities and campaigns from <paramref name="source"/> (Salesforce or a mirror of it) and scores them.</summary>
    /// <param name="source">Where the records come from.</param>
    /// <param name="crossSell">Cross-sell thresholds; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="ArgumentException">The options are invalid (checked before any read).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<AccountScoringReport> ScoreAsync(ISalesDataSource source, CrossSellOptions? crossSell = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        crossSell?.Validate();
        var data = await source.LoadAsync(Parts, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Score(data, crossSell);
    }

    /// <summary>Scores the contacts and accounts of <paramref name="data"/> and recommends cross-sells.</summary>
    /// <param name="data">Accounts, contacts, activities, opportunities, campaigns and their members.</param>
    /// <param name="crossSell">Cross-sell thresholds; null for the defaults.</param>
    public virtual AccountScoringReport Score(SalesData data, CrossSellOptions? crossSell = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var contacts = ScoreContacts(data);
        return new AccountScoringReport
        {
            Contacts = contacts,
            Accounts = Accounts(data, contacts),
            CrossSell = RecommendCrossSell(data, crossSell),
        };
    }

    /// <summary>The engagement score of every contact, most engaged first.</summary>
    /// <param name="data">Contacts, activities and campaign members.</param>
    public virtual IReadOnlyList<ContactEngagementScore> ScoreContacts(SalesData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var today = Periods.Today(_timeProvider);
        var states = new Dictionary<string, ContactState>(StringComparer.Ordinal);
        foreach (var c in data.Contacts)
        {
            states.TryAdd(c.Id, new ContactState());
        }

        foreach (var a in data.Activities)
        {
            if (a.WhoId is null || !states.TryGetValue(a.WhoId, out var s))
            {
                continue;
            }

            var age = today.DayNumber - Periods.DayOf(a).DayNumber;
            if (age < 0)
            {
                continue;
            }

            s.LastAge = Math.Min(s.LastAge ?? int.MaxValue, age);
            if (age < AccountAnalytics.RecentDays)
            {
                s.Recent++;
                s.Meeting |= ActivityTally.IsMeeting(a);
                s.Call |= ActivityTally.IsCall(a);
                s.Email |= ActivityTally.IsEmail(a);
            }
        }

        foreach (var m in data.CampaignMembers)
        {
            if (m.HasResponded && m.ContactId is { } id && states.TryGetValue(id, out var s)
                && today.DayNumber - Periods.DayOf(m.CreatedDate).DayNumber is >= 0 and < 365)
            {
                s.Responses++;
            }
        }

        var scores = new List<ContactEngagementScore>(data.Contacts.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in data.Contacts)
        {
            if (!seen.Add(c.Id))
            {
                continue;
            }

            var s = states[c.Id];
            var reasons = new List<ScoreReason>(6);
            if (s.LastAge is { } age)
            {
                var points = age <= 14 ? 30 : age <= 30 ? 20 : age < AccountAnalytics.RecentDays ? 10 : 0;
                reasons.Add(new ScoreReason
                {
                    Factor = "recency",
                    Impact = points,
                    Description = "Last activity " + AccountAnalytics.Ago(age),
                });
            }

            reasons.Add(new ScoreReason
            {
                Factor = "frequency",
                Impact = Math.Min(25, 5 * s.Recent),
                Description = string.Create(CultureInfo.InvariantCulture, $"{s.Recent} activities in the last 90 days"),
            });
            var kinds = (s.Meeting ? 10 : 0) + (s.Call ? 5 : 0) + (s.Email ? 5 : 0);
            var kindNames = string.Join(", ", new[] { s.Meeting ? "meeting" : null, s.Call ? "call" : null, s.Email ? "e-mail" : null }.OfType<string>());
            reasons.Add(new ScoreReason
            {
                Factor = "activity_kinds",
                Impact = kinds,
                Description = kinds == 0 ? "No meeting, call or e-mail in the last 90 days" : $"Recent {kindNames}",
            });
            reasons.Add(new ScoreReason
            {
                Factor = "campaign_responses",
                Impact = Math.Min(25, 10 * s.Responses),
                Description = string.Create(CultureInfo.InvariantCulture, $"Responded to {s.Responses} campaign(s) in the last 365 days"),
            });
            if (c.HasOptedOutOfEmail)
            {
                reasons.Add(new ScoreReason { Factor = "email_opt_out", Impact = -10, Description = "Opted out of e-mail" });
            }

            if (c.DoNotCall)
            {
                reasons.Add(new ScoreReason { Factor = "do_not_call", Impact = -10, Description = "Asked not to be called" });
            }

            var score = Math.Clamp(reasons.Sum(r => r.Impact), 0, 100);
            reasons.RemoveAll(r => r.Impact == 0);
            scores.Add(new ContactEngagementScore
            {
                ContactId = c.Id,
                AccountId = c.AccountId,
                Score = score,
                Reasons = ScoreReason.Sorted(reasons),
            });
        }

        scores.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.ContactId, b.ContactId));
        return scores;
    }

    /// <summary>The score of every account, highest first.</summary>
    /// <param name="data">Accounts, contacts, activities, opportunities and campaign members.</param>
    public virtual IReadOnlyList<AccountScore> ScoreAccounts(SalesData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Accounts(data, ScoreContacts(data));
    }

    /// <summary>Cross-sell recommendations for every account, grouped by account, best lift first within an account.</summary>
    /// <param name="data">Accounts, opportunities and campaigns.</param>
    /// <param name="options">Thresholds; null for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public virtual IReadOnlyList<CrossSellRecommendation> RecommendCrossSell(SalesData data, CrossSellOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new CrossSellOptions();
        options.Validate();
        var campaignTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var campaign in data.Campaigns)
        {
            if (campaign.Type is { } type)
            {
                campaignTypes.TryAdd(campaign.Id, type);
            }
        }

        // What each account won: (kind, value) pairs.
        var won = new Dictionary<string, HashSet<(CrossSellKind, string)>>(StringComparer.Ordinal);
        foreach (var o in data.Opportunities)
        {
            if (!o.IsWon || o.AccountId is null)
            {
                continue;
            }

            if (!won.TryGetValue(o.AccountId, out var items))
            {
                items = [];
                won.Add(o.AccountId, items);
            }

            if (!string.IsNullOrWhiteSpace(o.Type))
            {
                items.Add((CrossSellKind.OpportunityType, o.Type));
            }

            if (!string.IsNullOrWhiteSpace(o.LeadSource))
            {
                items.Add((CrossSellKind.LeadSource, o.LeadSource));
            }

            if (o.CampaignId is { } campaignId && campaignTypes.TryGetValue(campaignId, out var campaignType))
            {
                items.Add((CrossSellKind.CampaignType, campaignType));
            }
        }

        var accounts = data.Accounts.DistinctBy(a => a.Id).ToList();
        var winners = accounts.Where(a => won.ContainsKey(a.Id)).ToList();
        var overall = new Dictionary<(CrossSellKind, string), int>();
        var byGroup = new Dictionary<(string, string), (int Winners, Dictionary<(CrossSellKind, string), int> Counts)>();
        foreach (var a in winners)
        {
            var key = PeerKey(a);
            if (!byGroup.TryGetValue(key, out var group))
            {
                group = (0, []);
            }

            group.Winners++;
            foreach (var item in won[a.Id])
            {
                overall[item] = overall.GetValueOrDefault(item) + 1;
                group.Counts[item] = group.Counts.GetValueOrDefault(item) + 1;
            }

            byGroup[key] = group;
        }

        var recommendations = new List<CrossSellRecommendation>();
        foreach (var a in accounts)
        {
            if (!byGroup.TryGetValue(PeerKey(a), out var group))
            {
                continue;
            }

            var own = won.GetValueOrDefault(a.Id);
            var peers = group.Winners - (own is null ? 0 : 1);
            if (peers == 0)
            {
                continue;
            }

            // Count first, word only the few kept.
            var candidates = new List<(CrossSellKind Kind, string Value, int Support, double Confidence, double Lift)>();
            foreach (var ((kind, value), support) in group.Counts)
            {
                if (support < options.MinimumSupport || (own is not null && own.Contains((kind, value))))
                {
                    continue;
                }

                var confidence = support / (double)peers;
                var lift = confidence / (overall[(kind, value)] / (double)winners.Count);
                if (lift >= options.MinimumLift)
                {
                    candidates.Add((kind, value, support, confidence, lift));
                }
            }

            candidates.Sort(static (x, y) =>
                y.Lift != x.Lift ? y.Lift.CompareTo(x.Lift)
                : y.Support != x.Support ? y.Support.CompareTo(x.Support)
                : x.Kind != y.Kind ? x.Kind.CompareTo(y.Kind)
                : string.CompareOrdinal(x.Value, y.Value));
            var (industry, band) = PeerKey(a);
            foreach (var c in candidates.Take(options.MaximumPerAccount))
            {
                recommendations.Add(new CrossSellRecommendation
                {
                    AccountId = a.Id,
                    Kind = c.Kind,
                    Value = c.Value,
                    Support = c.Support,
                    Peers = peers,
                    Confidence = c.Confidence,
                    Lift = c.Lift,
                    Reason = string.Create(CultureInfo.InvariantCulture, $"{c.Support} of {peers} similar accounts ({industry}, {band}) won {Describe(c.Kind)} {c.Value}; lift {c.Lift:0.00}"),
                });
            }
        }

        return recommendations;
    }

    private static List<AccountScore> Accounts(SalesData data, IReadOnlyList<ContactEngagementScore> contacts)
    {
        // Win rates by industry and size band, from every closed deal of the org.
        var accountById = new Dictionary<string, AccountRecord>(StringComparer.Ordinal);
        foreach (var a in data.Accounts)
        {
            accountById.TryAdd(a.Id, a);
        }

        var industries = new Dictionary<string, (int Won, int Closed)>(StringComparer.OrdinalIgnoreCase);
        var bands = new Dictionary<string, (int Won, int Closed)>(StringComparer.Ordinal);
        var open = new Dictionary<string, double>(StringComparer.Ordinal);
        double dealSum = 0;
        var deals = 0;
        foreach (var o in data.Opportunities)
        {
            if (o.AccountId is null || !accountById.TryGetValue(o.AccountId, out var account))
            {
                continue;
            }

            if (!o.IsClosed)
            {
                open[o.AccountId] = open.GetValueOrDefault(o.AccountId) + (double)(o.Amount ?? 0);
                continue;
            }

            if (o.IsWon && o.Amount is { } amount)
            {
                dealSum += (double)amount;
                deals++;
            }

            var win = o.IsWon ? 1 : 0;
            if (account.Industry is { } industry)
            {
                var (w, c) = industries.GetValueOrDefault(industry);
                industries[industry] = (w + win, c + 1);
            }

            var band = SizeBand(account.NumberOfEmployees);
            var (bw, bc) = bands.GetValueOrDefault(band);
            bands[band] = (bw + win, bc + 1);
        }

        var bestIndustry = Best(industries);
        var bestBand = Best(bands);
        var averageDeal = deals == 0 ? 0 : dealSum / deals;
        var topContacts = contacts
            .Where(c => c.AccountId is not null)
            .GroupBy(c => c.AccountId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.Score).Take(3).Average(c => c.Score), StringComparer.Ordinal);

        var scores = new List<AccountScore>(accountById.Count);
        foreach (var a in accountById.Values)
        {
            var industryFit = Fit(a.Industry is { } i ? industries.GetValueOrDefault(i) : default, bestIndustry, out var industryRate);
            var band = SizeBand(a.NumberOfEmployees);
            var sizeFit = Fit(bands.GetValueOrDefault(band), bestBand, out var bandRate);
            var engagement = topContacts.GetValueOrDefault(a.Id) * 0.3;
            var pipelineAmount = open.GetValueOrDefault(a.Id);
            var pipeline = averageDeal > 0 ? 30 * Math.Min(1, pipelineAmount / averageDeal) : 0;
            var reasons = new List<ScoreReason>
            {
                new()
                {
                    Factor = "industry_fit",
                    Impact = industryFit,
                    Description = industryRate is { } ir
                    ? string.Create(CultureInfo.InvariantCulture, $"Industry {a.Industry} wins {ir:0%} of closed deals (best industry {bestIndustry:0%})")
                    : string.Create(CultureInfo.InvariantCulture, $"Industry {a.Industry ?? "unknown"} has fewer than {MinimumClosedForFit} closed deals"),
                },
                new()
                {
                    Factor = "size_fit",
                    Impact = sizeFit,
                    Description = bandRate is { } br
                    ? string.Create(CultureInfo.InvariantCulture, $"Size band {band} wins {br:0%} of closed deals (best band {bestBand:0%})")
                    : string.Create(CultureInfo.InvariantCulture, $"Size band {band} has fewer than {MinimumClosedForFit} closed deals"),
                },
                new()
                {
                    Factor = "engagement",
                    Impact = engagement,
                    Description = string.Create(CultureInfo.InvariantCulture, $"Its most engaged contacts average {engagement / 0.3:0} engagement points"),
                },
                new()
                {
                    Factor = "pipeline",
                    Impact = pipeline,
                    Description = string.Create(CultureInfo.InvariantCulture, $"Open pipeline {pipelineAmount:N0} against an average won deal of {averageDeal:N0}"),
                },
            };
            scores.Add(new AccountScore
            {
                AccountId = a.Id,
                Score = industryFit + sizeFit + engagement + pipeline,
                Fit = industryFit + sizeFit,
                Engagement = engagement,
                Pipeline = pipeline,
                Reasons = ScoreReason.Sorted(reasons),
            });
        }

        scores.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.AccountId, b.AccountId));
        return scores;
    }

    private static double Best<TKey>(Dictionary<TKey, (int Won, int Closed)> rates)
        where TKey : notnull =>
        rates.Values.Where(r => r.Closed >= MinimumClosedForFit).Select(r => r.Won / (double)r.Closed).DefaultIfEmpty(0).Max();

    /// <summary>20 × the group's win rate ÷ the best group's; 0 when the group has too few closed deals to judge.</summary>
    private static double Fit((int Won, int Closed) group, double best, out double? rate)
    {
        if (group.Closed < MinimumClosedForFit || best <= 0)
        {
            rate = null;
            return 0;
        }

        rate = group.Won / (double)group.Closed;
        return 20 * rate.Value / best;
    }

    private static (string Industry, string Band) PeerKey(AccountRecord a) =>
        (string.IsNullOrWhiteSpace(a.Industry) ? "(none)" : a.Industry.Trim(), SizeBand(a.NumberOfEmployees));

    private static string Describe(CrossSellKind kind) => kind switch
    {
        CrossSellKind.OpportunityType => "deals of type",
        CrossSellKind.LeadSource => "deals from lead source",
        _ => "deals from campaigns of type",
    };

    private sealed class ContactState
    {
        public int? LastAge { get; set; }

        public int Recent { get; set; }

        public bool Meeting { get; set; }

        public bool Call { get; set; }

        public bool Email { get; set; }

        public int Responses { get; set; }
    }
}
