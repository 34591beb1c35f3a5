using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// The Salesforce CLI (<c>sf</c>, tests/clients/sf-cli, unchanged from npm) against the emulator's server on a real
/// loopback socket, signed in with <c>sf org login access-token</c>; one emulator and one CLI home for the class.
/// </summary>
public sealed class SalesforceCliOrg : IAsyncLifetime
{
    /// <summary>The alias the CLI keeps the emulator's login under.</summary>
    public const string Alias = "emulator";

    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;

    /// <summary>The CLI's home (HOME, XDG_* and the files commands write): a fresh temporary folder.</summary>
    public string Home { get; } = Directory.CreateTempSubdirectory("atom-sf-cli-").FullName;

    /// <summary>The server's base URL without the trailing slash, as given to <c>--instance-url</c>.</summary>
    public string InstanceUrl => _server.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The <c>result</c> of <c>sf org login access-token --json</c>.</summary>
    public JsonElement Login { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var options = new SalesforceEmulatorOptions { DailyApiLimit = 5000 };
        options.CustomObjects.Add(new SObjectDefinition("Invoice__c", [new FieldDefinition("Amount__c", FieldType.Currency)]));
        _emulator = new SalesforceEmulator(options);
        _server = await _emulator.ListenAsync(cancellationToken: TestContext.Current.CancellationToken);

        // Six accounts and a contact, written over REST (sObject Collections) before the CLI looks.
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SalesforceEmulatorOptions.DefaultAccessToken);
        var accounts = string.Join(',', Enumerable.Range(1, 6).Select(i => $$"""{"attributes":{"type":"Account"},"Name":"Cli Account {{i}}","Industry":"Media"}"""));
        using var saved = await http.PostAsync(new Uri("/services/data/v66.0/composite/sobjects", UriKind.Relative),
            new StringContent($$"""{"allOrNone":true,"records":[{{accounts}}]}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var firstId = JsonDocument.Parse(await saved.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement[0].GetProperty("id").GetString();
        using var contact = await http.PostAsync(new Uri("/services/data/v66.0/sobjects/Contact", UriKind.Relative),
            new StringContent($$"""{"LastName":"Cli Contact","AccountId":"{{firstId}}"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        contact.EnsureSuccessStatusCode();
        using var invoices = await http.PostAsync(new Uri("/services/data/v66.0/composite/sobjects", UriKind.Relative),
            new StringContent("""{"allOrNone":true,"records":[{"attributes":{"type":"Invoice__c"},"Name":"INV-1","Amount__c":10},{"attributes":{"type":"Invoice__c"},"Name":"INV-2","Amount__c":20}]}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        invoices.EnsureSuccessStatusCode();

        // The CLI's documented way in without a browser: the access token in SF_ACCESS_TOKEN, --no-prompt.
        var login = await RunAsync(["org", "login", "access-token", "--instance-url", InstanceUrl, "--no-prompt", "--alias", Alias, "--json"],
            new Dictionary<string, string> { ["SF_ACCESS_TOKEN"] = SalesforceEmulatorOptions.DefaultAccessToken });
        Login = login.Success().GetProperty("result").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A detached CLI child may still hold a log file open; the temporary folder is left behind then.
        }
    }

    /// <summary>Runs <c>sf ARGS</c> in <see cref="Home"/>, isolated from the machine's Salesforce CLI settings.</summary>
    public async Task<CliRun> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var cli = Path.Combine(ClientChecks.Find("sf-cli"), "node_modules", "@salesforce", "cli", "bin", "run.js");
        var start = new ProcessStartInfo("node") { WorkingDirectory = Home, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Nothing of a developer's own CLI setup (a default org, a log level) leaks in; nothing leaves the machine.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("SF_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("SFDX_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["HOME"] = Home;
        start.Environment["USERPROFILE"] = Home;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config");
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(Home, ".cache");
        start.Environment["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share");
        start.Environment["SF_DISABLE_TELEMETRY"] = "true";
        start.Environment["SF_AUTOUPDATE_DISABLE"] = "true";
        start.Environment["SF_DISABLE_AUTOUPDATE"] = "true";
        start.Environment["SF_SKIP_NEW_VERSION_CHECK"] = "true";
        start.Environment["SF_USE_GENERIC_UNIX_KEYCHAIN"] = "true";
        start.Environment["FORCE_COLOR"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }

        return new CliRun($"sf {string.Join(' ', args)}", process.ExitCode, await output, await errors);
    }
}

/// <summary>What one <c>sf</c> command printed and its exit code.</summary>
public sealed record CliRun(string Command, int ExitCode, string Output, string Errors)
{
    /// <summary>The <c>--json</c> output of a command that succeeded (exit code 0, <c>"status": 0</c>).</summary>
    public JsonElement Success()
    {
        Assert.True(ExitCode == 0, $"{Command} exited with {ExitCode}: {Output} {Errors}");
        var json = Json();
        Assert.Equal(0, json.GetProperty("status").GetInt32());
        return json;
    }

    /// <summary>The <c>--json</c> output, whatever the exit code.</summary>
    public JsonElement Json()
    {
        try
        {
            return JsonDocument.Parse(Output).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"{Command} printed no JSON ({e.Message}): {Output} {Errors}");
        }
    }
}

/// <summary>
/// The Salesforce CLI's data, schema and org commands against the emulator, each asserting what the command's help and
/// the Salesforce CLI Command Reference promise (https://developer.salesforce.com/docs/platform/salesforce-cli-reference).
/// </summary>
public sealed class SalesforceCliTests(SalesforceCliOrg org) : IClassFixture<SalesforceCliOrg>
{
    private const string OrgId = "00DHs0000000001MAA";

    [Fact]
    public async Task Login_with_an_access_token_and_org_display_show_the_connected_org()
    {
        // org login access-token: "the username, org ID, instance URL" of the org the token belongs to.
        Assert.Equal((OrgId, $"{org.InstanceUrl}/"), (org.Login.GetProperty("orgId").GetString(), org.Login.GetProperty("instanceUrl").GetString()));
        Assert.False(string.IsNullOrEmpty(org.Login.GetProperty("username").GetString()));

        // org display: "access token, client Id, connected status, org ID, instance URL, username, and alias".
        var display = (await org.RunAsync(["org", "display", "--target-org", SalesforceCliOrg.Alias, "--json"])).Success().GetProperty("result");
        Assert.Equal((OrgId, "Connected", SalesforceCliOrg.Alias), (display.GetProperty("id").GetString(), display.GetProperty("connectedStatus").GetString(), display.GetProperty("alias").GetString()));
        Assert.Equal(org.Login.GetProperty("username").GetString(), display.GetProperty("username").GetString());

        // org display user: the user's id and profile name.
        var user = (await org.RunAsync(["org", "display", "user", "--target-org", SalesforceCliOrg.Alias, "--json"])).Success().GetProperty("result");
        Assert.StartsWith("005", user.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("System Administrator", user.GetProperty("profileName").GetString());

        // org open --url-only --path: "Display navigation URL, but don't launch browser", a URL into the org that starts
        // at the path (the CLI asks /services/oauth2/singleaccess for a frontdoor URL).
        var open = (await org.RunAsync(["org", "open", "--url-only", "--path", "lightning/setup/SetupOneHome/home", "--target-org", SalesforceCliOrg.Alias, "--json"])).Success().GetProperty("result");
        var url = new Uri(open.GetProperty("url").GetString()!);
        Assert.Equal((OrgId, new Uri(org.InstanceUrl).Authority), (open.GetProperty("orgId").GetString(), url.Authority));
        Assert.Contains("SetupOneHome", Uri.UnescapeDataString(url.Query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_query_returns_the_records_as_json_and_csv()
    {
        // data query --json: the query result, records with their attributes, totalSize and done.
        var json = (await org.RunAsync(["data", "query", "--query", "SELECT Id, Name FROM Account LIMIT 5", "--target-org", SalesforceCliOrg.Alias, "--json"])).Success().GetProperty("result");
        var records = json.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal((5, true, 5), (json.GetProperty("totalSize").GetInt32(), json.GetProperty("done").GetBoolean(), records.Count));
        Assert.All(records, r => Assert.Equal("Account", r.GetProperty("attributes").GetProperty("type").GetString()));
        Assert.All(records, r => Assert.StartsWith("Cli ", r.GetProperty("Name").GetString(), StringComparison.Ordinal));

        // --result-format csv: a header of the selected fields (parent fields dotted), then one line per record.
        var csv = await org.RunAsync(["data", "query", "--query", "SELECT Name, Account.Name FROM Contact WHERE LastName = 'Cli Contact'", "--result-format", "csv", "--target-org", SalesforceCliOrg.Alias]);
        Assert.True(csv.ExitCode == 0, csv.Errors);
        Assert.Equal(["Name,Account.Name", "Cli Contact,Cli Account 1"], csv.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        // data search: the SOSL search's records.
        var search = (await org.RunAsync(["data", "search", "--query", "FIND {Cli Contact} IN NAME FIELDS RETURNING Contact(LastName)", "--target-org", SalesforceCliOrg.Alias, "--json"])).Success().GetProperty("result");
        Assert.Equal(["Cli Contact"], search.GetProperty("searchRecords").EnumerateArray().Select(r => r.GetProperty("LastName").GetString()));
    }

    [Fact]
    public async Task Data_create_get_update_and_delete_record()
    {
        string[] target = ["--sobject", "Account", "--target-org", SalesforceCliOrg.Alias, "--json"];

        // data create record: the new record's id and success.
        var created = (await org.RunAsync(["data", "create", "record", "--values", "Name='Cli Record Co' Industry=Media", .. target])).Success().GetProperty("result");
        var id = created.GetProperty("id").GetString()!;
        Assert.True(created.GetProperty("success").GetBoolean());
        Assert.StartsWith("001", id, StringComparison.Ordinal);

        // data get record by --record-id and by --where: the record's fields.
        var read = (await org.RunAsync(["data", "get", "record", "--record-id", id, .. target])).Success().GetProperty("result");
        Assert.Equal(("Cli Record Co", "Media"), (read.GetProperty("Name").GetString(), read.GetProperty("Industry").GetString()));

        // data update record by id, then by --where.
        Assert.True((await org.RunAsync(["data", "update", "record", "--record-id", id, "--values", "Industry=Energy", .. target])).Success().GetProperty("result").GetProperty("success").GetBoolean());
        Assert.True((await org.RunAsync(["data", "update", "record", "--where", "Name='Cli Record Co'", "--values", "Website=https://cli.example", .. target])).Success().GetProperty("result").GetProperty("success").GetBoolean());
        var updated = (await org.RunAsync(["data", "get", "record", "--where", "Name='Cli Record Co'", .. target])).Success().GetProperty("result");
        Assert.Equal((id, "Energy", "https://cli.example"), (updated.GetProperty("Id").GetString(), updated.GetProperty("Industry").GetString(), updated.GetProperty("Website").GetString()));

        // data delete record; the record then cannot be read (Salesforce: ENTITY_IS_DELETED for a record in the recycle bin).
        Assert.True((await org.RunAsync(["data", "delete", "record", "--record-id", id, .. target])).Success().GetProperty("result").GetProperty("success").GetBoolean());
        var gone = await org.RunAsync(["data", "get", "record", "--record-id", id, .. target]);
        Assert.Equal((1, "ENTITY_IS_DELETED"), (gone.ExitCode, gone.Json().GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Bulk_import_results_export_update_and_delete_use_Bulk_API_2_0()
    {
        string[] target = ["--target-org", SalesforceCliOrg.Alias, "--json"];
        await File.WriteAllTextAsync(Path.Combine(org.Home, "import.csv"), "Name,Industry\nCli Bulk One,Media\n\"Cli Bulk, Two\",Energy\n,Media\n", TestContext.Current.CancellationToken);

        // data import bulk: a row that fails makes the command fail, naming the job whose results tell why.
        var import = await org.RunAsync(["data", "import", "bulk", "--sobject", "Account", "--file", "import.csv", "--wait", "5", .. target]);
        var importJson = import.Json();
        Assert.Equal(1, import.ExitCode);
        var jobId = importJson.GetProperty("data").GetProperty("jobId").GetString()!;
        Assert.Equal("JobComplete", importJson.GetProperty("data").GetProperty("state").GetString());

        // data bulk results: the counts, and CSV files of the successful and the failed records.
        var results = (await org.RunAsync(["data", "bulk", "results", "--job-id", jobId, .. target])).Success().GetProperty("result");
        Assert.Equal((3, 2, 1, "insert", "Account"), (results.GetProperty("processedRecords").GetInt32(), results.GetProperty("successfulRecords").GetInt32(), results.GetProperty("failedRecords").GetInt32(), results.GetProperty("operation").GetString(), results.GetProperty("object").GetString()));
        var failed = await File.ReadAllLinesAsync(Path.Combine(org.Home, results.GetProperty("failedFilePath").GetString()!), TestContext.Current.CancellationToken);
        Assert.Contains("sf__Error", failed[0], StringComparison.Ordinal);
        Assert.Contains("REQUIRED_FIELD_MISSING", failed[1], StringComparison.Ordinal);
        Assert.Equal(3, (await File.ReadAllLinesAsync(Path.Combine(org.Home, results.GetProperty("successFilePath").GetString()!), TestContext.Current.CancellationToken)).Length);

        // data export bulk: the query's rows in a CSV file, and their count.
        var export = (await org.RunAsync(["data", "export", "bulk", "--query", "SELECT Id, Name, Industry FROM Account WHERE Name LIKE 'Cli Bulk%' ORDER BY Name", "--output-file", "export.csv", "--result-format", "csv", "--wait", "5", .. target])).Success().GetProperty("result");
        Assert.Equal(2, export.GetProperty("totalSize").GetInt32());
        var exported = await File.ReadAllLinesAsync(Path.Combine(org.Home, "export.csv"), TestContext.Current.CancellationToken);
        Assert.Equal("Id,Name,Industry", exported[0]);
        Assert.EndsWith(",\"Cli Bulk, Two\",Energy", exported[2], StringComparison.Ordinal);
        var ids = exported.Skip(1).Select(line => line.Split(',')[0]).ToList();

        // data update bulk and data delete bulk: every row processed, none failed.
        await File.WriteAllLinesAsync(Path.Combine(org.Home, "update.csv"), ["Id,Industry", .. ids.Select(i => $"{i},Retail")], TestContext.Current.CancellationToken);
        var update = (await org.RunAsync(["data", "update", "bulk", "--sobject", "Account", "--file", "update.csv", "--wait", "5", .. target])).Success().GetProperty("result");
        Assert.Equal((2, 0), (update.GetProperty("successfulRecords").GetInt32(), update.GetProperty("failedRecords").GetInt32()));
        var retail = (await org.RunAsync(["data", "query", "--query", "SELECT Industry FROM Account WHERE Name LIKE 'Cli Bulk%'", .. target])).Success().GetProperty("result");
        Assert.All(retail.GetProperty("records").EnumerateArray(), r => Assert.Equal("Retail", r.GetProperty("Industry").GetString()));

        await File.WriteAllLinesAsync(Path.Combine(org.Home, "delete.csv"), ["Id", .. ids], TestContext.Current.CancellationToken);
        var delete = (await org.RunAsync(["data", "delete", "bulk", "--sobject", "Account", "--file", "delete.csv", "--wait", "5", .. target])).Success().GetProperty("result");
        Assert.Equal(("delete", "JobComplete", 2), (delete.GetProperty("jobInfo").GetProperty("operation").GetString(), delete.GetProperty("jobInfo").GetProperty("state").GetString(), delete.GetProperty("jobInfo").GetProperty("numberRecordsProcessed").GetInt32()));
        var left = (await org.RunAsync(["data", "query", "--query", "SELECT Id FROM Account WHERE Name LIKE 'Cli Bulk%'", .. target])).Success().GetProperty("result");
        Assert.Equal(0, left.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Force_data_bulk_upsert_uses_Bulk_API_1_0()
    {
        await File.WriteAllTextAsync(Path.Combine(org.Home, "upsert1.csv"), "Name,Industry\nCli Legacy One,Media\nCli Legacy Two,Media\n", TestContext.Current.CancellationToken);

        // force data bulk upsert --wait: the closed job's JobInfo, with its batch completed and the rows processed.
        var upsert = (await org.RunAsync(["force", "data", "bulk", "upsert", "--sobject", "Account", "--file", "upsert1.csv", "--external-id", "Id", "--wait", "5", "--target-org", SalesforceCliOrg.Alias, "--json"])).Success().GetProperty("result");
        var job = Assert.Single(upsert.EnumerateArray());
        Assert.Equal(("upsert", "Account", "Closed"), (job.GetProperty("operation").GetString(), job.GetProperty("object").GetString(), job.GetProperty("state").GetString()));
        Assert.Equal(("1", "2", "0"), (job.GetProperty("numberBatchesCompleted").GetString(), job.GetProperty("numberRecordsProcessed").GetString(), job.GetProperty("numberRecordsFailed").GetString()));
        var rows = (await org.RunAsync(["data", "query", "--query", "SELECT Name FROM Account WHERE Name LIKE 'Cli Legacy%'", "--target-org", SalesforceCliOrg.Alias, "--json"])).Success().GetProperty("result");
        Assert.Equal(2, rows.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Sobject_describe_and_list_and_limits()
    {
        string[] target = ["--target-org", SalesforceCliOrg.Alias, "--json"];

        // sobject describe: the object's describe (name, key prefix, fields).
        var describe = (await org.RunAsync(["sobject", "describe", "--sobject", "Account", .. target])).Success().GetProperty("result");
        Assert.Equal(("Account", "001"), (describe.GetProperty("name").GetString(), describe.GetProperty("keyPrefix").GetString()));
        Assert.Contains(describe.GetProperty("fields").EnumerateArray(), f => f.GetProperty("name").GetString() == "Name");

        // sobject list --sobject all | custom: the org's objects, or only its custom ones.
        var all = (await org.RunAsync(["sobject", "list", "--sobject", "all", .. target])).Success().GetProperty("result").EnumerateArray().Select(n => n.GetString()).ToList();
        var custom = (await org.RunAsync(["sobject", "list", "--sobject", "custom", .. target])).Success().GetProperty("result").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains("Account", all);
        Assert.Contains("Invoice__c", all);
        Assert.Equal(["Invoice__c"], custom);

        // limits api display (org list limits): each limit's name, max and remaining.
        var limits = (await org.RunAsync(["limits", "api", "display", .. target])).Success().GetProperty("result").EnumerateArray().ToList();
        var daily = Assert.Single(limits, l => l.GetProperty("name").GetString() == "DailyApiRequests");
        Assert.Equal(5000, daily.GetProperty("max").GetInt32());
        Assert.InRange(daily.GetProperty("remaining").GetInt32(), 0, 4999);

        // org list sobject record-counts: the listed objects' (approximate) record counts, by name.
        var counts = (await org.RunAsync(["org", "list", "sobject", "record-counts", "--sobject", "Contact", "--sobject", "Invoice__c", .. target])).Success().GetProperty("result").EnumerateArray().ToList();
        Assert.Equal(["Contact", "Invoice__c"], counts.Select(c => c.GetProperty("name").GetString()));
        Assert.True(counts[0].GetProperty("count").GetInt32() >= 1);
        Assert.Equal(2, counts[1].GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Data_export_tree_and_import_tree_round_trip_a_parent_and_its_children()
    {
        string[] target = ["--target-org", SalesforceCliOrg.Alias, "--json"];

        // data export tree --plan: one file per object and a plan that names them, children pointing at their parent's reference.
        var plan = (await org.RunAsync(["data", "export", "tree", "--query", "SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name = 'Cli Account 1'", "--plan", "--output-dir", "tree", .. target])).Success().GetProperty("result");
        Assert.Equal(["Account", "Contact"], plan.EnumerateArray().Select(p => p.GetProperty("sobject").GetString()));
        var accountFile = Path.Combine(org.Home, "tree", "Account.json");
        var contactFile = Path.Combine(org.Home, "tree", "Contact.json");
        await File.WriteAllTextAsync(accountFile, (await File.ReadAllTextAsync(accountFile, TestContext.Current.CancellationToken)).Replace("Cli Account 1", "Cli Tree Copy", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(contactFile, (await File.ReadAllTextAsync(contactFile, TestContext.Current.CancellationToken)).Replace("Cli Contact", "Tree Kid", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        // data import tree --plan: the reference ids with the ids of the records created.
        var planFile = Directory.GetFiles(Path.Combine(org.Home, "tree"), "*plan.json").Single();
        var imported = (await org.RunAsync(["data", "import", "tree", "--plan", planFile, .. target])).Success().GetProperty("result").EnumerateArray().ToList();
        Assert.Equal([("Account", "001"), ("Contact", "003")], imported.Select(r => (r.GetProperty("type").GetString(), r.GetProperty("id").GetString()![..3])));
        var copy = (await org.RunAsync(["data", "query", "--query", "SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name = 'Cli Tree Copy'", .. target])).Success().GetProperty("result");
        Assert.Equal("Tree Kid", copy.GetProperty("records")[0].GetProperty("Contacts").GetProperty("records")[0].GetProperty("LastName").GetString());
    }
}
