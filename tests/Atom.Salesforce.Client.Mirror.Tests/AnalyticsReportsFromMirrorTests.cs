using System.Text.Json;
using System.Text.Json.Nodes;
using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// The analytics reports computed on the mirror (<see cref="ISalesDataSource"/> overloads, filters in SQL) are the reports
/// computed on the org (the <see cref="SalesforceClient"/> overloads, as before the mirror existed), on the emulator's demo org.
/// </summary>
public sealed class AnalyticsReportsFromMirrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pipeline_lead_account_and_performance_reports_from_the_mirror_are_those_from_Salesforce()
    {
        await using var harness = await MirrorHarness.StartAsync(new SalesforceEmulatorOptions { DemoData = new DemoDataOptions { Scale = 0.5 } });
        var app = await harness.AppAsync(o => o.UseChangeEvents = false, pubSub: false);
        var sf = MirrorHarness.Client(app);
        var mirror = app.GetRequiredService<SalesforceMirror>();
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var writer = mirror.RunAsync(stop.Token);
            await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(mirror), "every object is loaded");
            await stop.CancelAsync();
            await writer;
        }

        var fromMirror = app.GetRequiredService<ISalesDataSource>();
        var owners = new List<string>();
        foreach (var group in (await new SalesforceSalesDataSource(sf).LoadAsync(SalesDataParts.Opportunities, cancellationToken: Ct)).Opportunities
                     .GroupBy(o => o.OwnerId).OrderByDescending(g => g.Count()).Take(2))
        {
            owners.Add(group.Key!);
        }

        var pipeline = new PipelineAnalytics();
        PipelineQuery?[] pipelineQueries =
        [
            null,
            new PipelineQuery { GroupBy = PipelineDimension.Owner, Owners = owners },
            new PipelineQuery { CloseDate = DateRange.Relative("LAST_N_DAYS:365"), Stages = ["Prospecting", "Closed Won", "Negotiation/Review", "Closed Lost"], LeadSources = ["Web"] },
            new PipelineQuery { CloseDate = DateRange.Relative("THIS_YEAR"), GroupBy = PipelineDimension.CloseQuarter },
        ];
        foreach (var query in pipelineQueries)
        {
            var expected = await pipeline.AnalyzeAsync(sf, query, Ct);
            Assert.True(expected.Count > 0);
            AssertSame(expected, await pipeline.AnalyzeAsync(fromMirror, query, Ct));
            AssertSame(expected, await pipeline.AnalyzeAsync(new SalesforceSalesDataSource(sf), query, Ct));
        }

        var leads = new LeadAnalytics();
        var leadQuery = new LeadQuery { GroupBy = LeadDimension.Owner, CreatedDate = DateRange.Relative("LAST_N_DAYS:365") };
        var expectedLeads = await leads.AnalyzeAsync(sf, leadQuery, Ct);
        Assert.True(expectedLeads.Total.Leads > 0);
        AssertSame(expectedLeads, await leads.AnalyzeAsync(fromMirror, leadQuery, Ct));

        var accounts = new AccountAnalytics();
        var expectedAccounts = await accounts.AnalyzeAsync(sf, null, Ct);
        Assert.NotEmpty(expectedAccounts.Accounts);
        AssertSame(expectedAccounts, await accounts.AnalyzeAsync(fromMirror, null, Ct));

        var performance = new PerformanceAnalytics();
        var performanceQuery = new PerformanceQuery { CloseDate = DateRange.Relative("LAST_N_DAYS:365") };
        var expectedPerformance = await performance.AnalyzeAsync(sf, performanceQuery, Ct);
        AssertSame(expectedPerformance, await performance.AnalyzeAsync(fromMirror, performanceQuery, Ct));
    }

    /// <summary>The two reports as JSON, every value equal (numbers to 1e-9 relative: the sums may add in another order).</summary>
    private static void AssertSame<T>(T expected, T actual)
    {
        var left = JsonSerializer.SerializeToNode(expected);
        var right = JsonSerializer.SerializeToNode(actual);
        var path = Difference(left, right, "$");
        Assert.True(path is null, $"{typeof(T).Name} differs at {path}: {left?.ToJsonString().Length} / {right?.ToJsonString().Length} chars");
    }

    private static string? Difference(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (null, null):
                return null;
            case (JsonObject x, JsonObject y):
                if (x.Count != y.Count)
                {
                    return path;
                }

                foreach (var (name, value) in x)
                {
                    if (!y.TryGetPropertyValue(name, out var other))
                    {
                        return path + "." + name;
                    }

                    if (Difference(value, other, path + "." + name) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    return path + $" (length {x.Count} / {y.Count})";
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (Difference(x[i], y[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (JsonValue x, JsonValue y) when x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number:
                var (p, q) = (x.GetValue<double>(), y.GetValue<double>());
                return Math.Abs(p - q) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(p), Math.Abs(q))) ? null : $"{path} ({p} / {q})";
            case (JsonValue x, JsonValue y):
                return x.ToJsonString() == y.ToJsonString() ? null : $"{path} ({x.ToJsonString()} / {y.ToJsonString()})";
            default:
                return path;
        }
    }
}
