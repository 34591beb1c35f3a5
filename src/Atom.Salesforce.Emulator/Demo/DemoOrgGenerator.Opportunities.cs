using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Demo;

internal sealed partial class DemoOrgGenerator
{
    private const int ProposalStage = 6;
    private const int LastOpenStage = 7;

    /// <summary>How far a rep moves Probability off the stage default when the deal looks better or worse than its stage.</summary>
    private static readonly int[] ProbabilityAdjustments = [-15, -10, -5, 5, 10];

    /// <summary>How many accounts, oldest first, are old enough for a rep to open a deal on.</summary>
    private int _openAccounts;

    /// <summary>
    /// Plans the deals reps open on existing accounts beside those from converted leads, and plays every deal forward in
    /// creation order, so a deal knows whether its account had already won one (an existing customer buys more often).
    /// </summary>
    private void PlanOpportunities(int total)
    {
        var fromLeads = _opportunities.ToList();
        var times = new List<DateTimeOffset>();
        for (var i = fromLeads.Count; i < total; i++)
        {
            times.Add(CreatedAt(_start.AddDays(10 + (_random.Growing() * (HistoryDays - 10)))));
        }

        times.Sort();
        _opportunities.Clear();
        var byAge = _accounts.OrderBy(a => a.Created).ToList();
        var lead = 0;
        var direct = 0;
        while (lead < fromLeads.Count || direct < times.Count)
        {
            var opportunity = direct >= times.Count || (lead < fromLeads.Count && fromLeads[lead].Created <= times[direct])
                ? fromLeads[lead++]
                : NewOpportunity(times[direct++], byAge);
            PlayForward(opportunity);
            _opportunities.Add(opportunity);
        }
    }

    private OpportunityPlan NewOpportunity(DateTimeOffset created, List<AccountPlan> byAge)
    {
        // Accounts open for a week are candidates; bigger companies and customers are likelier. Rejection sampling
        // against the largest weight keeps each pick O(1) however many accounts there are.
        while (_openAccounts < byAge.Count && byAge[_openAccounts].Created < created.AddDays(-7))
        {
            _openAccounts++;
        }

        const double heaviest = 5.0 * 2.5;
        var candidates = Math.Max(1, _openAccounts);
        AccountPlan account;
        do
        {
            account = byAge[_random.Index(candidates)];
        }
        while (!_random.Chance(DemoCatalog.Sizes[account.Size].Weight * (account.IsCustomerAt(created) ? 2.5 : 1) * (account.IsPartner ? 0.2 : 1) / heaviest));

        var owner = _random.Chance(0.85) && account.Owner.Created < created ? account.Owner : RepFor(account.Region, created);
        var source = _random.Chance(0.6)
            ? DemoCatalog.Sources.First(s => s.Name == account.Source)
            : PickSource(s => s.DirectShare);
        return new OpportunityPlan { Created = created, Source = source, Account = account, Owner = owner };
    }

