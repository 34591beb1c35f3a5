using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Composite;

public sealed class CompositeClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Composite_sends_subrequests_with_references_and_maps_results_back()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("composite/"))
            .WithContent("""
                {"allOrNone":true,"collateSubrequests":false,"compositeRequest":[{"method":"POST","url":"/services/data/v66.0/sobjects/blng__Payment__c","referenceId":"NewPayment1","body":{"Name":"P1"}},{"method":"POST","url":"/services/data/v66.0/sobjects/blng__Payment__c","referenceId":"NewPayment2","body":{"Name":"P2","Parent__c":"@{NewPayment1.id}"}}]}
                """.Trim())
            .Respond("application/json", Fixtures.Read("composite/composite_success.camel.json"));

        var request = new CompositeRequest { AllOrNone = true, CollateSubrequests = false };
        var first = request.Create("blng__Payment__c", new SObject("blng__Payment__c") { ["Name"] = "P1" }, "NewPayment1");
        var second = request.Create("blng__Payment__c", new SObject("blng__Payment__c") { ["Name"] = "P2", ["Parent__c"] = first.IdReference }, "NewPayment2");

        var result = await host.Client.Composite.SendAsync(request, Ct);

        Assert.False(result.HasErrors);
        Assert.Equal("a1V3E000000EXomUAM", result[first].Id);
        Assert.Equal(201, result[second].StatusCode);
        Assert.Equal("/services/data/v41.0/sobjects/blng__Payment__c/a1V3E000000EXomUAG", result[second].Headers["Location"]);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task The_request_matches_the_recorded_client_request_shape()
    {
        await using var host = new SalesforceTestHost();
        string? sent = null;
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/")).With(r =>
        {
            sent = r.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
            return true;
        }).Respond("application/json", """{"compositeResponse":[]}""");
        var request = new CompositeRequest { AllOrNone = true };
        request.Update("Account", "001xx000003DIpcAAG", new { Name = "Salesforce", BillingStreet = "Landmark @ 1 Market Street", BillingCity = "San Francisco", BillingState = "California", Industry = "Technology" }, "UpdatedAccount");
        var contact = request.Create("Contact", new { LastName = "John Doe", Phone = "1234567890" }, "NewContact");
        request.Create("AccountContactJunction__c", new SObject("AccountContactJunction__c") { ["account__c"] = "001xx000003DIpcAAG", ["contactId__c"] = contact.IdReference }, "JunctionRecord");

        await host.Client.Composite.SendAsync(request, Ct);

        using var expected = JsonDocument.Parse(Fixtures.Read("composite/composite_request.camel.json"));
        using var actual = JsonDocument.Parse(sent!);
        Assert.Equal(expected.RootElement.GetProperty("allOrNone").GetBoolean(), actual.RootElement.GetProperty("allOrNone").GetBoolean());
        var pairs = expected.RootElement.GetProperty("compositeRequest").EnumerateArray().Zip(actual.RootElement.GetProperty("compositeRequest").EnumerateArray());
        foreach (var (want, got) in pairs)
        {
            Assert.Equal(want.GetProperty("method").GetString(), got.GetProperty("method").GetString());
            Assert.Equal(want.GetProperty("referenceId").GetString(), got.GetProperty("referenceId").GetString());
            Assert.StartsWith("/services/data/v66.0/sobjects/", got.GetProperty("url").GetString(), StringComparison.Ordinal);
            var wantFields = want.GetProperty("body").EnumerateObject().Where(p => p.Name != "attributes").Select(p => (p.Name, p.Value.GetString()));
            Assert.Equal(wantFields, got.GetProperty("body").EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
        }

        Assert.Equal("/services/data/v66.0/sobjects/Account/001xx000003DIpcAAG", actual.RootElement.GetProperty("compositeRequest")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task An_all_or_none_failure_gives_each_subrequest_its_typed_errors()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/"))
            .Respond("application/json", Fixtures.Read("composite/composite_failure_allOrNone.camel.json"));
        var request = new CompositeRequest { AllOrNone = true };
        var first = request.Create("Payment__c", new { Name = "1" }, "NewPayment1");
        var second = request.Create("Payment__c", new { Name = "2" }, "NewPayment2");

        var result = await host.Client.Composite.SendAsync(request, Ct);

        Assert.True(result.HasErrors);
        Assert.Equal(SalesforceError.Codes.ProcessingHalted, result[first].Errors.Single().ErrorCode);
        Assert.Equal(SalesforceError.Codes.InvalidField, result[second].Errors.Single().ErrorCode);
        Assert.Equal(400, result[second].StatusCode);
    }

    [Fact]
    public async Task A_partial_failure_keeps_the_query_result_and_the_halted_dependants()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("composite/"))
            .WithPartialContent("\"url\":\"/services/data/v66.0/query/?q=SELECT%20Id%20FROM%20Order\"")
            .Respond("application/json", Fixtures.Read("composite/composite_query_partial_failure.revoman.json"));
        var request = new CompositeRequest();
        var query = request.Query("SELECT Id FROM Order", "billingScheduleForOrderId");
        var plan = request.Update("Plan__c", query.Reference("records[0].Id"), new { Name = "x" }, "billingMilestonePlan");
        var items = request.Delete("Item__c", plan.IdReference, "billingMilestonePlanItems");

        var result = await host.Client.Composite.SendAsync(request, Ct);

        Assert.True(result[query].IsSuccess);
        Assert.Equal(0, result[query].Read<QueryResult<SObject>>()!.TotalSize);
        Assert.Contains("Invalid reference specified", result[plan].Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(SalesforceError.Codes.ProcessingHalted, result[items].Errors[0].ErrorCode);
        Assert.Equal("@{billingScheduleForOrderId.records[0].Id}", query.Reference("records[0].Id"));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public void Limits_are_enforced_while_building()
    {
        var request = new CompositeRequest();
        for (var i = 0; i < 5; i++)
        {
            request.Query("SELECT Id FROM Account");
        }

        Assert.Throws<InvalidOperationException>(() => request.Query("SELECT Id FROM Account"));
        for (var i = 0; i < 20; i++)
        {
            request.Create("Account", new { Name = "n" });
        }

        Assert.Equal(25, request.Subrequests.Count);
        Assert.Throws<InvalidOperationException>(() => request.Create("Account", new { Name = "26" }));
        Assert.Throws<ArgumentException>(() => new CompositeRequest().Create("Account", new { }, "bad-ref"));
        var duplicate = new CompositeRequest();
        duplicate.Create("Account", new { }, "a");
        Assert.Throws<ArgumentException>(() => duplicate.Create("Account", new { }, "a"));
        Assert.Throws<ArgumentException>(() => duplicate.Update("Account", "../../limits", new { }));
        Assert.Throws<ArgumentException>(() => new CompositeBatchRequest().Create("Account", new { }, "named"));
        Assert.Throws<InvalidOperationException>(() => new CompositeGraph("g1").Query("SELECT Id FROM Account"));
    }

    [Fact]
    public async Task An_empty_request_fails_before_any_call()
    {
        await using var host = new SalesforceTestHost();

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.Composite.SendAsync(new CompositeRequest(), Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => host.Client.Composite.SendBatchAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.Composite.SendGraphsAsync([], Ct));
    }

    [Fact]
    public async Task Batch_puts_bodies_in_richInput_and_maps_results_by_position()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("composite/batch/"))
            .WithContent("""{"haltOnError":true,"batchRequests":[{"method":"PATCH","url":"v66.0/sobjects/Account/001D000000K0fXOIAZ","richInput":{"Name":"NewName"}},{"method":"GET","url":"v66.0/sobjects/Account/001D000000K0fXOIAZ?fields=Name,BillingPostalCode"}]}""")
            .Respond("application/json", Fixtures.Read("composite/batch_success.go-sfdc.json"));
        var batch = new CompositeBatchRequest { HaltOnError = true };
        var update = batch.Update("Account", "001D000000K0fXOIAZ", new { Name = "NewName" });
        var get = batch.Get("Account", "001D000000K0fXOIAZ", ["Name", "BillingPostalCode"]);

        var result = await host.Client.Composite.SendBatchAsync(batch, Ct);

        Assert.False(result.HasErrors);
        Assert.Equal(204, result[update].StatusCode);
        Assert.Null(result[update].Body);
        Assert.Equal("94105", result[get].Read<SObject>()!.Get<string>("BillingPostalCode"));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Tree_sends_nested_records_and_maps_ids_back_to_the_inputs()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("composite/tree/Account/"))
            .WithContent("""{"records":[{"attributes":{"type":"Account","referenceId":"ref1"},"Name":"SampleAccount","Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"ref2"},"LastName":"Smith"}]}}]}""")
            .Respond(HttpStatusCode.Created, "application/json", Fixtures.Read("composite/tree_success.go-sfdc.json"));
        var account = new SObject("Account") { ["Name"] = "SampleAccount" };
        var root = new TreeRecord("Account", account).AddChildren("Contacts", new TreeRecord("Contact", new { LastName = "Smith" }));

        var result = await host.Client.Composite.CreateTreeAsync("Account", [root], Ct);

        Assert.False(result.HasErrors);
        Assert.Equal("001D000000K0fXOIAZ", root.Id);
        Assert.Equal("001D000000K0fXOIAZ", account.Id);
        Assert.Equal("ref2", result.Records[1].ReferenceId);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_refused_tree_puts_the_errors_on_the_failing_record()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/tree/Account/"))
            .Respond(HttpStatusCode.BadRequest, "application/json", Fixtures.Read("composite/tree_error.go-sfdc.json"));
        var contact = new TreeRecord("Contact", new { LastName = "Smith", Email = "123" }, "ref2");
        var root = new TreeRecord("Account", new { Name = "A" }, "ref1").AddChildren("Contacts", contact);

        var result = await host.Client.Composite.CreateTreeAsync("Account", [root], Ct);

        Assert.True(result.HasErrors);
        Assert.Null(root.Id);
        var error = Assert.Single(contact.Errors);
        Assert.Equal("INVALID_EMAIL_ADDRESS", error.ErrorCode);
        Assert.Equal(["Email"], error.Fields);
    }

    [Fact]
    public async Task Tree_limits_are_checked_before_any_call()
    {
        await using var host = new SalesforceTestHost();
        var tooMany = Enumerable.Range(0, 201).Select(_ => new TreeRecord("Account", new { Name = "n" }));
        var deep = new TreeRecord("Account", new { });
        var node = deep;
        for (var i = 0; i < 5; i++)
        {
            var child = new TreeRecord("Account", new { });
            node.AddChildren("ChildAccounts", child);
            node = child;
        }

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.Composite.CreateTreeAsync("Account", tooMany, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.Composite.CreateTreeAsync("Account", [deep], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.Composite.CreateTreeAsync("Account", [new TreeRecord("Contact", new { })], Ct));
    }

    [Fact]
    public async Task Graphs_are_sent_together_and_each_reports_its_outcome()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("composite/graph/"))
            .WithContent("""{"graphs":[{"graphId":"1","compositeRequest":[{"method":"POST","url":"/services/data/v66.0/sobjects/Account","referenceId":"account","body":{"Name":"A"}},{"method":"POST","url":"/services/data/v66.0/sobjects/Contact","referenceId":"contact","body":{"LastName":"L","AccountId":"@{account.id}"}}]}]}""")
            .Respond("application/json", Fixtures.Read("composite/graph_success.revoman.json"));
        var graph = new CompositeGraph("1");
        var account = graph.Create("Account", new { Name = "A" }, "account");
        graph.Create("Contact", new Dictionary<string, string> { ["LastName"] = "L", ["AccountId"] = account.IdReference }, "contact");

        var results = await host.Client.Composite.SendGraphsAsync([graph], Ct);

        var only = Assert.Single(results);
        Assert.True(only.IsSuccessful);
        Assert.Equal("001xx000003Gdl5AAC", only.Result[account].Id);
        Assert.Equal("006xx000001a5eKAAQ", only.Result["opportunity"].Id);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_failed_graph_names_the_real_error_among_halted_nodes()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/graph/"))
            .Respond("application/json", Fixtures.Read("composite/graph_error.revoman.json"));
        var graph = new CompositeGraph("1");
        graph.Create("Account", new { Name = "A" }, "account");

        var result = Assert.Single(await host.Client.Composite.SendGraphsAsync([graph], Ct));

        Assert.False(result.IsSuccessful);
        Assert.Equal("DUPLICATE_VALUE", result.Result["attributeDefinition"].Errors[0].ErrorCode);
        Assert.All(result.Result.Responses.Where(r => r.ReferenceId != "attributeDefinition"),
            r => Assert.Equal(SalesforceError.Codes.ProcessingHalted, r.Errors[0].ErrorCode));
    }

    [Fact]
    public async Task Graph_node_limit_is_checked_before_any_call()
    {
        await using var host = new SalesforceTestHost();
        var graphs = Enumerable.Range(0, 2).Select(g =>
        {
            var graph = new CompositeGraph("g" + g);
            for (var i = 0; i < 300; i++)
            {
                graph.Create("Account", new { Name = "n" });
            }

            return graph;
        }).ToList();

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.Composite.SendGraphsAsync(graphs, Ct));
    }
}
