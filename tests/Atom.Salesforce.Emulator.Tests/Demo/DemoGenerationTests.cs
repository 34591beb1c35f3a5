using System.Globalization;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Emulator.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Emulator.Tests.Demo;

/// <summary>Determinism, scaling, options, and reading the demo org through the SDK.</summary>
public sealed class DemoGenerationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_same_seed_scale_and_clock_give_the_same_org_record_by_record()
    {
        var first = Snapshot(DemoOrgs.Create(0.1, seed: 42));
        var second = Snapshot(DemoOrgs.Create(0.1, seed: 42));

        Assert.True(first.Count > 2_000);
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_org_is_written_as_of_the_last_noon_UTC_so_a_date_gives_the_same_org_all_day()
    {
        var noon = new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);
        SalesforceEmulator At(TimeProvider clock) => new(new SalesforceEmulatorOptions { TimeProvider = clock, DemoData = new DemoDataOptions { Scale = 0.1 } });

        var afterNoon = At(new FakeTimeProvider(noon.AddSeconds(1)));
        var late = At(new FakeTimeProvider(noon.AddHours(11).AddMinutes(59).AddSeconds(58.5)));
        var nextMorning = At(new FakeTimeProvider(noon.AddHours(21)));
        var started = At(SalesforceEmulatorOptions.ClockStartingOn(new DateOnly(2026, 6, 30)));
        var morning = At(new FakeTimeProvider(noon.AddHours(-3)));

        var org = Snapshot(afterNoon);
        Assert.Equal(org, Snapshot(late));
        Assert.Equal(org, Snapshot(nextMorning));
        Assert.Equal(org, Snapshot(started));
        Assert.NotEqual(org, Snapshot(morning));
        foreach (var name in new[] { "Account", "Lead", "Opportunity", "OpportunityHistory", "Task", "Event", "User", "OpportunityStage" })
        {
            // Nothing is dated after noon, even on a clock read later.
            Assert.All(late.Records(name), r => Assert.True((DateTimeOffset)r["SystemModstamp"]! <= noon, $"{name} {r.Id} at {r["SystemModstamp"]}"));
        }

        // The morning's work is there (a Tuesday): the org is not a day stale.
        var latest = new[] { "Lead", "Opportunity", "Task", "Event" }.SelectMany(late.Records).Max(r => (DateTimeOffset)r["SystemModstamp"]!);
        Assert.InRange(latest, noon.AddHours(-4), noon);
    }

    [Fact]
    public void Another_seed_gives_another_org_of_the_same_shape()
    {
        var one = DemoOrgs.Create(0.1, seed: 1);
        var other = DemoOrgs.Create(0.1, seed: 2);

        Assert.NotEqual(Snapshot(one), Snapshot(other));
        Assert.NotEqual(one.Records("Account").Select(a => a["Name"]), other.Records("Account").Select(a => a["Name"]));
        Assert.Equal(one.Records("Account").Count, other.Records("Account").Count);
        Assert.Equal(one.Records("Opportunity").Count, other.Records("Opportunity").Count);
    }

    [Theory]
    [InlineData(0.1, 50, 200, 300, 250, 700, 300)]
    [InlineData(0.02, 10, 40, 60, 50, 140, 60)]
    [InlineData(0.001, 5, 10, 10, 5, 10, 5)]
    public void The_scale_multiplies_the_counts_and_keeps_a_few_of_each_kind(double scale, int accounts, int contacts, int leads, int opportunities, int tasks, int events)
    {
        var org = DemoOrgs.Create(scale);

        Assert.Equal(
            (accounts, contacts, leads, opportunities, tasks, events),
            (org.Records("Account").Count, org.Records("Contact").Count, org.Records("Lead").Count, org.Records("Opportunity").Count, org.Records("Task").Count, org.Records("Event").Count));
        Assert.True(org.Records("User").Count >= 10);
        Assert.True(org.Records("OpportunityHistory").Count > opportunities);
        Assert.NotEmpty(org.Records("Campaign"));
    }

    [Fact]
    public void Without_demo_data_the_org_is_empty()
    {
        var org = new SalesforceEmulator(new SalesforceEmulatorOptions());

        Assert.Null(org.Options.DemoData);
        Assert.Single(org.Records("User"));
        Assert.Empty(org.Records("Account"));
        Assert.Empty(org.Records("Opportunity"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(DemoDataOptions.MaxScale + 1)]
    public void A_scale_outside_the_range_is_refused(double scale)
    {
        var options = new DemoDataOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.Scale = scale);
        Assert.Equal(1, options.Scale);
    }

    [Fact]
    public async Task The_SDK_reads_the_demo_records()
    {
        var options = DemoOrgs.Options(0.05);
        options.TimeProvider = TimeProvider.System;
        await using var org = new EmulatedOrg(options);
        var won = org.Emulator.Records("Opportunity").First(o => o["IsWon"] is true);
        var lead = org.Emulator.Records("Lead").First(l => l["IsConverted"] is true);
        var records = org.Client.SObjects;

        var opportunity = await records.GetAsync<SObject>("Opportunity", won.Id, cancellationToken: Ct);
        var account = await records.GetAsync<SObject>("Account", opportunity.Get<string>("AccountId")!, ["Name", "Industry", "Type"], Ct);
        var converted = await records.GetAsync<SObject>("Lead", lead.Id, cancellationToken: Ct);
        var owner = await records.GetAsync<SObject>("User", opportunity.Get<string>("OwnerId")!, ["Title", "ManagerId"], Ct);

        Assert.Equal(("Closed Won", true, 100m), (opportunity.Get<string>("StageName"), opportunity.Get<bool>("IsWon"), opportunity.Get<decimal>("Probability")));
        Assert.Equal(won["Amount"], opportunity.Get<decimal>("Amount"));
        Assert.Equal(won["CreatedDate"], opportunity.Get<DateTimeOffset>("CreatedDate"));
        Assert.StartsWith("Customer", account.Get<string>("Type"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(account.Get<string>("Industry")));
        Assert.True(converted.Get<bool>("IsConverted"));
        Assert.Equal(lead["ConvertedAccountId"], converted.Get<string>("ConvertedAccountId"));
        Assert.Equal(lead["ConvertedDate"], converted.Get<DateOnly>("ConvertedDate"));
        Assert.Contains("Account Executive", owner.Get<string>("Title"), StringComparison.Ordinal);
        Assert.NotNull(owner.Get<string>("ManagerId"));
    }

    /// <summary>Every record of every object, field by field, as text.</summary>
    private static List<string> Snapshot(SalesforceEmulator emulator) =>
        [.. emulator.Org.Schema.Objects.SelectMany(o => emulator.Org.Records(o, includeDeleted: true)).Select(Describe)];

    private static string Describe(StoredRecord record) => string.Join(
        "|",
        record.Values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Text(p.Value)}"));

    /// <summary>A value as text; moments to the tick, so that two orgs differing by a millisecond differ here too.</summary>
    private static string? Text(object? value) =>
        value is DateTimeOffset moment ? moment.ToString("O", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture);
}
