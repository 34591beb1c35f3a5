using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

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
        await EmulatorStats.ClearAsync(host.Emulator, Ct);
        var again = (await host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = "last_n_days:365" })).Data.GetRawText();
        Assert.Equal(first, again);
        Assert.Equal(0, await EmulatorStats.SalesforceRequestsAsync(host.Emulator, Ct));

        // Another user, or another scope, is read from the org.
        _ = (await host.PostAsync("analytics/pipeline", PackHost.Bob, new { date_range = "last_n_days:365" })).Data;
        var afterBob = await EmulatorStats.SalesforceRequestsAsync(host.Emulator, Ct);
        Assert.True(afterBob > 0);
        _ = (await host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = "last_n_days:90" })).Data;
        Assert.True(await EmulatorStats.SalesforceRequestsAsync(host.Emulator, Ct) > afterBob);
    }

    [Fact]
    public async Task A_zero_duration_reads_the_org_on_every_request()
    {
        await using var host = await PackHost.StartAsync(o => o.AnalyticsCacheDuration = TimeSpan.Zero);
        _ = (await host.PostAsync("analytics/pipeline", PackHost.Alice, new { })).Data;
        await EmulatorStats.ClearAsync(host.Emulator, Ct);
        _ = (await host.PostAsync("analytics/pipeline", PackHost.Alice, new { })).Data;
        Assert.True(await EmulatorStats.SalesforceRequestsAsync(host.Emulator, Ct) > 0);
    }
}
