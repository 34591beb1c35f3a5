using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Composite;

public sealed class CompositeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Composite_resolves_references_between_subrequests_and_counts_as_one_call()
    {
        await using var org = new EmulatedOrg();

        var response = await Post(org, "/services/data/v66.0/composite", new
        {
            allOrNone = true,
            compositeRequest = new object[]
            {
                new { method = "POST", url = "/services/data/v66.0/sobjects/Account", referenceId = "acct", body = new { Name = "Acme" } },
                new { method = "POST", url = "/services/data/v66.0/sobjects/Contact", referenceId = "person", body = new { LastName = "Lovelace", AccountId = "@{acct.id}" } },
                new { method = "GET", url = "/services/data/v66.0/sobjects/Contact/@{person.id}?fields=AccountId,LastName", referenceId = "read" },
            },
        });

        var results = response.GetProperty("compositeResponse").EnumerateArray().ToList();
        Assert.Equal([201, 201, 200], results.Select(r => r.GetProperty("httpStatusCode").GetInt32()));
        var accountId = results[0].GetProperty("body").GetProperty("id").GetString();
        Assert.Equal($"/services/data/v66.0/sobjects/Account/{accountId}", results[0].GetProperty("httpHeaders").GetProperty("Location").GetString());
        Assert.Equal(accountId, results[2].GetProperty("body").GetProperty("AccountId").GetString());
        Assert.Equal(1, org.Emulator.Usage.Used);
    }

    [Fact]
    public async Task AllOrNone_rolls_everything_back_and_marks_the_others_PROCESSING_HALTED()
    {
        await using var org = new EmulatedOrg();

        var response = await Post(org, "/services/data/v66.0/composite", new
        {
            allOrNone = true,
            compositeRequest = new object[]
            {
                new { method = "POST", url = "/services/data/v66.0/sobjects/Account", referenceId = "acct", body = new { Name = "Rolled back" } },
                new { method = "POST", url = "/services/data/v66.0/sobjects/Contact", referenceId = "bad", body = new { AccountId = "@{acct.id}" } },
                new { method = "POST", url = "/services/data/v66.0/sobjects/Account", referenceId = "never", body = new { Name = "Never" } },
            },
        });

        var results = response.GetProperty("compositeResponse").EnumerateArray().ToList();
        Assert.All(results, r => Assert.Equal(400, r.GetProperty("httpStatusCode").GetInt32()));
        Assert.Equal(["PROCESSING_HALTED", "REQUIRED_FIELD_MISSING", "PROCESSING_HALTED"], results.Select(r => r.GetProperty("body")[0].GetProperty("errorCode").GetString()));
        Assert.Empty(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task Without_allOrNone_only_the_subrequests_that_depend_on_a_failure_are_halted()
    {
        await using var org = new EmulatedOrg();

        var response = await Post(org, "/services/data/v66.0/composite", new
        {
            compositeRequest = new object[]
            {
                new { method = "POST", url = "/services/data/v66.0/sobjects/Account", referenceId = "broken", body = new { Industry = "Media" } },
                new { method = "POST", url = "/services/data/v66.0/sobjects/Contact", referenceId = "dependant", body = new { LastName = "X", AccountId = "@{broken.id}" } },
                new { method = "POST", url = "/services/data/v66.0/sobjects/Account", referenceId = "independent", body = new { Name = "Kept" } },
            },
        });

        var results = response.GetProperty("compositeResponse").EnumerateArray().ToList();
        Assert.Equal([400, 400, 201], results.Select(r => r.GetProperty("httpStatusCode").GetInt32()));
        Assert.Equal("PROCESSING_HALTED", results[1].GetProperty("body")[0].GetProperty("errorCode").GetString());
        Assert.Contains("broken", results[1].GetProperty("body")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task Batch_runs_each_subrequest_on_its_own_and_halts_on_error_when_asked()
    {
        await using var org = new EmulatedOrg();

        var response = await Post(org, "/services/data/v66.0/composite/batch", new
        {
            haltOnError = true,
            batchRequests = new object[]
            {
                new { method = "POST", url = "v66.0/sobjects/Account", richInput = new { Name = "First" } },
                new { method = "POST", url = "v66.0/sobjects/Account", richInput = new { Phone = "1" } },
                new { method = "GET", url = "v66.0/limits" },
            },
        });

        Assert.True(response.GetProperty("hasErrors").GetBoolean());
        var results = response.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([201, 400, 412], results.Select(r => r.GetProperty("statusCode").GetInt32()));
        Assert.Equal("BATCH_PROCESSING_HALTED", results[2].GetProperty("result")[0].GetProperty("errorCode").GetString());
        Assert.Single(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task Tree_creates_parents_then_children_or_nothing()
    {
        await using var org = new EmulatedOrg();
        object Tree(string email) => new
        {
            records = new object[]
            {
                new Dictionary<string, object>
                {
                    ["attributes"] = new { type = "Account", referenceId = "ref1" },
                    ["Name"] = "Tree Co",
                    ["Contacts"] = new { records = new object[] { new { attributes = new { type = "Contact", referenceId = "ref2" }, LastName = "Smith", Email = email } } },
                },
            },
        };

        using var failed = await org.Http.PostAsJsonAsync("/services/data/v66.0/composite/tree/Account", Tree("123"), Ct);
        var failure = JsonDocument.Parse(await failed.Content.ReadAsStringAsync(Ct)).RootElement;
        using var created = await org.Http.PostAsJsonAsync("/services/data/v66.0/composite/tree/Account", Tree("smith@example.com"), Ct);
        var success = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        Assert.True(failure.GetProperty("hasErrors").GetBoolean());
        var error = Assert.Single(failure.GetProperty("results").EnumerateArray());
        Assert.Equal(("ref2", "INVALID_EMAIL_ADDRESS"), (error.GetProperty("referenceId").GetString(), error.GetProperty("errors")[0].GetProperty("statusCode").GetString()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ids = success.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("referenceId").GetString()!, r => r.GetProperty("id").GetString()!);
        Assert.Equal(ids["ref1"], org.Emulator.Org.Find(ids["ref2"])!["AccountId"]);
        Assert.Single(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task Collections_create_update_upsert_retrieve_and_delete_with_per_record_results()
    {
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Ext__c", FieldType.String) { ExternalId = true }];
        await using var org = new EmulatedOrg(options);

        var created = await Send(org, HttpMethod.Post, "/services/data/v66.0/composite/sobjects", new
        {
            records = new object[] { new { attributes = new { type = "Account" }, Name = "A", Ext__c = "A-1" }, new { attributes = new { type = "Account" }, Industry = "x" }, new { attributes = new { type = "Contact" }, LastName = "C" } },
        });
        var ids = created.EnumerateArray().Select(r => r.TryGetProperty("id", out var id) ? id.GetString() : null).ToList();
        var updated = await Send(org, HttpMethod.Patch, "/services/data/v66.0/composite/sobjects", new
        {
            records = new object[] { new { attributes = new { type = "Account" }, Id = ids[0], Industry = "Energy" } },
        });
        var upserted = await Send(org, HttpMethod.Patch, "/services/data/v66.0/composite/sobjects/Account/Ext__c", new
        {
            records = new object[] { new { attributes = new { type = "Account" }, Ext__c = "A-1", Phone = "555" }, new { attributes = new { type = "Account" }, Ext__c = "B-2", Name = "B" } },
        });
        var retrieved = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri($"/services/data/v66.0/composite/sobjects/Account?ids={ids[0]},001Hs00000000ZZAAA&fields=Name,Industry,Phone", UriKind.Relative), Ct)).RootElement;
        var deleted = JsonDocument.Parse(await (await org.Http.DeleteAsync(new Uri($"/services/data/v66.0/composite/sobjects?ids={ids[0]},{ids[2]}", UriKind.Relative), Ct)).Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal([true, false, true], created.EnumerateArray().Select(r => r.GetProperty("success").GetBoolean()));
        Assert.Equal("REQUIRED_FIELD_MISSING", created[1].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.True(updated[0].GetProperty("success").GetBoolean());
        Assert.Equal([false, true], upserted.EnumerateArray().Select(r => r.GetProperty("created").GetBoolean()));
        Assert.Equal(("Energy", "555"), (retrieved[0].GetProperty("Industry").GetString(), retrieved[0].GetProperty("Phone").GetString()));
        Assert.Equal(JsonValueKind.Null, retrieved[1].ValueKind);
        Assert.All(deleted.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
    }

    [Fact]
    public async Task Collections_upsert_of_an_external_id_shared_by_several_records_fails_that_row_with_DUPLICATE_EXTERNAL_ID()
    {
        // SOAP API StatusCode DUPLICATE_EXTERNAL_ID: "A user-specified external ID matches more than one record during
        // an upsert"; the message names the field's label ("<label>: more than one record found for external id field: [ids]").
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Ext__c", FieldType.String) { ExternalId = true, Label = "Legacy Key" }];
        await using var org = new EmulatedOrg(options);
        var accounts = org.Emulator.Org.Schema.Find("Account")!;
        var one = org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = "One", ["Ext__c"] = "K" });
        var two = org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = "Two", ["Ext__c"] = "K" });

        var upserted = await Send(org, HttpMethod.Patch, "/services/data/v66.0/composite/sobjects/Account/Ext__c", new
        {
            records = new object[] { new { attributes = new { type = "Account" }, Ext__c = "K", Phone = "1" }, new { attributes = new { type = "Account" }, Ext__c = "N", Name = "New" } },
        });

        var error = upserted[0].GetProperty("errors")[0];
        Assert.Equal([false, true], upserted.EnumerateArray().Select(r => r.GetProperty("success").GetBoolean()));
        Assert.Equal("DUPLICATE_EXTERNAL_ID", error.GetProperty("statusCode").GetString());
        Assert.StartsWith("Legacy Key: more than one record found for external id field: [", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(one, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(two, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(org.Emulator.Org.Find(one)!["Phone"]);
    }

    [Fact]
    public async Task Collections_upsert_with_allOrNone_gives_every_UpsertResult_created_and_no_id_on_failed_or_rolled_back_rows()
    {
        // RESTMD collections upsert returns UpsertResults (id, success, errors, created); with allOrNone a failure rolls
        // back the rest (ALL_OR_NONE_OPERATION_ROLLED_BACK), so no row has a record id, and none was created.
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Ext__c", FieldType.String) { ExternalId = true }];
        await using var org = new EmulatedOrg(options);
        var accounts = org.Emulator.Org.Schema.Find("Account")!;
        org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = "Existing", ["Ext__c"] = "E" });

        var rolledBack = await Send(org, HttpMethod.Patch, "/services/data/v66.0/composite/sobjects/Account/Ext__c", new
        {
            allOrNone = true,
            records = new object[]
            {
                new { attributes = new { type = "Account" }, Ext__c = "E", Phone = "1" },
                new { attributes = new { type = "Account" }, Ext__c = "N", Name = "New" },
                new { attributes = new { type = "Account" }, Ext__c = "X", Name = new string('x', 300) },
            },
        });
        var partial = await Send(org, HttpMethod.Patch, "/services/data/v66.0/composite/sobjects/Account/Ext__c", new
        {
            records = new object[] { new { attributes = new { type = "Account" }, Ext__c = "N", Name = "New" }, new { attributes = new { type = "Account" }, Ext__c = "X", Name = new string('x', 300) } },
        });

        Assert.All(rolledBack.EnumerateArray(), r => Assert.Equal((false, false, JsonValueKind.Null), (r.GetProperty("success").GetBoolean(), r.GetProperty("created").GetBoolean(), r.GetProperty("id").ValueKind)));
        Assert.Equal(["ALL_OR_NONE_OPERATION_ROLLED_BACK", "ALL_OR_NONE_OPERATION_ROLLED_BACK", "STRING_TOO_LONG"], rolledBack.EnumerateArray().Select(r => r.GetProperty("errors")[0].GetProperty("statusCode").GetString()));
        Assert.Single(org.Emulator.Org.Records(accounts), a => (string?)a["Name"] == "Existing" && a["Phone"] is null);
        Assert.Equal((true, true), (partial[0].GetProperty("success").GetBoolean(), partial[0].GetProperty("created").GetBoolean()));
        Assert.StartsWith("001", partial[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal((false, false, JsonValueKind.Null), (partial[1].GetProperty("success").GetBoolean(), partial[1].GetProperty("created").GetBoolean(), partial[1].GetProperty("id").ValueKind));
    }

    [Fact]
    public async Task Collections_with_allOrNone_roll_back_and_say_so_for_every_record()
    {
        await using var org = new EmulatedOrg();

        var results = await Send(org, HttpMethod.Post, "/services/data/v66.0/composite/sobjects", new
        {
            allOrNone = true,
            records = new object[] { new { attributes = new { type = "Account" }, Name = "Good" }, new { attributes = new { type = "Account" }, Name = new string('x', 300) } },
        });

        Assert.All(results.EnumerateArray(), r => Assert.False(r.GetProperty("success").GetBoolean()));

        // The rolled-back create left no record, so its SaveResult has no id (RESTMD collections create example).
        Assert.All(results.EnumerateArray(), r => Assert.False(r.TryGetProperty("id", out _)));
        Assert.Equal(["ALL_OR_NONE_OPERATION_ROLLED_BACK", "STRING_TOO_LONG"], results.EnumerateArray().Select(r => r.GetProperty("errors")[0].GetProperty("statusCode").GetString()));
        Assert.Empty(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task Graph_commits_each_graph_as_a_whole()
    {
        await using var org = new EmulatedOrg();

        var response = await Post(org, "/services/data/v66.0/composite/graph", new
        {
            graphs = new object[]
            {
                new { graphId = "ok", compositeRequest = new object[] { new { method = "POST", url = "/services/data/v66.0/sobjects/Account", referenceId = "a", body = new { Name = "Graph A" } } } },
                new
                {
                    graphId = "bad",
                    compositeRequest = new object[]
                    {
                        new { method = "POST", url = "/services/data/v66.0/sobjects/Account", referenceId = "b", body = new { Name = "Graph B" } },
                        new { method = "POST", url = "/services/data/v66.0/sobjects/Opportunity", referenceId = "c", body = new { Name = "No stage", AccountId = "@{b.id}" } },
                    },
                },
            },
        });

        var graphs = response.GetProperty("graphs").EnumerateArray().ToList();
        Assert.Equal([true, false], graphs.Select(g => g.GetProperty("isSuccessful").GetBoolean()));
        Assert.Equal(["Graph A"], org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!).Select(a => (string)a["Name"]!));
    }

    private static async Task<JsonElement> Post(EmulatedOrg org, string path, object body) => await Send(org, HttpMethod.Post, path, body);

    private static async Task<JsonElement> Send(EmulatedOrg org, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        using var response = await org.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }
}
