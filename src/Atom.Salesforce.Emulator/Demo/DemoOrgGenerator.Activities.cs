namespace Atom.Salesforce.Emulator.Demo;

internal sealed partial class DemoOrgGenerator
{
    private static readonly string[] OpenTaskStatuses = ["Not Started", "In Progress", "Waiting on someone else", "Deferred"];

    /// <summary>Leads that came through a campaign, and customers' contacts invited to past and current campaigns.</summary>
    private void PlanCampaignMembers()
    {
        foreach (var lead in _leads.Where(l => l.Campaign is not null))
        {
            var status = lead.Converted is not null ? "Responded" : _random.Unit() switch
            {
                < 0.6 => "Responded",
                < 0.75 => "Received",
                _ => "Sent",
            };
            var campaign = lead.Campaign!;
            Write(lead.Created.AddSeconds(1), () => _org.Seed("CampaignMember", new Dictionary<string, object?>
            {
                ["CampaignId"] = campaign.Id,
                ["LeadId"] = lead.Id,
                ["Status"] = status,
                ["FirstRespondedDate"] = status == "Responded" ? Day(lead.Created) : null,
            }, lead.Created.AddSeconds(1)));
        }

        var today = Day(_now);
        foreach (var campaign in _campaigns.Where(c => c.StartDate <= today))
        {
            var invited = _contacts.Where(c => c.Created < AtMidnight(campaign.StartDate).AddDays(-1)).ToList();
            var count = Math.Min(invited.Count, (int)Math.Round(_random.Between(10, 40) * _scale));
            for (var i = 0; i < count; i++)
            {
                // A partial shuffle: each contact is invited once.
                var pick = i + _random.Index(invited.Count - i);
                (invited[i], invited[pick]) = (invited[pick], invited[i]);
                var contact = invited[i];
                var at = CreatedAt(Max(contact.Created, campaign.Created).AddDays(_random.Between(0.1, 5.0)));
                var status = campaign.EndDate >= today ? "Sent" : _random.Unit() switch
                {
                    < 0.3 => "Responded",
                    < 0.55 => "Received",
                    _ => "Sent",
                };
                var responded = campaign.StartDate.AddDays(_random.Between(0, 7));
                Write(at, () => _org.Seed("CampaignMember", new Dictionary<string, object?>
                {
                    ["CampaignId"] = campaign.Id,
                    ["ContactId"] = contact.Id,
                    ["Status"] = status,
                    ["FirstRespondedDate"] = status == "Responded" ? (responded < today ? responded : today) : null,
                }, at));
            }
        }
    }

    /// <summary>
    /// Spreads the tasks and events over what reps work on: open and closed deals (most meetings), leads before they
    /// convert or close (most calls and e-mails), and customers' accounts. Busy reps and won deals get more of them;
    /// open deals and leads also have some planned in the coming weeks.
    /// </summary>
    private void PlanActivities(int tasks, int events)
    {
        var anchors = new List<Anchor>[3];
        anchors[0] = [.. _opportunities
            .Where(o => o.Roles.Count > 0)
            .Select(o => new Anchor(o.Owner!, o.Created.AddMinutes(1), o.End(_now), o.Closed is null, o, null, null,
                (2 + ((o.End(_now) - o.Created).TotalDays / 7)) * o.Owner!.Activity * (o.Won ? 1.4 : o.Closed is null ? 1.2 : 0.8)))];
        anchors[1] = [.. _leads
            .Select(l => (Lead: l, End: l.Converted?.AddMinutes(-1) ?? l.ClosedUnconverted ?? _now))
            .Select(l => new Anchor(l.Lead.Owner, l.Lead.Created.AddMinutes(1), l.End, l.Lead.Converted is null && l.Lead.ClosedUnconverted is null, null, null, l.Lead,
                (1 + (Math.Min((l.End - l.Lead.Created).TotalDays, 60) / 15)) * l.Lead.Owner.Activity
                * (l.Lead.Converted is null ? 1 : 1.6) * (l.Lead.Rating switch { "Hot" => 1.5, "Warm" => 1.0, _ => 0.6 })))];
        anchors[2] = [.. _accounts
            .Where(a => a.Contacts.Any(c => c.Created < _now.AddDays(-1)))
            .Select(a => new Anchor(a.Owner, a.Created.AddMinutes(1), _now, true, null, a, null,
                (a.CustomerSince is null ? 0.6 : 3) * Math.Max(0.1, (_now - a.Created).TotalDays / 365) * a.Owner.Activity))];
        for (var kind = 0; kind < 3; kind++)
        {
            anchors[kind].RemoveAll(a => a.To - a.From < TimeSpan.FromHours(1));
        }

        var cumulative = anchors.Select(list => Cumulative(list, a => a.Weight)).ToArray();
        double[] taskShares = [0.55, 0.30, 0.15];
        double[] eventShares = [0.75, 0.05, 0.20];
        for (var i = 0; i < tasks + events; i++)
        {
            var isEvent = i >= tasks;
            var shares = (isEvent ? eventShares : taskShares).Select((share, kind) => anchors[kind].Count > 0 ? share : 0).ToArray();
            if (shares.Sum() == 0)
            {
                return;
            }

            var kind = _random.Weighted(shares);
            PlanActivity(anchors[kind][_random.Cumulative(cumulative[kind])], isEvent);
        }
    }

