using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Atom.Salesforce.Emulator.Tests.Tool;

/// <summary>The README's emulator command, run literally from the repository root, and the query the README sends it.</summary>
public sealed partial class ReadmeCommandTests
{
    /// <summary>The README's command; the README shows port 8443, the test takes a free one.</summary>
    public const string Command =
        "dotnet run --project src/Atom.Salesforce.Emulator.Tool -- --urls http://127.0.0.1:{0} --access-token dev-token --today 2026-06-30";

    /// <summary>The first line it prints (the README quotes it), apart from how long the generation took.</summary>
    public const string DemoSummary =
        "Demo org (random seed 1, scale 1, today 2026-06-30) generated in {0} s: 23 users, 26 campaigns, 500 accounts, 2,000 contacts, "
        + "3,000 leads, 2,500 opportunities, 12,620 history rows, 7,000 tasks, 3,000 events";

    /// <summary>The README's curl.</summary>
    public const string Query = "/services/data/v66.0/query?q=SELECT+StageName,COUNT(Id)+FROM+Opportunity+GROUP+BY+StageName";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_readme_command_serves_the_demo_org_it_describes_and_stops_on_SIGTERM()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "POSIX signals");
        var port = ToolProcess.FreePort();
        var words = string.Format(CultureInfo.InvariantCulture, Command, port).Split(' ');
        using var run = ToolProcess.Start(words[0], words[1..], ToolProcess.RepositoryRoot);

        // dotnet run builds the tool first (Debug): minutes on a cold, busy machine.
        var listening = await run.WaitForLineAsync(l => l.StartsWith("Atom.Salesforce.Emulator listening on ", StringComparison.Ordinal), TimeSpan.FromMinutes(8), Ct);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}{Query}"));
        request.Headers.Authorization = new("Bearer", "dev-token");
        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        await run.SignalAsync("TERM", Ct);
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal($"Atom.Salesforce.Emulator listening on http://127.0.0.1:{port}", listening);
        var summary = Assert.Single(run.Lines, l => l.StartsWith("Demo org ", StringComparison.Ordinal));
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, DemoSummary, "N"), Seconds().Replace(summary, "generated in N s"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var records = JsonDocument.Parse(body).RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(10, records.Count);
        Assert.Contains(records, r => r.GetProperty("StageName").GetString() == "Closed Won");
        Assert.Equal(2_500, records.Sum(r => r.GetProperty("expr0").GetInt32()));
        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr: {run.Errors}");
    }

    [GeneratedRegex(@"generated in \d+\.\d s")]
    private static partial Regex Seconds();
}