    /// <summary>
    /// Decides a deal's size, outcome and path through the stages, and writes down each change at its moment: the stage
    /// changes, the amount revised with the quote and discounted at signature, close dates pushed when they pass. Changes
    /// after the org clock never happen: the deal is still open, in the stage it had reached.
    /// </summary>
    private void PlayForward(OpportunityPlan opportunity)
    {
        var account = opportunity.Account!;
        var owner = opportunity.Owner!;
        var size = DemoCatalog.Sizes[account.Size];
        var existing = account.IsCustomerAt(opportunity.Created);
        opportunity.Type = !existing
            ? "New Customer"
            : _random.Unit() switch
            {
                < 0.6 => "Existing Customer - Upgrade",
                < 0.85 => "Existing Customer - Replacement",
                _ => "Existing Customer - Downgrade",
            };
        opportunity.Name = Truncate($"{account.Name} - {_random.Pick(DemoCatalog.Products)}", 120);

        // Log-normal deal sizes: the median depends on the company's size and industry, the mean sits well above it.
        var median = size.MedianDeal * account.Industry.AmountFactor * opportunity.Type switch
        {
            "New Customer" => 1.0,
            "Existing Customer - Downgrade" => 0.4,
            _ => 0.7,
        };
        var amount = Money(_random.LogNormal(median, 0.8));

        // Win rates differ by lead source, industry, rep and customer status: the signal the analytics should find.
        var winRate = opportunity.Source.WinRate * account.Industry.WinFactor * owner.Skill
            * (existing ? 1.35 : 1)
            * (amount > 150_000m ? 0.8 : 1)
            * Math.Sqrt(opportunity.Campaign?.Kind.Quality ?? 1);
        var won = _random.Chance(Math.Clamp(winRate, 0.03, 0.85));

        var first = opportunity.Lead is null ? (_random.Chance(0.7) ? 0 : 1) : _random.Weighted([0.2, 0.55, 0.25]);
        var path = new List<int> { first };
        for (var stage = first + 1; stage <= LastOpenStage; stage++)
        {
            var skip = stage switch
            {
                4 or 5 => 0.35,
                2 or 3 => 0.05,
                _ => 0,
            };
            if (!_random.Chance(skip))
            {
                path.Add(stage);
            }
        }

        if (!won)
        {
            // Most lost deals die early; a few at the last step.
            var lostAfter = _random.Weighted(path.Select((_, j) => 1.0 / (j + 1.2)).ToArray());
            path.RemoveRange(lostAfter + 1, path.Count - lostAfter - 1);
        }

        var speed = size.CycleFactor * opportunity.Source.CycleFactor * owner.Speed;
        var stalls = _random.Chance(won ? 0.04 : 0.2);
        var expectedDays = DemoCatalog.StageDays.Skip(first).Sum() * speed * _random.Between(0.6, 0.9);
        var closeDate = Day(opportunity.Created.AddDays(expectedDays));
        opportunity.Initial["StageName"] = StandardObjects.Stages[first].Name;
        opportunity.Initial["Amount"] = amount;
        opportunity.Initial["CloseDate"] = closeDate;
        opportunity.Initial["NextStep"] = DemoCatalog.NextSteps[first];

        var at = opportunity.Created;
        var category = "Pipeline";
        for (var step = 1; step <= path.Count; step++)
        {
            var stage = path[step - 1];
            var last = step == path.Count;
            var days = _random.LogNormal(DemoCatalog.StageDays[stage], 0.55) * speed
                * (last && !won ? 1.5 : 1)
                * (last && stalls ? 4 : 1);
            var next = Later(at, days);
            var revise = _random.Chance(0.6);
            var factor = _random.Between(0.85, 1.3);
            var fixClose = _random.Chance(0.7);
            var newClose = _random.Between(14.0, 45.0) * speed;
            PushCloseDates(opportunity, ref at, ref closeDate, next);
            if (next > _now)
            {
                return;
            }

            var values = new Dictionary<string, object?>();
            if (!last)
            {
                var to = path[step];
                values["StageName"] = StandardObjects.Stages[to].Name;
                values["NextStep"] = DemoCatalog.NextSteps[to];
                category = ForecastCall(to, category, values);
                if (to == ProposalStage && revise)
                {
                    amount = Money((double)amount * factor);
                    values["Amount"] = amount;
                }

                if (closeDate < Day(next) && fixClose)
                {
                    closeDate = Day(next.AddDays(newClose));
                    values["CloseDate"] = closeDate;
                }
            }
            else
            {
                values["StageName"] = won ? "Closed Won" : "Closed Lost";
                values["NextStep"] = null;
                values["CloseDate"] = Day(next);
                if (won && revise)
                {
                    // Signed at a discount.
                    values["Amount"] = Money((double)amount * Math.Min(factor, 1.0));
                }

                opportunity.Closed = next;
                opportunity.Won = won;
                if (won && (account.CustomerSince is null || account.CustomerSince > next))
                {
                    account.CustomerSince = next;
                    account.WonThrough = opportunity.Source.Name;
                }
            }

            opportunity.Writes.Add((next, values));
            at = next;
        }
    }

