using System.Globalization;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Docs.Tests.Snippets;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;

namespace Atom.Salesforce.Docs.Tests;

/// <summary>The analytics reference's blocks (docs/analytics.md), each checked against the org's own SOQL answers.</summary>
public sealed partial class RunnableSnippetTests
{
    private static void DemoOrg(SalesforceEmulatorOptions options) => options.DemoData = new DemoDataOptions { Scale = 0.1 };

    private static async Task VerifyPipelineAsync(SnippetOrg org, string output, object? seeded)
    {
        const string scope = "CloseDate = THIS_YEAR AND LeadSource = 'Web'";
        var open = await Single(org, $"SELECT SUM(Amount) total FROM Opportunity WHERE IsClosed = false AND {scope}");
        var closed = await Single(org, $"SELECT COUNT(Id) n FROM Opportunity WHERE IsClosed = true AND {scope}");
        var won = await Single(org, $"SELECT COUNT(Id) n FROM Opportunity WHERE IsWon = true AND {scope}");
        var winRate = closed.Get<int>("n") == 0 ? "" : ((double)won.Get<int>("n") / closed.Get<int>("n")).ToString("P0", CultureInfo.CurrentCulture);

        var line = Assert.Single(Lines(output));
        Assert.True(open.Get<double?>("total") > 0, "The example's scope has open deals in the demo org.");
        Assert.StartsWith($"{open.Get<double>("total"):N0} open, ", line, StringComparison.Ordinal);
        Assert.EndsWith($" weighted, win rate {winRate}", line, StringComparison.Ordinal);
    }

    private static async Task VerifyBulkLoadAsync(SnippetOrg org, string output, object? seeded)
    {
        var opportunities = (await Single(org, "SELECT COUNT(Id) n FROM Opportunity")).Get<int>("n");
        var history = (await Single(org, "SELECT COUNT(Id) n FROM OpportunityHistory")).Get<int>("n");
        var stages = (await Single(org, "SELECT COUNT(Id) n FROM OpportunityStage WHERE IsActive = true")).Get<int>("n");

        Assert.Equal([$"{opportunities} opportunities, {history} history rows, {stages} stages"], Lines(output));
    }

    private static async Task VerifySummaryAsync(SnippetOrg org, string output, object? seeded)
    {
        // THIS_FISCAL_YEAR with the fiscal year starting in April, on 2026-06-30: 2026-04-01 to 2027-03-31.
        var start = new DateOnly(2026, 4, 1);
        var end = new DateOnly(2027, 3, 31);
        const string scope = "IsClosed = false AND CloseDate >= 2026-04-01 AND CloseDate <= 2027-03-31";
        var total = await Single(org, $"SELECT COUNT(Id) n, SUM(Amount) total FROM Opportunity WHERE {scope}");
        var owners = await Rows(org, $"SELECT OwnerId, COUNT(Id) n, SUM(Amount) total FROM Opportunity WHERE {scope} GROUP BY OwnerId");

        var lines = Lines(output);
        Assert.Equal($"{start} to {end}: {total.Get<int>("n")} open deals, {total.Get<double>("total"):F2}", lines[0]);
        Assert.Equal(owners.Count, lines.Count - 1);
        foreach (var owner in owners)
        {
            Assert.Contains($"{owner.Get<string>("OwnerId")}: {owner.Get<int>("n")} deals, {owner.Get<double>("total"):F2}", lines);
        }
    }

    private static async Task VerifyLeadsAsync(SnippetOrg org, string output, object? seeded)
    {
        var lines = Lines(output);
        var counts = await Rows(org, "SELECT LeadSource, COUNT(Id) n FROM Lead WHERE CreatedDate = LAST_N_MONTHS:12 AND LeadSource IN ('Web', 'Partner Referral') GROUP BY LeadSource");
        var converted = (await Rows(org, "SELECT LeadSource, COUNT(Id) n FROM Lead WHERE CreatedDate = LAST_N_MONTHS:12 AND LeadSource IN ('Web', 'Partner Referral') AND IsConverted = true GROUP BY LeadSource"))
            .ToDictionary(r => r.Get<string>("LeadSource")!, r => r.Get<int>("n"));

        Assert.Equal(counts.Count, lines.Count);
        foreach (var row in counts)
        {
            var source = row.Get<string>("LeadSource")!;
            var rate = (double)converted.GetValueOrDefault(source) / row.Get<int>("n");
            Assert.Contains(lines, l => l.StartsWith($"{source}: {rate.ToString("P0", CultureInfo.CurrentCulture)} converted, median ", StringComparison.Ordinal));
        }
    }