    private void PlanActivity(Anchor anchor, bool isEvent)
    {
        ContactPlan? contact = null;
        var from = anchor.From;
        if (anchor.Opportunity is { } opportunity)
        {
            contact = _random.Pick(opportunity.Roles);
        }
        else if (anchor.Account is { } account)
        {
            var known = account.Contacts.Where(c => c.Created < _now.AddDays(-1)).ToList();
            contact = _random.Pick(known);
            from = Max(from, contact.Created.AddMinutes(1));
        }

        var future = anchor.Open && _random.Chance(isEvent ? 0.12 : 0.1);
        DateTimeOffset when;
        DateTimeOffset created;
        if (future)
        {
            when = Later(_now, _random.Between(1.0, 21.0));
            created = Max(from, CreatedAt(_now.AddDays(-_random.Between(0.5, 10.0))));
        }
        else
        {
            when = CreatedAt(from + ((anchor.To - from) * _random.Unit()));
            var booked = CreatedAt(when.AddDays(-_random.Between(1.0, 10.0)));
            created = isEvent ? Max(from, booked < when ? booked : when) : when;
        }

        if (created > _now || created < from)
        {
            return;
        }

        var owner = anchor.Owner;
        var what = anchor.Opportunity is { } o ? (Func<string?>)(() => o.Id) : anchor.Account is { } a ? () => a.Id : () => null;
        var who = contact is not null ? (Func<string?>)(() => contact.Id) : () => anchor.Lead!.Id;
        var values = isEvent ? EventValues(when) : TaskValues(when, future);
        if (!future && (isEvent || values["Status"] is "Completed"))
        {
            var day = Day(when);
            if (anchor.Opportunity is { } deal)
            {
                deal.LastActivityDate = Latest(deal.LastActivityDate, day);
            }

            if ((anchor.Opportunity?.Account ?? anchor.Account) is { } customer)
            {
                customer.LastActivityDate = Latest(customer.LastActivityDate, day);
            }
        }

        Write(created, () =>
        {
            values["WhoId"] = who();
            values["WhatId"] = what();
            values["OwnerId"] = owner.Id;
            values["CreatedById"] = owner.Id;
            _org.Seed(isEvent ? "Event" : "Task", values, created);
        });
    }

    private Dictionary<string, object?> TaskValues(DateTimeOffset when, bool future)
    {
        var (subject, type, subtype) = _random.Pick(DemoCatalog.TaskKinds);
        var status = future ? "Not Started" : _random.Chance(0.92) ? "Completed" : _random.Pick(OpenTaskStatuses);
        var priority = _random.Unit() switch
        {
            < 0.15 => "High",
            < 0.25 => "Low",
            _ => "Normal",
        };
        var duration = _random.Between(60, 1800);
        return new Dictionary<string, object?>
        {
            ["Subject"] = subject,
            ["ActivityDate"] = Day(when),
            ["Status"] = status,
            ["Priority"] = priority,
            ["Type"] = type,
            ["TaskSubtype"] = subtype,
            ["CallDurationInSeconds"] = type == "Call" && status == "Completed" ? (decimal)duration : null,
        };
    }

    private Dictionary<string, object?> EventValues(DateTimeOffset when)
    {
        // Meetings start on the half hour.
        var start = new DateTimeOffset(when.UtcTicks - (when.UtcTicks % TimeSpan.FromMinutes(30).Ticks), TimeSpan.Zero);
        var minutes = _random.Pick([30, 45, 60, 60, 90]);
        var call = _random.Chance(0.2);
        var subject = _random.Pick(DemoCatalog.EventSubjects);
        var location = _random.Pick(DemoCatalog.Locations);
        return new Dictionary<string, object?>
        {
            ["Subject"] = subject,
            ["StartDateTime"] = start,
            ["EndDateTime"] = start.AddMinutes(minutes),
            ["ActivityDateTime"] = start,
            ["ActivityDate"] = Day(start),
            ["DurationInMinutes"] = (decimal)minutes,
            ["Type"] = call ? "Call" : "Meeting",
            ["Location"] = call ? null : location,
            ["ShowAs"] = "Busy",
        };
    }

    private static DateOnly Latest(DateOnly? current, DateOnly day) => current is { } known && known > day ? known : day;

    /// <summary>Something activities are logged against, with the span they fall in and how much activity it draws.</summary>
    private sealed record Anchor(
        UserPlan Owner, DateTimeOffset From, DateTimeOffset To, bool Open, OpportunityPlan? Opportunity, AccountPlan? Account, LeadPlan? Lead, double Weight);
}
