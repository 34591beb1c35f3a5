using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Composite;

public sealed class CollectionsClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Account
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Ext_Id__c { get; set; }
        public DateTimeOffset? CreatedDate { get; set; }
    }

    [Fact]
    public async Task Create_posts_records_with_attributes_and_maps_the_fixture_result()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/"))
            .WithHeaders("Content-Type", "application/json; charset=utf-8")
            .WithContent("""{"allOrNone":false,"records":[{"attributes":{"type":"Account"},"Name":"Acme"}]}""")
            .Respond("application/json", Fixtures.Read("composite/collections_create_success.restforce.json"));

        var results = await host.Client.Composite.Collections.CreateAsync("Account",
            [new Account { Id = "001000000000001AAA", Name = "Acme", CreatedDate = DateTimeOffset.UtcNow }], cancellationToken: Ct);

        var result = Assert.Single(results);
        Assert.Equal(new SaveResult { Index = 0, Id = "some_id", Success = true }, result with { Errors = [] });
        Assert.Empty(result.Errors);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Create_splits_450_records_into_three_calls_and_keeps_input_order_with_partial_failures()
    {
        await using var host = new SalesforceTestHost();
        var sizes = new ConcurrentBag<int>();
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/")).Respond(async request =>
        {
            using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(Ct));
            var records = body.RootElement.GetProperty("records").EnumerateArray().ToList();
            sizes.Add(records.Count);
            // Echo the record's number as the id; names ending in 7 fail validation.
            var results = records.Select(r =>
            {
                var name = r.GetProperty("Name").GetString()!;
                return name.EndsWith('7')
                    ? (object)new { success = false, errors = new[] { new { statusCode = "FIELD_CUSTOM_VALIDATION_EXCEPTION", message = "No sevens", fields = new[] { "Name" } } } }
                    : new { id = "001" + name.PadLeft(15, '0'), success = true, errors = Array.Empty<object>() };
            });
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(results), System.Text.Encoding.UTF8, "application/json") };
        });

        var input = Enumerable.Range(0, 450).Select(i => new SObject("Account") { ["Name"] = i.ToString(CultureInfo.InvariantCulture) }).ToList();
        var results = await host.Client.Composite.Collections.CreateAsync("Account", input, new CollectionOptions { MaxConcurrency = 3 }, cancellationToken: Ct);

        Assert.Equal([50, 200, 200], sizes.Order());
        Assert.Equal(450, results.Count);
        for (var i = 0; i < 450; i++)
        {
            Assert.Equal(i, results[i].Index);
            var failed = i % 10 == 7;
            Assert.Equal(!failed, results[i].Success);
            if (failed)
            {
                Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", Assert.Single(results[i].Errors).ErrorCode);
                Assert.Equal(["Name"], results[i].Errors[0].Fields);
            }
            else
            {
                Assert.Equal("001" + i.ToString(CultureInfo.InvariantCulture).PadLeft(15, '0'), results[i].Id);
            }
        }
    }

    [Fact]
    public async Task Update_sends_the_id_and_reports_an_all_or_none_rollback()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("composite/sobjects/"))
            .WithContent("""{"allOrNone":true,"records":[{"attributes":{"type":"Account"},"id":"001000000000001AAA","Name":"A"},{"attributes":{"type":"Account"},"id":"001000000000002AAA","Name":null}]}""")
            .Respond("application/json", """
                [{"id":"001000000000001AAA","success":false,"errors":[{"statusCode":"ALL_OR_NONE_OPERATION_ROLLED_BACK","message":"Record rolled back because not all records were valid and the request was using AllOrNone header","fields":[]}]},
                 {"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Name]","fields":["Name"]}]}]
                """);

        var second = new SObject("Account") { Id = "001000000000002AAA", ["Name"] = null };
        var results = await host.Client.Composite.Collections.UpdateAsync<object>("Account",
            [new Account { Id = "001000000000001AAA", Name = "A" }, second], new CollectionOptions { AllOrNone = true }, cancellationToken: Ct);

        Assert.Equal(SalesforceError.Codes.AllOrNoneOperationRolledBack, results[0].Errors[0].ErrorCode);
        Assert.Equal("001000000000001AAA", results[0].Id);
        Assert.Equal("REQUIRED_FIELD_MISSING", results[1].Errors[0].ErrorCode);
        Assert.Equal("001000000000002AAA", results[1].Id);
        Assert.All(results, r => Assert.False(r.Success));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Update_without_an_id_fails_before_any_call()
    {
        await using var host = new SalesforceTestHost();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            host.Client.Composite.Collections.UpdateAsync("Account", [new Account { Name = "No id" }], cancellationToken: Ct));

        Assert.Contains("Record 0 has no Id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_targets_the_external_id_field_and_reports_created()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("composite/sobjects/Account/Ext_Id__c/"))
            .WithContent("""{"allOrNone":false,"records":[{"attributes":{"type":"Account"},"Name":"A","Ext_Id__c":"X-1"},{"attributes":{"type":"Account"},"Name":"B","Ext_Id__c":"X-2"}]}""")
            .Respond("application/json", """
                [{"id":"001000000000001AAA","success":true,"errors":[],"created":true},{"id":"001000000000002AAA","success":true,"errors":[],"created":false}]
                """);

        var results = await host.Client.Composite.Collections.UpsertAsync("Account", "Ext_Id__c",
            [new Account { Name = "A", Ext_Id__c = "X-1" }, new Account { Name = "B", Ext_Id__c = "X-2" }], cancellationToken: Ct);

        Assert.Equal([true, false], results.Select(r => r.Created!.Value));
        Assert.Equal(["001000000000001AAA", "001000000000002AAA"], results.Select(r => r.Id));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Delete_sends_the_ids_in_the_query_and_maps_the_fixture()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Delete, SalesforceTestHost.Api("composite/sobjects/"))
            .WithQueryString(new Dictionary<string, string> { ["ids"] = "001000000000001AAA,003000000000001AAA", ["allOrNone"] = "false" })
            .Respond("application/json", """[{"id":"001000000000001AAA","success":true,"errors":[]},{"success":false,"errors":[{"statusCode":"ENTITY_IS_DELETED","message":"entity is deleted","fields":[]}]}]""");
        host.Http.Expect(HttpMethod.Delete, SalesforceTestHost.Api("composite/sobjects/"))
            .Respond("application/json", Fixtures.Read("composite/collections_delete_success.restforce.json"));

        var results = await host.Client.Composite.Collections.DeleteAsync(["001000000000001AAA", "003000000000001AAA"], cancellationToken: Ct);
        var fixture = await host.Client.Composite.Collections.DeleteAsync(["001000000000003AAA"], cancellationToken: Ct);

        Assert.True(results[0].Success);
        Assert.Equal("003000000000001AAA", results[1].Id);
        Assert.Equal("ENTITY_IS_DELETED", results[1].Errors[0].ErrorCode);
        Assert.Equal("Foo", Assert.Single(fixture).Id);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Theory]
    [InlineData("collections_delete_400_no_ids.restforce.json", "REQUIRED_FIELD_MISSING")]
    [InlineData("collections_error_deserialization.restforce.json", "INVALID_FIELD")]
    public async Task A_request_refused_as_a_whole_throws_the_api_error(string fixture, string code)
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Delete, SalesforceTestHost.Api("composite/sobjects/"))
            .Respond(HttpStatusCode.BadRequest, "application/json", Fixtures.Read("composite/" + fixture));

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => host.Client.Composite.Collections.DeleteAsync(["001000000000001AAA"], cancellationToken: Ct));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
    }

    [Fact]
    public async Task Retrieve_posts_ids_and_fields_and_keeps_nulls_in_place()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/Account/"))
            .WithContent("""{"ids":["001000000000001AAA","001000000000009AAA"],"fields":["Id","Name"]}""")
            .Respond("application/json", """[{"attributes":{"type":"Account"},"Id":"001000000000001AAA","Name":"Acme"},null]""");

        var records = await host.Client.Composite.Collections.RetrieveAsync<Account>("Account", ["001000000000001AAA", "001000000000009AAA"], ["Id", "Name"], Ct);

        Assert.Equal("Acme", records[0]!.Name);
        Assert.Null(records[1]);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Bad_arguments_fail_before_any_call()
    {
        await using var host = new SalesforceTestHost();
        var collections = host.Client.Composite.Collections;

        await Assert.ThrowsAsync<ArgumentException>(() => collections.CreateAsync("Bad Name", new[] { new Account() }, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => collections.CreateAsync<Account>("Account", null!, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => collections.CreateAsync("Account", new Account?[] { null }, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => collections.UpsertAsync("Account", "Ext Id", new[] { new Account() }, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => collections.DeleteAsync(["not-an-id"], cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => collections.RetrieveAsync<Account>("Account", ["001000000000001AAA"], [], Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            collections.CreateAsync("Account", new[] { new Account() }, new CollectionOptions { MaxConcurrency = 0 }, cancellationToken: Ct));
    }
}
