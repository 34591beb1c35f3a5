using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Accounts;

/// <summary>A running count of activities by kind, turned into <see cref="ActivityCounts"/> at the end.</summary>
internal sealed class ActivityTally
{
    private int _total;
    private int _tasks;
    private int _events;
    private int _calls;
    private int _emails;
    private int _meetings;
    private int _completed;

    public static bool IsCall(ActivityRecord a) => string.Equals(a.Type, "Call", StringComparison.OrdinalIgnoreCase);

    public static bool IsEmail(ActivityRecord a) => string.Equals(a.Type, "Email", StringComparison.OrdinalIgnoreCase);

    public static bool IsMeeting(ActivityRecord a) =>
        a.Kind == ActivityKind.Event ? !IsCall(a) && !IsEmail(a) : string.Equals(a.Type, "Meeting", StringComparison.OrdinalIgnoreCase);

    public void Add(ActivityRecord activity)
    {
        _total++;
        if (activity.Kind == ActivityKind.Event)
        {
            _events++;
        }
        else
        {
            _tasks++;
            if (activity.IsClosed)
            {
                _completed++;
            }
        }

        if (IsCall(activity))
        {
            _calls++;
        }
        else if (IsEmail(activity))
        {
            _emails++;
        }
        else if (IsMeeting(activity))
        {
            _meetings++;
        }
    }

    public ActivityCounts ToCounts() => new()
    {
        Total = _total,
        Tasks = _tasks,
        Events = _events,
        Calls = _calls,
        Emails = _emails,
        Meetings = _meetings,
        CompletedTasks = _completed,
    };
}

/// <summary>Finds the account an activity is about: its AccountId, else its WhatId's account, else its WhoId contact's account.</summary>
internal sealed class AccountResolver
{
    private readonly HashSet<string> _accounts;
    private readonly Dictionary<string, string> _opportunityAccount;
    private readonly Dictionary<string, string> _contactAccount;

    public AccountResolver(SalesData data)
    {
        _accounts = new HashSet<string>(data.Accounts.Select(a => a.Id), StringComparer.Ordinal);
        _opportunityAccount = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in data.Opportunities)
        {
            if (o.AccountId is { } id)
            {
                _opportunityAccount[o.Id] = id;
            }
        }

        _contactAccount = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in data.Contacts)
        {
            if (c.AccountId is { } id)
            {
                _contactAccount[c.Id] = id;
            }
        }
    }

    /// <summary>The contact's account, or null for a lead or an unknown id.</summary>
    public string? ContactAccount(string? contactId) => contactId is not null && _contactAccount.TryGetValue(contactId, out var a) ? a : null;

    public string? AccountOf(ActivityRecord activity)
    {
        if (activity.AccountId is { } direct)
        {
            return direct;
        }

        if (activity.WhatId is { } what)
        {
            if (_accounts.Contains(what))
            {
                return what;
            }

            if (_opportunityAccount.TryGetValue(what, out var viaOpportunity))
            {
                return viaOpportunity;
            }
        }

        return ContactAccount(activity.WhoId);
    }
}
