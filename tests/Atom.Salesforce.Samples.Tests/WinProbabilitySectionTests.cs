using System.Globalization;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Samples.PipelineReporting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>The sample's win probability table, checked against <see cref="WinProbabilityScoring"/> on the same org.</summary>
public sealed class WinProbabilitySectionTests
{
    [Fact]
    public async Task Prints_the_models_the_probability_shown_and_the_stage_defaults_brier_score_and_auc_side_by_side()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(now);
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DemoData = new DemoDataOptions { Scale = 0.1 }, TimeProvider = clock });
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.LoginUrl = emulator.InstanceUrl;
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("user", new SalesforceToken(emulator.Options.AccessToken!, emulator.InstanceUrl, now.AddHours(1)), ct);
        var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("user");
        var output = new StringWriter();
        var console = ReportConsole.Plain(output);

        // The sample loads the org once and trains on that, with the stages' default probabilities it read itself.
        var report = await WinProbabilitySection.AnalyzeAsync(console, await OrgData.LoadAsync(client, console, ct), now);
        console.Write(WinProbabilitySection.Table(report!));
        var expected = await new WinProbabilityScoring(clock).AnalyzeAsync(client, cancellationToken: ct);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.Contains("Training the win probability model on closed deals' history...", lines);
        lines = [.. lines.SkipWhile(l => l != WinProbabilitySection.Title)];
        Assert.Equal(WinProbabilitySection.Title, lines[0]);
        var brier = Assert.Single(lines, l => l.StartsWith("Brier score", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Model.BrierScore.ToString("0.000", CultureInfo.InvariantCulture), brier[^3]);
        Assert.Equal(expected.SalesforceProbability.BrierScore.ToString("0.000", CultureInfo.InvariantCulture), brier[^2]);
        Assert.Equal(expected.StageDefault.BrierScore.ToString("0.000", CultureInfo.InvariantCulture), brier[^1]);
        var auc = Assert.Single(lines, l => l.StartsWith("AUC", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Model.Auc!.Value.ToString("0.000", CultureInfo.InvariantCulture), auc[1]);
    }
}
