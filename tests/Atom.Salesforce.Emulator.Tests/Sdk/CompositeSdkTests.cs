using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Sdk;

/// <summary>The SDK's composite family against the emulated org, in-process.</summary>
public sealed class CompositeSdkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SalesforceEmulatorOptions WithExternalId()
    {
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Ext__c", FieldType.String) { ExternalId = true }];
        return options;
    }

    public sealed class Account
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Ext__c { get; set; }
        public string? Industry { get; set; }
    }

    [Fact]
    public async Task Collections_create_update_upsert_retrieve_and_delete_450_records_in_few_calls()
    {
        await using var org = new EmulatedOrg(WithExternalId());
        var collections = org.Client.Composite.Collections;
        var rows = Enumerable.Range(0, 450).Select(i => new Account { Name = $"Acme {i}", Ext__c = $"X-{i}" }).ToList();

        var created = await collections.CreateAsync("Account", rows, cancellationToken: Ct);
        Assert.Equal(3, org.Emulator.Usage.Used);
        Assert.All(created, (r, i) => Assert.True(r.Success && r.Index == i && r.Id is not null));

        var updates = created.Select(r => new Account { Id = r.Id, Industry = "Energy" }).ToList();
        var updated = await collections.UpdateAsync("Account", updates, cancellationToken: Ct);
        Assert.All(updated, r => Assert.True(r.Success));

        var upserts = new[] { new Account { Ext__c = "X-0", Name = "Renamed" }, new Account { Ext__c = "X-new", Name = "New" } };
        var upserted = await collections.UpsertAsync("Account", "Ext__c", upserts, cancellationToken: Ct);
        Assert.Equal([false, true], upserted.Select(r => r.Created!.Value));
        Assert.Equal(created[0].Id, upserted[0].Id);

        var read = await collections.RetrieveAsync<Account>("Account", [created[0].Id!, created[449].Id!], ["Name", "Industry"], Ct);
        Assert.Equal("Renamed", read[0]!.Name);
        Assert.Equal("Energy", read[1]!.Industry);

        var deleted = await collections.DeleteAsync(created.Select(r => r.Id!), cancellationToken: Ct);
        Assert.All(deleted, r => Assert.True(r.Success));
        Assert.Single(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
        Assert.Equal(3 + 3 + 1 + 1 + 3, org.Emulator.Usage.Used);
    }

    [Fact]
    public async Task Collections_report_partial_failures_and_all_or_none_rollbacks_in_input_order()
    {
        await using var org = new EmulatedOrg();
        var rows = new[] { new Account { Name = "Good" }, new Account { Industry = "No name" }, new Account { Name = "Also good" } };

        var partial = await org.Client.Composite.Collections.CreateAsync("Account", rows, cancellationToken: Ct);
        var atomic = await org.Client.Composite.Collections.CreateAsync("Account", rows, new CollectionOptions { AllOrNone = true }, cancellationToken: Ct);

        Assert.Equal([true, false, true], partial.Select(r => r.Success));
        Assert.Equal("REQUIRED_FIELD_MISSING", partial[1].Errors[0].ErrorCode);
        Assert.All(atomic, r => Assert.False(r.Success));
        Assert.Equal(SalesforceError.Codes.AllOrNoneOperationRolledBack, atomic[0].Errors[0].ErrorCode);
        Assert.Equal("REQUIRED_FIELD_MISSING", atomic[1].Errors[0].ErrorCode);
        Assert.Equal(2, org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!).Count());
    }

    [Fact]
    public async Task Composite_resolves_references_and_reads_back_the_results()
    {
        await using var org = new EmulatedOrg();
        var request = new CompositeRequest { AllOrNone = true };
        var account = request.Create("Account", new Account { Name = "Acme" });
        var contact = request.Create("Contact", new SObject("Contact") { ["LastName"] = "Lovelace", ["AccountId"] = account.IdReference });
        var read = request.Get("Contact", contact.IdReference, ["AccountId", "LastName"]);

        var result = await org.Client.Composite.SendAsync(request, Ct);

        Assert.False(result.HasErrors);
        Assert.Equal(result[account].Id, result[read].Read<SObject>()!.Get<string>("AccountId"));
        Assert.Equal("Lovelace", result[read].Read<SObject>()!.Get<string>("LastName"));
        Assert.Equal(1, org.Emulator.Usage.Used);
    }

    [Fact]
    public async Task Composite_all_or_none_failure_rolls_back_and_types_the_errors()
    {
        await using var org = new EmulatedOrg();
        var request = new CompositeRequest { AllOrNone = true };
        var account = request.Create("Account", new Account { Name = "Rolled back" });
        var contact = request.Create("Contact", new SObject("Contact") { ["AccountId"] = account.IdReference });

        var result = await org.Client.Composite.SendAsync(request, Ct);

        Assert.Equal(SalesforceError.Codes.ProcessingHalted, result[account].Errors[0].ErrorCode);
        Assert.Equal("REQUIRED_FIELD_MISSING", result[contact].Errors[0].ErrorCode);
        Assert.Empty(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task Batch_runs_independent_subrequests_and_halts_after_an_error()
    {
        await using var org = new EmulatedOrg();
        var id = await org.Client.SObjects.CreateAsync("Account", new Account { Name = "Acme" }, Ct);
        var batch = new CompositeBatchRequest { HaltOnError = true };
        var update = batch.Update("Account", id, new Account { Industry = "Energy" });
        var bad = batch.Create("Contact", new SObject("Contact") { ["FirstName"] = "No last name" });
        var never = batch.Get("Account", id, ["Industry"]);

        var result = await org.Client.Composite.SendBatchAsync(batch, Ct);

        Assert.True(result.HasErrors);
        Assert.Equal(204, result[update].StatusCode);
        Assert.Equal("REQUIRED_FIELD_MISSING", result[bad].Errors[0].ErrorCode);
        Assert.Equal(412, result[never].StatusCode);
        Assert.Equal(SalesforceError.Codes.BatchProcessingHalted, result[never].Errors[0].ErrorCode);
    }

    [Fact]
    public async Task Tree_inserts_parents_and_children_and_sets_their_ids()
    {
        await using var org = new EmulatedOrg();
        var contact = new SObject("Contact") { ["LastName"] = "Smith" };
        var roots = Enumerable.Range(0, 3).Select(i => new TreeRecord("Account", new Account { Name = $"Tree {i}" })
            .AddChildren("Contacts", new TreeRecord("Contact", i == 0 ? contact : new SObject("Contact") { ["LastName"] = $"C{i}" }))).ToList();

        var result = await org.Client.Composite.CreateTreeAsync("Account", roots, Ct);

        Assert.False(result.HasErrors);
        Assert.Equal(6, result.Records.Count(r => r.Id is not null));
        var stored = await org.Client.SObjects.GetAsync<SObject>("Contact", contact.Id!, ["AccountId"], Ct);
        Assert.Equal(roots[0].Id, stored.Get<string>("AccountId"));
    }

    [Fact]
    public async Task A_refused_tree_saves_nothing_and_names_the_failing_record()
    {
        await using var org = new EmulatedOrg();
        var bad = new TreeRecord("Contact", new SObject("Contact") { ["FirstName"] = "No last name" });
        var root = new TreeRecord("Account", new Account { Name = "Parent" }).AddChildren("Contacts", bad);

        var result = await org.Client.Composite.CreateTreeAsync("Account", [root], Ct);

        Assert.True(result.HasErrors);
        Assert.Equal("REQUIRED_FIELD_MISSING", bad.Errors[0].ErrorCode);
        Assert.Empty(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task Graphs_commit_or_fail_independently()
    {
        await using var org = new EmulatedOrg();
        var good = new CompositeGraph("good");
        var account = good.Create("Account", new Account { Name = "Graph" });
        good.Create("Contact", new SObject("Contact") { ["LastName"] = "G", ["AccountId"] = account.IdReference });
        var failing = new CompositeGraph("bad");
        failing.Create("Account", new Account { Name = "Rolled back" });
        var badNode = failing.Create("Contact", new SObject("Contact") { ["FirstName"] = "x" });

        var results = await org.Client.Composite.SendGraphsAsync([good, failing], Ct);

        Assert.True(results.Single(r => r.GraphId == "good").IsSuccessful);
        var failed = results.Single(r => r.GraphId == "bad");
        Assert.False(failed.IsSuccessful);
        Assert.Equal("REQUIRED_FIELD_MISSING", failed.Result[badNode].Errors[0].ErrorCode);
        Assert.Single(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task A_composite_request_can_create_and_update_collections_and_refer_to_one_of_their_records()
    {
        await using var org = new EmulatedOrg();
        var request = new CompositeRequest { AllOrNone = true };
        var accounts = request.CreateCollection("Account", new[] { new Account { Name = "First" }, new Account { Name = "Second" }, new Account { Name = "Third" } }, referenceId: "accounts");
        var contact = request.Create("Contact", new SObject("Contact") { ["LastName"] = "Linked", ["AccountId"] = accounts.Reference("[1].id") });

        var result = await org.Client.Composite.SendAsync(request, Ct);
        var second = org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!).Single(a => (string?)a["Name"] == "Second");
        var update = new CompositeRequest();
        var renamed = update.UpdateCollection("Account", new[] { new Account { Id = second.Id, Industry = "Energy" } });
        var updateResult = await org.Client.Composite.SendAsync(update, Ct);

        Assert.Equal("@{accounts[1].id}", accounts.Reference("[1].id"));
        Assert.Equal(200, result[accounts].StatusCode);
        Assert.Equal(second.Id, org.Emulator.Org.Find(result[contact].Id!)!["AccountId"]);
        Assert.Equal(200, updateResult[renamed].StatusCode);
        Assert.Equal("Energy", org.Emulator.Org.Find(second.Id)!["Industry"]);
        Assert.Throws<ArgumentException>(() => new CompositeRequest().CreateCollection("Account", Enumerable.Range(0, 201).Select(i => new Account { Name = $"{i}" })));
        var six = new CompositeRequest();
        for (var i = 0; i < 5; i++)
        {
            six.CreateCollection("Account", new[] { new Account { Name = "x" } });
        }

        Assert.Throws<InvalidOperationException>(() => six.Query("SELECT Id FROM Account"));
        var missingId = new CompositeRequest();
        missingId.UpdateCollection("Account", new[] { new Account { Name = "No id" } });
        await Assert.ThrowsAsync<ArgumentException>(() => org.Client.Composite.SendAsync(missingId, Ct));
    }
}
