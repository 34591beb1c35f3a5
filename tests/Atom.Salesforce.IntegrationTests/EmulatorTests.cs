using System.Diagnostics;
using System.Net;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.Hosting;
using Atom.Salesforce.Emulator.OAuth;
using Atom.Salesforce.Emulator.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>The SDK against the emulator served by Kestrel on a real loopback socket.</summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private const string SoapUsername = "soap@emulator.atom";
    private const string SoapPassword = "pa55word";
    private const string SoapSecurityToken = "Tok3nTok3nTok3nTok3n";

    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;
    private ServiceProvider _provider = null!;
    private SalesforceClient _sf = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = new SalesforceEmulatorOptions { DailyApiLimit = 1000 };
        options.CustomFields["Account"] = [new FieldDefinition("Ext_Id__c", FieldType.String) { ExternalId = true }];
        options.OAuth.Users.Add(new EmulatorUser(SoapUsername) { Password = SoapPassword, SecurityToken = SoapSecurityToken });
        _emulator = new SalesforceEmulator(options);
        _server = await _emulator.ListenAsync(cancellationToken: Ct);
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "emulator-client";
            o.LoginUrl = _server.BaseAddress;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
        });
        _provider = services.BuildServiceProvider();
        await _provider.GetRequiredService<ITokenStore>().SaveAsync("user-1", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, _emulator.InstanceUrl, DateTimeOffset.UtcNow), Ct);
        _sf = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("user-1");
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Records_round_trip_over_a_real_socket()
    {
        var id = await _sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme", ["NumberOfEmployees"] = 120 }, Ct);
        var upserted = await _sf.SObjects.UpsertAsync("Account", "Ext_Id__c", "EXT-1", new SObject("Account") { ["Name"] = "Globex" }, Ct);
        await _sf.SObjects.UpdateAsync("Account", id, new SObject("Account") { ["Website"] = "https://acme.example" }, Ct);
        var read = await _sf.SObjects.GetAsync<SObject>("Account", id, ["Name", "Website", "NumberOfEmployees"], Ct);
        var byExternalId = await _sf.SObjects.GetByExternalIdAsync<SObject>("Account", "Ext_Id__c", "EXT-1", cancellationToken: Ct);
        await _sf.SObjects.DeleteAsync("Account", id, Ct);
        var deleted = await _sf.SObjects.GetDeletedAsync("Account", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5), Ct);

        Assert.Equal(("Acme", "https://acme.example", 120), (read.Get<string>("Name"), read.Get<string>("Website"), read.Get<int>("NumberOfEmployees")));
        Assert.True(upserted.Created);
        Assert.Equal(upserted.Id, byExternalId.Id);
        Assert.Contains(deleted.Records, d => d.Id == id);
        Assert.Equal(_emulator.InstanceUrl.Port, _server.BaseAddress.Port);
    }

    [Fact]
    public async Task Many_rows_are_saved_by_the_cheapest_route_over_a_real_socket()
    {
        var before = _emulator.Usage.Used;
        var viaCollections = await _sf.SObjects.SaveAsync("Account", SaveOperation.Upsert,
            Enumerable.Range(0, 450).Select(i => new SObject("Account") { ["Name"] = $"Row {i}", ["Ext_Id__c"] = $"R-{i}" }),
            new SaveOptions { ExternalIdField = "Ext_Id__c" }, Ct);
        var collectionCalls = _emulator.Usage.Used - before;
        var viaBulk = await _sf.SObjects.SaveAsync("Account", SaveOperation.Update,
            viaCollections.Select(r => new SObject("Account") { Id = r.Id, ["Industry"] = "Energy" }),
            new SaveOptions { BulkThreshold = 100, Bulk = new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(5) } }, Ct);
        var request = new CompositeRequest { AllOrNone = true };
        var account = request.Create("Account", new SObject("Account") { ["Name"] = "Composite parent" });
        var contact = request.Create("Contact", new SObject("Contact") { ["LastName"] = "Child", ["AccountId"] = account.IdReference });
        var composite = await _sf.Composite.SendAsync(request, Ct);

        Assert.Equal(3, collectionCalls);
        Assert.All(viaCollections, (r, i) => Assert.True(r.Success && r.Created == true && r.Index == i));
        Assert.Equal(450, viaBulk.Count(r => r.Success));
        Assert.Equal("Energy", (await _sf.SObjects.GetAsync<SObject>("Account", viaCollections[449].Id!, ["Industry"], Ct)).Get<string>("Industry"));
        Assert.False(composite.HasErrors);
        Assert.NotNull(composite[contact].Id);
    }

    [Fact]
    public async Task Describe_answers_304_when_nothing_changed_since_and_errors_keep_their_codes()
    {
        var describe = await _sf.SObjects.DescribeAsync("Opportunity", cancellationToken: Ct);
        var unchanged = await _sf.SObjects.DescribeAsync("Opportunity", DateTimeOffset.UtcNow.AddMinutes(1), Ct);
        var missing = await Assert.ThrowsAsync<SalesforceApiException>(() => _sf.SObjects.GetAsync<SObject>("Account", "001Hs00000000ZZZZZ", cancellationToken: Ct));

        Assert.Contains(describe!.Fields, f => f.Name == "StageName" && f.PicklistValues.Any(p => p.Value == "Closed Won"));
        Assert.Null(unchanged);
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (missing.Status, missing.ErrorCode));
    }

    [Fact]
    public async Task Versions_limits_global_describe_updated_ids_and_api_usage_reach_the_SDK()
    {
        var versions = await _sf.GetApiVersionsAsync(Ct);
        var id = await _sf.SObjects.CreateAsync("Lead", new SObject("Lead") { ["LastName"] = "Hopper", ["Company"] = "Navy" }, Ct);
        var limits = await _sf.Limits.GetAsync(Ct);
        var global = await _sf.SObjects.DescribeGlobalAsync(cancellationToken: Ct);
        var updated = await _sf.SObjects.GetUpdatedAsync("Lead", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5), Ct);

        Assert.Equal("66.0", versions[^1].Version);
        Assert.Equal(1000, limits["DailyApiRequests"].Max);
        Assert.Contains(global!.SObjects, s => s.Name == "OpportunityHistory" && s.KeyPrefix == "008");
        Assert.Contains(id, updated.Ids);
        Assert.NotNull(_sf.ApiUsage);
        Assert.Equal(1000, _sf.ApiUsage!.Value.Max);
        Assert.True(_sf.ApiUsage.Value.Used >= 4);
    }

    [Fact]
    public async Task Queries_page_search_and_aggregate_through_the_SDK()
    {
        for (var i = 0; i < 30; i++)
        {
            await _sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = $"Paged {i:D2}", ["Industry"] = i % 2 == 0 ? "Media" : "Energy" }, Ct);
        }

        var names = new List<string>();
        await foreach (var page in _sf.Query.QueryAsync<SObject>("SELECT Name FROM Account WHERE Name LIKE 'Paged%' ORDER BY Name", new Client.Query.QueryOptions { BatchSize = 200 }, cancellationToken: Ct).AsPages())
        {
            names.AddRange(page.Records.Select(r => r.Get<string>("Name")!));
        }

        var groups = new List<SObject>();
        await foreach (var group in _sf.Query.QueryAsync<SObject>("SELECT Industry, COUNT(Id) n FROM Account WHERE Name LIKE 'Paged%' GROUP BY Industry ORDER BY Industry", cancellationToken: Ct))
        {
            groups.Add(group);
        }

        var found = await _sf.Query.SearchAsync<SObject>("FIND {Paged} IN NAME FIELDS RETURNING Account(Name WHERE Industry = 'Media')", Ct);
        var malformed = await Assert.ThrowsAsync<SalesforceApiException>(async () =>
        {
            await foreach (var unused in _sf.Query.QueryAsync<SObject>("SELECT Nope FROM Account", cancellationToken: Ct))
            {
            }
        });

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"Paged {i:D2}"), names);
        Assert.Equal([("Energy", 15), ("Media", 15)], groups.Select(g => (g.Get<string>("Industry"), g.Get<int>("n"))));
        Assert.Equal(15, found.Count);
        Assert.Equal("INVALID_FIELD", malformed.ErrorCode);
    }

    [Fact]
    public async Task A_dropped_connection_and_a_503_on_a_read_are_retried_by_the_SDK()
    {
        var id = await _sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Initech" }, Ct);
        _emulator.InjectFault(new EmulatorFault(FaultKind.DropConnection, $"/services/data/*/sobjects/Account/{id}") { Method = "GET" });
        _emulator.InjectFault(new EmulatorFault(FaultKind.Unavailable, $"/services/data/*/sobjects/Account/{id}") { Method = "GET" });

        var account = await _sf.SObjects.GetAsync<SObject>("Account", id, ["Name"], Ct);

        Assert.Equal("Initech", account.Get<string>("Name"));
    }

    [Fact]
    public async Task Jsforce_list_views_layouts_quick_actions_and_SOAP_merge_work_against_it_unchanged()
    {
        var seen = await RunJsforceAsync("extras.mjs");

        // jsforce's SObject#listviews() and ListView#results() / #describe() (REST API guide: List Views, List View
        // Results, List View Describe): the views with their ids, the records in the columns' order, the view's SOQL.
        var views = seen.GetProperty("listviews");
        Assert.True(views.GetProperty("size").GetInt32() >= 1);
        Assert.StartsWith("00B", views.GetProperty("id").GetString(), StringComparison.Ordinal);
        var names = views.GetProperty("names").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains("Extras Master", names);
        Assert.Contains("Extras Victim", names);
        Assert.StartsWith("SELECT ", views.GetProperty("query").GetString(), StringComparison.Ordinal);

        // SObject#layouts() (REST API guide, Describe Layouts): the layout of the master record type, whose detail and
        // edit sections hold the account's fields; SObject#compactLayouts(): the compact layouts and their record type
        // mappings.
        var layouts = seen.GetProperty("layouts");
        Assert.True(layouts.GetProperty("count").GetInt32() >= 1);
        Assert.Contains("012000000000000AAA", layouts.GetProperty("recordTypeIds").EnumerateArray().Select(i => i.GetString()));
        Assert.Contains("Name", layouts.GetProperty("detailFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("Name", layouts.GetProperty("editFields").EnumerateArray().Select(f => f.GetString()));
        Assert.True(layouts.GetProperty("compactCount").GetInt32() >= 1);
        Assert.Contains("Name", layouts.GetProperty("compactFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("012000000000000AAA", layouts.GetProperty("compactMappings").EnumerateArray().Select(i => i.GetString()));

        // conn.quickActions() / SObject#quickActions() (REST API guide, Quick Actions, sObject Quick Actions: an object's
        // list holds the global actions too); QuickAction#describe(): a logged call creates a Task; #defaultValues(): a
        // Task record's default values.
        var actions = seen.GetProperty("quickActions");
        var global = actions.GetProperty("global").EnumerateArray().Select(a => a.GetString()).ToHashSet();
        Assert.Contains("LogACall", global);
        Assert.Subset(actions.GetProperty("account").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToHashSet(), global);
        Assert.Contains(actions.GetProperty("account").EnumerateArray(), a => a.GetProperty("name").GetString() == "LogACall" && a.GetProperty("type").GetString() == "LogACall");
        Assert.Equal(("LogACall", "LogACall", "Task"), (actions.GetProperty("describe").GetProperty("name").GetString(), actions.GetProperty("describe").GetProperty("type").GetString(), actions.GetProperty("describe").GetProperty("targetSobjectType").GetString()));
        Assert.Equal("Task", actions.GetProperty("defaultsType").GetString());

        // conn.soap.merge (SOAP API guide, merge() and MergeResult): the master's id, the merged ids, the reparented
        // contact; the merged account is deleted with MasterRecordId pointing to the master.
        var merge = seen.GetProperty("merge");
        var master = merge.GetProperty("id").GetString();
        Assert.True(merge.GetProperty("success").GetBoolean());
        Assert.Single(merge.GetProperty("mergedRecordIds").EnumerateArray());
        Assert.Single(merge.GetProperty("updatedRelatedIds").EnumerateArray());
        Assert.Equal(master, seen.GetProperty("contactAccountId").GetString());
        Assert.Equal(master, seen.GetProperty("victimMaster").GetProperty("MasterRecordId").GetString());
        Assert.True(seen.GetProperty("victimMaster").GetProperty("IsDeleted").GetBoolean());
    }

    /// <summary>
    /// Runs a jsforce script of tests/clients/jsforce against the emulator's server (its URL and the default token first,
    /// then <paramref name="args"/>) and returns the JSON it prints of what it saw.
    /// </summary>
    private async Task<System.Text.Json.JsonElement> RunJsforceAsync(string script, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("node", [script, _server.BaseAddress.ToString().TrimEnd('/'), SalesforceEmulatorOptions.DefaultAccessToken, .. args])
        {
            WorkingDirectory = ClientChecks.Find("jsforce"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.True(process.ExitCode == 0, $"jsforce {script} failed: {await errors}");
        return System.Text.Json.JsonDocument.Parse(await output).RootElement;
    }

    [Fact]
    public async Task Jsforce_works_against_it_unchanged()
    {
        var seen = await RunJsforceAsync("check.mjs", SoapUsername, SoapPassword + SoapSecurityToken);
        Assert.Contains("Opportunity", seen.GetProperty("objects").EnumerateArray().Select(o => o.GetString()));
        Assert.Contains("Closed Won", seen.GetProperty("stages").EnumerateArray().Select(o => o.GetString()));
        var id = seen.GetProperty("created").GetProperty("id").GetString();
        Assert.True(seen.GetProperty("created").GetProperty("success").GetBoolean());
        Assert.Equal(id, seen.GetProperty("retrieved").GetProperty("Id").GetString());
        Assert.Equal("jsforce Co", seen.GetProperty("retrieved").GetProperty("Name").GetString());
        Assert.Equal("Energy", seen.GetProperty("updatedIndustry").GetString());
        Assert.Equal("REQUIRED_FIELD_MISSING", seen.GetProperty("missingName").GetProperty("errorCode").GetString());
        Assert.Equal(1000, seen.GetProperty("dailyApiMax").GetInt32());
        Assert.Equal("ENTITY_IS_DELETED", seen.GetProperty("afterDelete").GetString());
        var query = seen.GetProperty("query");
        Assert.Equal((1, true), (query.GetProperty("totalSize").GetInt32(), query.GetProperty("done").GetBoolean()));
        Assert.Equal(("Energy", "Account"), (query.GetProperty("records")[0].GetProperty("Industry").GetString(), query.GetProperty("records")[0].GetProperty("type").GetString()));
        Assert.Equal(["jsforce Co"], seen.GetProperty("find").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(2200, seen.GetProperty("collectionCreated").GetInt32());
        var paged = seen.GetProperty("paged");
        Assert.Equal((2200, 2200, "jsforce Co"), (paged.GetProperty("totalSize").GetInt32(), paged.GetProperty("fetched").GetInt32(), paged.GetProperty("accountName").GetString()));
        Assert.Equal(2200, seen.GetProperty("grouped")[0].GetProperty("cnt").GetInt32());
        Assert.Equal(["jsforce Co"], seen.GetProperty("search").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(2, seen.GetProperty("bulkIngest").GetProperty("successful").GetInt32());
        // Salesforce's text, as jsforce's own end-to-end test against a real org asserts it (jsforce test/bulk2.test.ts).
        Assert.Equal(["REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"], seen.GetProperty("bulkIngest").GetProperty("failed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((2200, "Bulk 0000"), (seen.GetProperty("bulkQuery").GetProperty("rows").GetInt32(), seen.GetProperty("bulkQuery").GetProperty("first").GetString()));

        // jsforce's QueryExplainResult: plans with sobjectType, leadingOperationType and a numeric relativeCost.
        var plan = Assert.Single(seen.GetProperty("explain").EnumerateArray());
        Assert.Equal(("Account", "number"), (plan.GetProperty("sobjectType").GetString(), plan.GetProperty("relativeCost").GetString()));
        Assert.False(string.IsNullOrEmpty(plan.GetProperty("leadingOperationType").GetString()));
        Assert.StartsWith("00D", seen.GetProperty("organization").GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.False(seen.GetProperty("organization").GetProperty("IsSandbox").GetBoolean());

        // jsforce's documented conn.login(username, password) (SOAP login without OAuth client credentials): it resolves
        // to userInfo with id and organizationId and leaves conn.accessToken (a 00D…!… session id) and conn.instanceUrl set.
        var login = seen.GetProperty("soapLogin");
        var instance = _server.BaseAddress.ToString().TrimEnd('/');
        Assert.StartsWith("005", login.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("00DHs0000000001MAA", login.GetProperty("organizationId").GetString());
        Assert.Equal($"{instance}/id/00DHs0000000001MAA/{login.GetProperty("id").GetString()}", login.GetProperty("url").GetString());
        Assert.Matches("^00DHs0000000001![^ ]+$", login.GetProperty("accessToken").GetString());
        Assert.Equal(instance, login.GetProperty("instanceUrl").GetString()?.TrimEnd('/'));
        Assert.True(login.GetProperty("queried").GetInt32() >= 2);
        var info = login.GetProperty("getUserInfo");
        Assert.Equal((login.GetProperty("id").GetString(), SoapUsername, "00DHs0000000001MAA"), (info.GetProperty("userId").GetString(), info.GetProperty("userName").GetString(), info.GetProperty("organizationId").GetString()));
        Assert.Equal("INVALID_SESSION_ID", login.GetProperty("afterLogout").GetString());
        Assert.Equal("INVALID_LOGIN: Invalid username, password, security token; or user locked out.", login.GetProperty("wrongPassword").GetString());
    }

    [Fact]
    public async Task Jsforce_bulk_api_1_0_loads_and_queries_against_it_unchanged()
    {
        var seen = await RunJsforceAsync("bulk1.mjs");

        // jsforce's Bulk.load (https://jsforce.github.io/document/#bulk-api): one result per input record, in order, with
        // id, success and errors; Salesforce's error text as in the Bulk API results (see the Bulk 2.0 check above).
        var insert = seen.GetProperty("insert").EnumerateArray().ToList();
        Assert.Equal([(true, true), (true, true), (false, false)], insert.Select(r => (r.GetProperty("id").GetBoolean(), r.GetProperty("success").GetBoolean())));
        Assert.Equal(["REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"], insert[2].GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([true, true], seen.GetProperty("update").EnumerateArray().Select(r => r.GetBoolean()));

        // Bulk.query: the rows of the query, read from the batch's result.
        Assert.Equal([("Bulk1 One", "Retail"), ("Bulk1, Two", "Retail")], seen.GetProperty("query").EnumerateArray().Select(r => (r.GetProperty("Name").GetString(), r.GetProperty("Industry").GetString())));
        Assert.Equal([true, true], seen.GetProperty("delete").EnumerateArray().Select(r => r.GetBoolean()));

        // Job#check (JobInfo) and Job#close.
        var info = seen.GetProperty("jobInfo");
        Assert.Equal(("Open", "delete", "Account", "1"), (info.GetProperty("state").GetString(), info.GetProperty("operation").GetString(), info.GetProperty("object").GetString(), info.GetProperty("numberBatchesTotal").GetString()));
        Assert.Equal("Closed", seen.GetProperty("closedState").GetString());
    }
}