    /// <summary>
    /// The rep's forecast call as the deal enters an open stage, written with the stage change so its OpportunityHistory
    /// row records it: most Negotiation/Review and some Proposal/Price Quote deals go to Commit, some from Value
    /// Proposition on to Best Case, a few anywhere to Omitted; a deal called Commit or Best Case mostly keeps the call as
    /// it advances. Now and then the rep also moves Probability off the stage default. Returns the category now held.
    /// </summary>
    private string ForecastCall(int stage, string current, Dictionary<string, object?> values)
    {
        // A fixed number of draws per call keeps the sequence aligned whatever the outcome.
        var call = _forecastRandom.Unit();
        var omit = _forecastRandom.Chance(current == "Omitted" ? 0.7 : 0.025);
        var adjust = _forecastRandom.Chance(0.12);
        var delta = _forecastRandom.Pick(ProbabilityAdjustments);

        var category = stage switch
        {
            _ when omit => "Omitted",
            LastOpenStage when current == "Commit" || call < 0.7 => "Commit",
            LastOpenStage when call < 0.85 => "Best Case",
            ProposalStage when (current == "Commit" ? call < 0.9 : call < 0.3) => "Commit",
            ProposalStage when current == "Best Case" || call < 0.55 => "Best Case",
            >= 3 and <= 5 when (current == "Best Case" ? call < 0.85 : call < 0.2) => "Best Case",
            _ => "Pipeline",
        };

        var defaults = StandardObjects.Stages[stage];
        if (category != StandardObjects.ForecastCategoryNames[defaults.ForecastCategory])
        {
            values["ForecastCategoryName"] = category;
        }

        if (adjust)
        {
            values["Probability"] = (decimal)Math.Clamp(defaults.Probability + delta, 5, 95);
        }

        return category;
    }

    /// <summary>
    /// When the close date passes before the next step (or the clock), the rep usually pushes it out a few weeks, and
    /// sometimes lets it lapse: the overdue deals an at-risk report should flag.
    /// </summary>
    private void PushCloseDates(OpportunityPlan opportunity, ref DateTimeOffset at, ref DateOnly closeDate, DateTimeOffset until)
    {
        var limit = until < _now ? until : _now;
        for (var pushes = 0; pushes < 4; pushes++)
        {
            var noticed = Later(Max(at, AtMidnight(closeDate.AddDays(1))), _random.Between(0.0, 3.0));
            var push = _random.Chance(0.75);
            var weeks = _random.Between(14, 45);
            if (noticed >= limit || !push)
            {
                return;
            }

            closeDate = Day(noticed).AddDays(weeks);
            opportunity.Writes.Add((noticed, new Dictionary<string, object?> { ["CloseDate"] = closeDate }));
            at = noticed;
        }
    }

    /// <summary>Contacts in the buying group: won deals tend to have more of them engaged.</summary>
    private void PlanContactRoles()
    {
        foreach (var opportunity in _opportunities)
        {
            var candidates = opportunity.Account!.Contacts.Where(c => c.Created < opportunity.Created && !opportunity.Roles.Contains(c)).ToList();
            if (opportunity.Roles.Count == 0 && candidates.Count > 0)
            {
                var primary = _random.Chance(0.7) ? candidates.MaxBy(c => c.Title.Seniority)! : _random.Pick(candidates);
                opportunity.Roles.Add(primary);
                candidates.Remove(primary);
            }

            var more = (_random.Chance(0.55) ? 1 : 0) + (_random.Chance(opportunity.Won ? 0.45 : 0.2) ? 1 : 0);
            for (var i = 0; i < more && candidates.Count > 0; i++)
            {
                var contact = _random.Pick(candidates);
                opportunity.Roles.Add(contact);
                candidates.Remove(contact);
            }
        }
    }

    private static decimal Money(double amount)
    {
        var step = amount switch
        {
            < 10_000 => 50.0,
            < 100_000 => 100.0,
            _ => 500.0,
        };
        return (decimal)Math.Max(500, Math.Round(amount / step) * step);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length].TrimEnd();
}
