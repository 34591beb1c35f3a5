using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Docs.Tests.Markdown;
using Atom.Salesforce.Docs.Tests.Snippets;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.Soql;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Docs.Tests;

/// <summary>
/// The blocks marked <c>&lt;!-- snippet: run NAME --&gt;</c> run against an emulator org, and each does what it shows:
/// the records it writes are in the org, what it prints agrees with the org's own answers.
/// </summary>
public sealed partial class RunnableSnippetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What the org holds before a block runs, and what the block must have done.</summary>
    private sealed record Scenario(
        Action<SalesforceEmulatorOptions>? Configure = null,
        Func<SnippetOrg, Task<object?>>? Seed = null,
        Func<SnippetOrg, string, object?, Task>? Verify = null,
        Func<SnippetOrg, HostedApp, Task>? Serve = null);

    /// <summary>Every runnable block's scenario, by the name in its marker.</summary>
    private static readonly Dictionary<string, Scenario> Scenarios = new()
    {
        ["quick-start"] = new(Seed: SeedQuickStartAsync, Verify: VerifyQuickStartAsync),
        ["records"] = new(Configure: WithAccountExternalId, Verify: VerifyRecordsAsync),
        ["soql"] = new(Verify: VerifySoql),
        ["many-records"] = new(Configure: WithAccountExternalId, Verify: VerifyManyRecordsAsync),
        ["analytics"] = new(Configure: o => o.DemoData = new DemoDataOptions { Scale = 0.1 }, Verify: VerifyAnalyticsAsync),
        ["endpoint-pack"] = new(Serve: ServeEndpointPackAsync),
        ["emulator"] = new(Verify: VerifyEmulator),
        ["client-records"] = new(Configure: WithAccountExternalId, Verify: VerifyClientRecordsAsync),
        ["client-soql"] = new(Verify: VerifyClientSoql),
        ["client-composite"] = new(Verify: VerifyClientCompositeAsync),
        ["client-collections"] = new(Configure: WithAccountExternalId, Verify: VerifyClientCollectionsAsync),
        ["client-save"] = new(Configure: WithAccountExternalId, Verify: VerifyClientSaveAsync),
        ["analytics-pipeline"] = new(Configure: DemoOrg, Verify: VerifyPipelineAsync),
        ["analytics-bulk"] = new(Configure: DemoOrg, Verify: VerifyBulkLoadAsync),
        ["analytics-summary"] = new(Configure: DemoOrg, Verify: VerifySummaryAsync),
        ["analytics-leads"] = new(Configure: DemoOrg, Verify: VerifyLeadsAsync),
        ["analytics-lead-scoring"] = new(Configure: DemoOrg, Verify: VerifyLeadScoringAsync),
        ["analytics-win-probability"] = new(Configure: DemoOrg, Verify: VerifyWinProbabilityAsync),
        ["analytics-duplicates"] = new(Seed: SeedDuplicatesAsync, Verify: VerifyDuplicates),
        ["analytics-accounts"] = new(Configure: DemoOrg, Verify: VerifyAccountsAsync),
        ["analytics-performance"] = new(Configure: DemoOrg, Verify: VerifyPerformanceAsync),
        ["analytics-scoring"] = new(Configure: DemoOrg, Verify: VerifyScoringAsync),
    };

    public static IEnumerable<TheoryDataRow<string>> RunnableBlocks() =>
        DocumentationFiles.Blocks.Where(b => b.RunName is not null)
            .Select(b => new TheoryDataRow<string>(b.RunName!) { TestDisplayName = $"runs: {b.DisplayName} [{b.RunName}]" });

    [Theory]
    [MemberData(nameof(RunnableBlocks))]
    public async Task Block_runs_against_the_emulator_and_does_what_it_shows(string name)
    {
        var block = DocumentationFiles.FindRunnable(name);
        Assert.True(Scenarios.TryGetValue(name, out var scenario),
            $"{block.DisplayName} is marked '<!-- snippet: run {name} -->' but RunnableSnippetTests has no scenario '{name}': add one that asserts what the block does.");
        var compiled = SnippetCompiler.Compile(block);
        Assert.True(compiled.Problems.Count == 0, string.Join('\n', compiled.Problems));

        await using var org = await SnippetOrg.StartAsync(scenario.Configure, Ct);
        var seeded = scenario.Seed is null ? null : await scenario.Seed(org);
        if (scenario.Serve is not null)
        {
            await ServeAsync(org, compiled, scenario.Serve);
            return;
        }

        var output = await SnippetRunner.RunAsync(compiled, n => org.Resolve(n, Ct));
        TestContext.Current.TestOutputHelper?.WriteLine(output); // shown when the check fails
        if (Environment.GetEnvironmentVariable("ATOM_DOCS_OUTPUT_DIR") is { Length: > 0 } outputDirectory)
        {
            Directory.CreateDirectory(outputDirectory); // each snippet's output, to read (or to quote) what it prints
            await File.WriteAllTextAsync(Path.Combine(outputDirectory, name + ".txt"), output, Ct);
        }

        await scenario.Verify!(org, output, seeded);
    }

    [Fact]
    public void Every_scenario_has_its_marked_block()
    {
        var marked = DocumentationFiles.Blocks.Select(b => b.RunName).OfType<string>().ToHashSet();

        var orphans = Scenarios.Keys.Where(k => !marked.Contains(k)).ToList();

        Assert.True(orphans.Count == 0, $"No block is marked to run for these scenarios (a removed or renamed marker?): {string.Join(", ", orphans)}");
    }

    [Fact]
    public void The_capabilities_the_readme_shows_are_run()
    {
        var readme = DocumentationFiles.Blocks.Where(b => b.File == "README.md").Select(b => b.RunName).OfType<string>();

        Assert.Superset(new HashSet<string>(["quick-start", "records", "soql", "many-records", "analytics", "endpoint-pack", "emulator"]), readme.ToHashSet());
    }

    private static void WithAccountExternalId(SalesforceEmulatorOptions options) =>
        options.CustomFields["Account"] = [new FieldDefinition("Ext_Id__c", FieldType.String) { ExternalId = true }];

    private static async Task<object?> SeedQuickStartAsync(SnippetOrg org)
    {
        var id = await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "O'Brien & Sons", ["Industry"] = "Retail" }, Ct);
        await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "O'Brien", ["Industry"] = "Retail" }, Ct);
        return id;
    }

    private static Task VerifyQuickStartAsync(SnippetOrg org, string output, object? seeded)
    {
        // The name's quote and ampersand reached Salesforce as one escaped literal: exactly the one account, no other.
        Assert.Equal([$"{seeded} O'Brien & Sons Retail"], Lines(output));
        return Task.CompletedTask;
    }

    private static async Task VerifyRecordsAsync(SnippetOrg org, string output, object? seeded)
    {
        var lines = Lines(output);
        Assert.Equal("Acme: Energy", lines[0]);
        Assert.Matches("^001[A-Za-z0-9]{15} created: True$", lines[1]);
        var owner = await Single(org, "SELECT Owner.Name FROM Account WHERE Ext_Id__c = 'ACME/42'");
        Assert.Contains($"Acme West owned by {owner.Get<string>("Owner.Name")}", lines);
        Assert.Contains("Acme owned by " + owner.Get<string>("Owner.Name"), lines); // read before the delete
        Assert.Empty(await Rows(org, "SELECT Id FROM Account WHERE Name = 'Acme'"));
        Assert.Equal("ACME/42", (await Single(org, "SELECT Ext_Id__c FROM Account WHERE Name = 'Acme West'")).Get<string>("Ext_Id__c"));
    }

    private static Task VerifySoql(SnippetOrg org, string output, object? seeded)
    {
        var lines = Lines(output);
        var built = SoqlQuery.Parse(lines[0]); // what the builder printed is SOQL the parser (and Salesforce) accepts
        Assert.Equal("Opportunity", built.From.ObjectType);
        Assert.Equal(
            "SELECT Id, Name, Owner.Email FROM Opportunity WHERE Account.Industry = 'Media' AND Account.AnnualRevenue > 1000000 " +
            "AND Name LIKE 'Ac%' AND Id NOT IN ('006000000000001AAA') ORDER BY Amount DESC LIMIT 50",
            lines[0]);
        Assert.Equal("SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Industry = 'Media' LIMIT 10", lines[1]);
        Assert.Equal("SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE (Industry = 'Media') AND (Industry = 'Energy' OR Name LIKE 'A%')", lines[2]);
        Assert.Contains("OwnerId", lines[3], StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    private static async Task VerifyManyRecordsAsync(SnippetOrg org, string output, object? seeded)
    {
        var lines = Lines(output);
        var ids = lines[0].Split(' ');
        Assert.Equal(ids[1].TrimEnd(','), (await Single(org, $"SELECT AccountId FROM Contact WHERE Id = '{ids[3]}'")).Get<string>("AccountId"));
        Assert.Equal("collections: 450 of 450 saved", lines[1]);
        Assert.Equal("bulk: 450 of 450 updated", lines[2]);
        Assert.Equal("save: 450 updated", lines[3]);
        var energy = await Single(org, "SELECT COUNT(Id) n FROM Account WHERE Ext_Id__c LIKE 'ROW-%' AND Industry = 'Energy'");
        Assert.Equal(450, energy.Get<int>("n"));
    }

    private static async Task VerifyAnalyticsAsync(SnippetOrg org, string output, object? seeded)
    {
        var lines = Lines(output);
        var open = await Single(org, "SELECT SUM(Amount) total FROM Opportunity WHERE IsClosed = false AND CloseDate = THIS_QUARTER");
        Assert.StartsWith($"open {open.Get<double>("total"):N0}, weighted ", lines[0], StringComparison.Ordinal);

        // Each lead source's count is the org's own count of leads created in the last 12 months.
        var counts = await Rows(org, "SELECT LeadSource, COUNT(Id) n FROM Lead WHERE CreatedDate = LAST_N_MONTHS:12 GROUP BY LeadSource");
        var sourceLines = lines.Where(l => l.Contains(" leads, ", StringComparison.Ordinal)).ToList();
        Assert.Equal(counts.Count, sourceLines.Count);
        foreach (var row in counts)
        {
            Assert.Contains(sourceLines, l => l.StartsWith($"{row.Get<string>("LeadSource")}: {row.Get<int>("n")} leads, ", StringComparison.Ordinal));
        }
    }

    private static Task VerifyEmulator(SnippetOrg org, string output, object? seeded)
    {
        var stages = Lines(output).Select(l => l.Split(": ")).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        Assert.Contains("Closed Won", stages.Keys);
        Assert.Contains("Prospecting", stages.Keys);
        Assert.All(stages.Values, n => Assert.True(n > 0));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The endpoint pack snippet's app, on a loopback port: nobody signed in is 401 with the pack's envelope, a signed-in
    /// user gets their records, and the "salesforce" rate limiter refuses requests past its window's permits with 429.
    /// </summary>
    private static async Task ServeEndpointPackAsync(SnippetOrg org, HostedApp app)
    {
        for (var i = 0; i < 3; i++)
        {
            await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = $"Pack {i}" }, Ct);
        }

        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        const string list = "/api/salesforce/enhanced/accounts/list";

        using (var anonymous = await http.PostAsJsonAsync(list, new { limit = 2 }, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            var envelope = await anonymous.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.False(envelope.GetProperty("ok").GetBoolean());
            Assert.Equal(401, envelope.GetProperty("status_code").GetInt32());
            Assert.Equal("NOT_AUTHENTICATED", envelope.GetProperty("error_code").GetString());
            Assert.Equal("salesforce_enhanced", envelope.GetProperty("service").GetString());
        }

        // Signed in the way the app's own sign-in would (the cookie scheme's ticket), and connected to Salesforce.
        const string userId = "user-7";
        await app.Services.GetRequiredService<ITokenStore>().SaveAsync(userId, SnippetOrg.Token(org.Emulator), Ct);
        var cookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], CookieAuthenticationDefaults.AuthenticationScheme));
        var ticket = cookie.TicketDataFormat.Protect(new AuthenticationTicket(principal, CookieAuthenticationDefaults.AuthenticationScheme));
        http.DefaultRequestHeaders.Add("Cookie", $"{cookie.Cookie.Name}={ticket}");

        var succeeded = 0;
        HttpStatusCode last = 0;
        for (var i = 0; i < 200 && last != HttpStatusCode.TooManyRequests; i++)
        {
            using var response = await http.PostAsJsonAsync(list, new { limit = 2 }, Ct);
            last = response.StatusCode;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var envelope = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                Assert.True(envelope.GetProperty("ok").GetBoolean());
                Assert.Equal(2, envelope.GetProperty("data").GetProperty("records").GetArrayLength());
                succeeded++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.True(succeeded > 1, $"Only {succeeded} signed-in request(s) succeeded before the limiter refused.");
    }

    private static async Task ServeAsync(SnippetOrg org, CompiledSnippet compiled, Func<SnippetOrg, HostedApp, Task> serve)
    {
        var started = new TaskCompletionSource<HostedApp>(TaskCreationOptions.RunContinuationsAsynchronously);
        org.BuilderServices.Add(s => HostedAppProbe.Register(s, started));
        var program = SnippetRunner.StartAsync(compiled, n => org.Resolve(n, Ct));
        if (await Task.WhenAny(started.Task, program) == program)
        {
            await program; // throws what stopped it
            Assert.Fail($"{compiled.Block.DisplayName} ended without starting a web app.");
        }

        var app = await started.Task;
        try
        {
            await serve(org, app);
        }
        finally
        {
            app.Lifetime.StopApplication();
            await program.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
    }

    private static List<string> Lines(string output) =>
        output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static async Task<List<SObject>> Rows(SnippetOrg org, string soql)
    {
        var rows = new List<SObject>();
        await foreach (var row in org.Client.Query.QueryAsync<SObject>(soql, cancellationToken: Ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<SObject> Single(SnippetOrg org, string soql) => Assert.Single(await Rows(org, soql));
}
