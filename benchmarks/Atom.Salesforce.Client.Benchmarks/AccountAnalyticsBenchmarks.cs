using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.Analytics.Scoring;
using BenchmarkDotNet.Attributes;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// The account report, the performance report, the account scoring and the next best actions over a generated org of
/// 10,000 accounts, 40,000 contacts, 50,000 opportunities, 200,000 tasks and events, 20 users and 20,000 campaign
/// members. Floor: one plain pass over the opportunities and activities (sum the amounts, count the recent activities).
/// </summary>
[MemoryDiagnoser]
public class AccountAnalyticsBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Now);
    private SalesData _data = SalesData.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        string[] users = [.. Enumerable.Range(0, 20).Select(i => $"005{i:D15}")];
        string[] industries = ["Technology", "Finance", "Retail", "Healthcare", "Manufacturing", "Education", "Energy", "Media"];
        string[] countries = ["United States", "Germany", "France", "Japan", "Australia", "United Kingdom"];
        string[] types = ["New Customer", "Existing Customer - Upgrade", "Existing Customer - Replacement"];
        string[] sources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"];
        string[] kinds = ["Call", "Email", "Meeting", "Other"];
        var accounts = Enumerable.Range(0, 10_000).Select(i => new AccountRecord
        {
            Id = $"001{i:D15}", Name = $"Account {i}", Industry = industries[random.Next(industries.Length)], Type = random.Next(3) == 0 ? "Customer - Direct" : "Prospect",
            BillingCountry = countries[random.Next(countries.Length)], NumberOfEmployees = random.Next(10, 20_000), OwnerId = users[4 + random.Next(16)],
        }).ToList();
        var contacts = Enumerable.Range(0, 40_000).Select(i => new ContactRecord
        {
            Id = $"003{i:D15}", AccountId = accounts[random.Next(accounts.Count)].Id, HasOptedOutOfEmail = random.Next(20) == 0,
        }).ToList();
        var opportunities = Enumerable.Range(0, 50_000).Select(i =>
        {
            var created = today.AddDays(-random.Next(1, 730));
            var outcome = random.Next(100);
            return new OpportunityRecord
            {
                Id = $"006{i:D15}", AccountId = accounts[random.Next(accounts.Count)].Id, StageName = outcome < 30 ? "Prospecting" : outcome < 60 ? "Closed Won" : "Closed Lost",
                Amount = 500 + (random.Next(1, 2_000) * 50m), CloseDate = created.AddDays(random.Next(10, 200)), IsClosed = outcome >= 30, IsWon = outcome is >= 30 and < 60,
                CreatedDate = new DateTimeOffset(created.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), OwnerId = users[4 + random.Next(16)],
                Type = types[random.Next(types.Length)], LeadSource = sources[random.Next(sources.Length)],
            };
        }).ToList();
        var activities = Enumerable.Range(0, 200_000).Select(i =>
        {
            var contact = contacts[random.Next(contacts.Count)];
            var isEvent = random.Next(4) == 0;
            return new ActivityRecord
            {
                Id = $"00T{i:D15}", Kind = isEvent ? ActivityKind.Event : ActivityKind.Task, Type = kinds[random.Next(kinds.Length)], WhoId = contact.Id,
                WhatId = random.Next(2) == 0 ? opportunities[random.Next(opportunities.Count)].Id : contact.AccountId, AccountId = contact.AccountId,
                ActivityDate = today.AddDays(-random.Next(-10, 730)), IsClosed = !isEvent && random.Next(10) != 0, OwnerId = users[4 + random.Next(16)],
            };
        }).ToList();
        _data = new SalesData
        {
            Accounts = accounts,
            Contacts = contacts,
            Opportunities = opportunities,
            Activities = activities,
            Users = [.. users.Select((id, i) => new UserRecord { Id = id, Name = $"User {i}", ManagerId = i < 4 ? null : users[i % 4], IsActive = true })],
            CampaignMembers = [.. Enumerable.Range(0, 20_000).Select(i => new CampaignMemberRecord
            {
                Id = $"00v{i:D15}", CampaignId = "701000000000000001", ContactId = contacts[random.Next(contacts.Count)].Id, HasResponded = random.Next(3) == 0, CreatedDate = Now.AddDays(-random.Next(0, 500)),
            })],
        };
    }

    [Benchmark(Baseline = true, Description = "plain pass over opportunities and activities (floor)")]
    public double Floor()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        double sum = 0;
        foreach (var o in _data.Opportunities)
        {
            sum += (double)(o.Amount ?? 0);
        }

        foreach (var a in _data.Activities)
        {
            if (a.ActivityDate is { } day && today.DayNumber - day.DayNumber < 90)
            {
                sum++;
            }
        }

        return sum;
    }

    [Benchmark(Description = "AccountAnalytics.Analyze")]
    public AccountReport Accounts() => new AccountAnalytics(_clock).Analyze(_data);

    [Benchmark(Description = "PerformanceAnalytics.Analyze")]
    public PerformanceReport Performance() => new PerformanceAnalytics(_clock).Analyze(_data);

    [Benchmark(Description = "AccountScoring.Score")]
    public AccountScoringReport Scoring() => new AccountScoring(_clock).Score(_data);

    [Benchmark(Description = "NextBestActions.Recommend (with the account report)")]
    public IReadOnlyList<NextBestAction> Actions() => new NextBestActions(_clock).Recommend(_data);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
