using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Emulator;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Analytics;

/// <summary>
/// Without the mirror, the analytics routes read the user's org and reuse what they read for <c>AnalyticsCacheDuration</c>,
/// per login and filter: a repeated report makes no API call, another user or another filter reads the org again.
/// </summary>
public sealed class AnalyticsCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_repeated_report_reuses_the_records_read_for_the_same_user_and_filter_only()
    {
        await using var host = await PackHost.StartAsync(o => o.AnalyticsCacheDuration = TimeSpan.FromHours(1));
        await host.ConnectAsync(PackHost.Bob);

        var first = (await host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = "last_n_days:365" })).Data.GetRawText();
        await ClearStatsAsync(host.Emulator);
        var again = (await host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = "last_n_days:365" })).Data.GetRawText();
        Assert.Equal(first, again);
        Assert.Equal(0, await SalesforceRequestsAsync(host.Emulator));

        // Another user, or another scope, is read from the org.
        _ = (await host.PostAsync("analytics/pipeline", PackHost.Bob, new { date_range = "last_n_days:365" })).Data;
        var afterBob = await SalesforceRequestsAsync(host.Emulator);
        Assert.True(afterBob > 0);
        _ = (await host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = "last_n_days:90" })).Data;
        Assert.True(await SalesforceRequestsAsync(host.Emulator) > afterBob);
    }

    [Fact]
    public async Task A_zero_duration_reads_the_org_on_every_request()
    {
        await using var host = await PackHost.StartAsync(o => o.AnalyticsCacheDuration = TimeSpan.Zero);
        _ = (await host.PostAsync("analytics/pipeline", PackHost.Alice, new { })).Data;
        await ClearStatsAsync(host.Emulator);
        _ = (await host.PostAsync("analytics/pipeline", PackHost.Alice, new { })).Data;
        Assert.True(await SalesforceRequestsAsync(host.Emulator) > 0);
    }

    private static async Task ClearStatsAsync(SalesforceEmulator emulator)
    {
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        using var response = await http.DeleteAsync(new Uri("/__emulator/stats", UriKind.Relative), Ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Requests the org served since the stats were cleared, the emulator's own control routes left out.</summary>
    private static async Task<int> SalesforceRequestsAsync(SalesforceEmulator emulator)
    {
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        var stats = await http.GetFromJsonAsync<JsonElement>(new Uri("/__emulator/stats", UriKind.Relative), Ct);
        return stats.GetProperty("byRoute").EnumerateObject().Where(r => !r.Name.Contains("/__emulator/", StringComparison.Ordinal)).Sum(r => r.Value.GetInt32());
    }
}
