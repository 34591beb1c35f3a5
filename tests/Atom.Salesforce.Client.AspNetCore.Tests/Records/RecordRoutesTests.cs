using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Records;

public sealed class RecordRoutesTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accounts_list_returns_the_records_the_condition_selects_with_the_fields_asked_for()
    {
        var expected = new List<string>();
        await foreach (var a in fixture.Sdk.Query.QueryAsync<SObject>("SELECT Id FROM Account WHERE AnnualRevenue > 50000000 ORDER BY Id", cancellationToken: Ct))
        {
            expected.Add(a.Id!);
        }

        Assert.NotEmpty(expected);
        var reply = await Host.PostAsync("accounts/list", PackHost.Alice, new { query = "AnnualRevenue > 50000000", fields = new[] { "name", "AnnualRevenue" }, limit = 2000 });
        var data = reply.Data;
        var records = data.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(expected.Count, data.GetProperty("count").GetInt32());
        Assert.Equal(expected.Order(StringComparer.Ordinal).ToList(), records.Select(r => r.GetProperty("Id").GetString()!).Order(StringComparer.Ordinal).ToList());
        Assert.All(records, r =>
        {
            Assert.Equal(["Id", "Name", "AnnualRevenue"], r.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.True(r.GetProperty("AnnualRevenue").GetDecimal() > 50_000_000m);
        });
    }

    [Fact]
    public async Task Accounts_list_applies_the_limit_and_the_default_fields()
    {
        var reply = await Host.PostAsync("accounts/list", PackHost.Alice, new { limit = 3 });
        var records = reply.Data.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(3, records.Count);
        Assert.Equal(3, reply.Data.GetProperty("limit").GetInt32());
        Assert.All(records, r => Assert.True(r.TryGetProperty("Name", out _) && r.TryGetProperty("Industry", out _)));
    }

    [Fact]
    public async Task Account_lifecycle_create_get_update_delete()
    {
        var created = await Host.PostAsync("accounts/create", PackHost.Alice, new { account_data = new { Name = "Endpoint Pack Ltd", Industry = "Energy", AnnualRevenue = 1234567 } });
        var id = created.Data.GetProperty("id").GetString()!;
        Assert.True(created.Data.GetProperty("created").GetBoolean());
        Assert.StartsWith("001", id, StringComparison.Ordinal);

        var got = await Host.PostAsync("accounts/get", PackHost.Alice, new { account_id = id, fields = new[] { "Name", "Industry", "AnnualRevenue" } });
        Assert.Equal("Endpoint Pack Ltd", got.Data.GetProperty("Name").GetString());
        Assert.Equal(1234567m, got.Data.GetProperty("AnnualRevenue").GetDecimal());

        var updated = await Host.PostAsync("accounts/update", PackHost.Alice, new { account_id = id, account_data = new { Industry = "Banking", AnnualRevenue = (int?)null } });
        Assert.True(updated.Data.GetProperty("updated").GetBoolean());
        var record = await fixture.Sdk.SObjects.GetAsync<SObject>("Account", id, ["Industry", "AnnualRevenue"], Ct);
        Assert.Equal("Banking", record.Get<string>("Industry"));
        Assert.Null(record["AnnualRevenue"]);

        var deleted = await Host.PostAsync("accounts/delete", PackHost.Alice, new { account_id = id });
        Assert.True(deleted.Data.GetProperty("deleted").GetBoolean());
        (await Host.PostAsync("accounts/get", PackHost.Alice, new { account_id = id })).AssertError(404, "ENTITY_IS_DELETED");
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_404_with_salesforces_code()
    {
        (await Host.PostAsync("accounts/get", PackHost.Alice, new { account_id = "001000000000000AAA" })).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Contacts_list_narrows_to_an_account_and_contacts_create_and_update_work()
    {
        var account = await Host.PostAsync("accounts/create", PackHost.Alice, new { account_data = new { Name = "Contacts Co" } });
        var accountId = account.Data.GetProperty("id").GetString()!;
        var contact = await Host.PostAsync("contacts/create", PackHost.Alice, new { contact_data = new { LastName = "Lovelace", FirstName = "Ada", AccountId = accountId, Email = "ada@example.com" } });
        var contactId = contact.Data.GetProperty("id").GetString()!;
        await Host.PostAsync("contacts/update", PackHost.Alice, new { contact_id = contactId, contact_data = new { Title = "Countess" } });

        var list = await Host.PostAsync("contacts/list", PackHost.Alice, new { account_id = accountId, fields = new[] { "LastName", "Title", "AccountId" } });
        var only = Assert.Single(list.Data.GetProperty("records").EnumerateArray());
        Assert.Equal(contactId, only.GetProperty("Id").GetString());
        Assert.Equal("Countess", only.GetProperty("Title").GetString());
    }

    [Fact]
    public async Task Opportunities_and_leads_list_and_create()
    {
        var opp = await Host.PostAsync("opportunities/create", PackHost.Alice, new { opportunity_data = new { Name = "Big deal", StageName = "Prospecting", CloseDate = "2027-03-31", Amount = 50000 } });
        var oppId = opp.Data.GetProperty("id").GetString()!;
        await Host.PostAsync("opportunities/update", PackHost.Alice, new { opportunity_id = oppId, opportunity_data = new { Amount = 75000 } });
        var opps = await Host.PostAsync("opportunities/list", PackHost.Alice, new { query = $"Id = '{oppId}'", fields = new[] { "Amount", "StageName" } });
        Assert.Equal(75000m, Assert.Single(opps.Data.GetProperty("records").EnumerateArray()).GetProperty("Amount").GetDecimal());

        var lead = await Host.PostAsync("leads/create", PackHost.Alice, new { lead_data = new { LastName = "Hopper", Company = "Navy" } });
        var leadId = lead.Data.GetProperty("id").GetString()!;
        var leads = await Host.PostAsync("leads/list", PackHost.Alice, new { query = $"Company = 'Navy' AND LastName = 'Hopper'" });
        Assert.Equal(leadId, Assert.Single(leads.Data.GetProperty("records").EnumerateArray()).GetProperty("Id").GetString());
    }

    [Fact]
    public async Task Salesforce_validation_errors_pass_through_with_their_code()
    {
        (await Host.PostAsync("contacts/create", PackHost.Alice, new { contact_data = new { FirstName = "No last name" } })).AssertError(400, "REQUIRED_FIELD_MISSING");
    }

    [Fact]
    public async Task Unknown_or_read_only_fields_in_record_data_are_refused_before_salesforce()
    {
        (await Host.PostAsync("accounts/create", PackHost.Alice, new { account_data = new { Name = "X", Nope__c = 1 } })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("opportunities/create", PackHost.Alice, new { opportunity_data = new { Name = "X", IsWon = true } })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("accounts/create", PackHost.Alice, new { account_data = new { Name = new { nested = 1 } } })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { fields = new[] { "Name", "NotAField" } })).AssertError(400, "INVALID_FIELD");
    }

    [Fact]
    public async Task Validation_errors_for_ids_limits_and_required_properties()
    {
        (await Host.PostAsync("accounts/get", PackHost.Alice, new { account_id = "not-an-id" })).AssertError(400, "INVALID_ID");
        (await Host.PostAsync("accounts/get", PackHost.Alice, new { })).AssertError(400, "REQUIRED_FIELD_MISSING");
        (await Host.PostAsync("accounts/update", PackHost.Alice, new { account_id = "001000000000000AAA", account_data = new { } })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { limit = 0 })).AssertError(400, "INVALID_LIMIT");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { limit = 2001 })).AssertError(400, "INVALID_LIMIT");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { limit = "10" })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { account_data = new { Name = "x" } })).AssertError(400, "INVALID_REQUEST");
    }
}