    private static Task VerifyLeadScoringAsync(SnippetOrg org, string output, object? seeded)
    {
        var lines = Lines(output);
        var accuracy = lines[0].Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["held-out", "AUC"], accuracy[..2]);
        Assert.InRange(double.Parse(accuracy[2], CultureInfo.CurrentCulture), 0, 1);
        Assert.InRange(double.Parse(accuracy[4], CultureInfo.CurrentCulture), 0, 1);
        var points = int.Parse(lines[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.InRange(points, 0, 100);
        Assert.EndsWith(" to convert", lines[1], StringComparison.Ordinal);
        Assert.InRange(lines.Count(l => l.StartsWith("  ", StringComparison.Ordinal) && l.EndsWith(" pp", StringComparison.Ordinal)), 1, 3);
        return Task.CompletedTask;
    }

    private static async Task VerifyWinProbabilityAsync(SnippetOrg org, string output, object? seeded)
    {
        var open = (await Rows(org, "SELECT Name FROM Opportunity WHERE IsClosed = false AND CloseDate = THIS_QUARTER AND LeadSource IN ('Web', 'Partner Referral')"))
            .Select(r => r.Get<string>("Name")!).ToHashSet(StringComparer.Ordinal);
        var lines = Lines(output);

        Assert.StartsWith("Brier ", lines[0], StringComparison.Ordinal);
        var predictions = lines.Skip(1).SkipLast(1).ToList();
        Assert.InRange(predictions.Count, 1, 5);
        Assert.All(predictions, l => Assert.Contains(open, name => l.StartsWith(name + ": ", StringComparison.Ordinal)));
        var first = predictions[0][..predictions[0].IndexOf(": ", StringComparison.Ordinal)];
        Assert.StartsWith(first + ": ", lines[^1], StringComparison.Ordinal); // the one deal scored again on its own
    }

    private static async Task<object?> SeedDuplicatesAsync(SnippetOrg org)
    {
        var first = await org.Client.SObjects.CreateAsync("Account", new SObject("Account")
        {
            ["Name"] = "Acme Incorporated", ["Website"] = "https://www.acme-corp.example", ["Phone"] = "+1 (415) 555-0100", ["BillingCity"] = "San Francisco",
        }, Ct);
        var second = await org.Client.SObjects.CreateAsync("Account", new SObject("Account")
        {
            ["Name"] = "ACME, Inc.", ["Website"] = "acme-corp.example/about", ["Phone"] = "415.555.0100", ["BillingCity"] = "San Francisco",
        }, Ct);
        var other = await org.Client.SObjects.CreateAsync("Account", new SObject("Account")
        {
            ["Name"] = "Globex Corporation", ["Website"] = "https://globex.example", ["Phone"] = "+1 212 555 0199", ["BillingCity"] = "New York",
        }, Ct);
        return (first, second, other);
    }

    private static Task VerifyDuplicates(SnippetOrg org, string output, object? seeded)
    {
        var (first, second, other) = ((string, string, string))seeded!;
        var lines = Lines(output);

        var pair = Assert.Single(lines, l => l.Contains(" ~ ", StringComparison.Ordinal));
        Assert.Contains(first, pair, StringComparison.Ordinal);
        Assert.Contains(second, pair, StringComparison.Ordinal);
        var cluster = Assert.Single(lines, l => l.Contains(" = ", StringComparison.Ordinal));
        Assert.Equal(new HashSet<string>([first, second]), cluster.Split(" = ").ToHashSet());
        Assert.DoesNotContain(lines, l => l.Contains(other, StringComparison.Ordinal));
        return Task.CompletedTask;
    }

    private static async Task VerifyAccountsAsync(SnippetOrg org, string output, object? seeded)
    {
        var technology = (await Rows(org, "SELECT Name FROM Account WHERE Industry = 'Technology'")).Select(r => r.Get<string>("Name")!).ToList();
        var lines = Lines(output);

        Assert.InRange(lines.Count, 1, 5);
        Assert.All(lines, l => Assert.Contains(technology, name => l.StartsWith(name + " ", StringComparison.Ordinal)));
        var scores = lines.Select(l => l[(technology.Where(n => l.StartsWith(n + " ", StringComparison.Ordinal)).Max(n => n.Length) + 1)..].Split(' ')[0])
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        Assert.All(scores, s => Assert.InRange(s, 0, 100));
        Assert.Equal(scores.OrderDescending(), scores); // healthiest first
    }

    private static async Task VerifyPerformanceAsync(SnippetOrg org, string output, object? seeded)
    {
        var names = (await Rows(org, "SELECT Id, Name FROM User")).ToDictionary(r => r.Id!, r => r.Get<string>("Name"));
        var won = await Rows(org, "SELECT OwnerId, SUM(Amount) total FROM Opportunity WHERE IsWon = true AND CloseDate = THIS_YEAR GROUP BY OwnerId");
        var lines = Lines(output);

        Assert.NotEmpty(won);
        foreach (var row in won)
        {
            var name = names[row.Get<string>("OwnerId")!];
            Assert.Contains($"{name}: {row.Get<double>("total"):N0} won, ", string.Join('\n', lines), StringComparison.Ordinal);
        }
    }

    private static Task VerifyScoringAsync(SnippetOrg org, string output, object? seeded)
    {
        var lines = Lines(output);

        Assert.InRange(lines.Count, 1, 10);
        Assert.All(lines, l =>
        {
            var words = l.Split(' ');
            var prefix = words[1] switch
            {
                "Account" => "001",
                "Opportunity" => "006",
                "Lead" => "00Q",
                _ => throw new InvalidOperationException($"Unknown target in '{l}'."),
            };
            Assert.Matches($"^{prefix}[A-Za-z0-9]{{15}}:$", words[2]);
        });
        return Task.CompletedTask;
    }
}
