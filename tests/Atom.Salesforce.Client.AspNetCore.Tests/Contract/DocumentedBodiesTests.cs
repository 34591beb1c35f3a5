using System.Net;
using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Contract;

/// <summary>
/// The request bodies of the service the SDK replaces, exactly as its documentation gives them ("Example Requests",
/// "Analytics Examples"), sent by the user they name: <c>user123</c> is signed in and connected. Each is accepted on its
/// route and answers what it asks for; where Salesforce itself refuses a documented value, its answer comes through the
/// envelope and the nearest valid value works.
/// </summary>
public sealed class DocumentedBodiesTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private const string User = "user123";

    // The documented bodies, character for character (the "Authentication" example's object, JSON-quoted).
    private const string AccountsList = """
        {
          "user_id": "user123",
          "query": "AnnualRevenue > 1000000",
          "fields": ["Id", "Name", "AnnualRevenue", "Industry"],
          "limit": 50
        }
        """;

    private const string AccountsCreate = """
        {
          "user_id": "user123",
          "account_data": {
            "Name": "Global Tech Solutions",
            "Type": "Technology Partner",
            "Industry": "Technology",
            "AnnualRevenue": 5000000,
            "Phone": "+1-555-0123",
            "Website": "https://globaltech.example.com",
            "BillingCity": "San Francisco",
            "BillingState": "CA",
            "BillingCountry": "US"
          }
        }
        """;

    private const string OpportunitiesCreate = """
        {
          "user_id": "user123",
          "account_id": "0012800000123456",
          "opportunity_data": {
            "Name": "Enterprise Software License",
            "StageName": "Proposal/Quote",
            "Amount": 250000,
            "CloseDate": "2025-12-31",
            "Probability": 75,
            "Type": "New Business",
            "LeadSource": "Partner Referral"
          }
        }
        """;

    private const string LeadsCreate = """
        {
          "user_id": "user123",
          "lead_data": {
            "FirstName": "John",
            "LastName": "Smith",
            "Company": "Acme Corporation",
            "Email": "john.smith@acme.com",
            "Phone": "+1-555-0123",
            "LeadSource": "Web Form",
            "Status": "Open - Not Contacted"
          }
        }
        """;

    private const string PipelineAnalytics = """
        {
          "user_id": "user123",
          "date_range": {
            "start_date": "2025-01-01",
            "end_date": "2025-12-31"
          },
          "group_by": "StageName"
        }
        """;

    private const string LeadAnalytics = """
        {
          "user_id": "user123",
          "date_range": "last_30_days",
          "filters": {
            "lead_source": ["Web", "Referral", "Partner"]
          }
        }
        """;

    private PackHost Host => fixture.Host;

    private SalesforceClient Sdk => Host.Services.GetRequiredService<ISalesforceClientFactory>().ForUser(User);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accounts_list_answers_the_documented_query_with_the_documented_fields_and_limit()
    {
        await Host.ConnectAsync(User);
        var matching = await IdsAsync("SELECT Id FROM Account WHERE AnnualRevenue > 1000000");
        Assert.NotEmpty(matching);

        var data = (await Host.PostAsync("accounts/list", User, AccountsList)).Data;

        var records = data.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(Math.Min(50, matching.Count), records.Count);
        Assert.Equal(50, data.GetProperty("limit").GetInt32());
        Assert.All(records, r =>
        {
            Assert.Equal(["Id", "Name", "AnnualRevenue", "Industry"], r.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.True(r.GetProperty("AnnualRevenue").GetDecimal() > 1_000_000m);
            Assert.Contains(r.GetProperty("Id").GetString(), matching);
        });
    }

    [Fact]
    public async Task Accounts_create_stores_every_documented_field_including_an_unrestricted_picklist_value()
    {
        await Host.ConnectAsync(User);

        var id = (await Host.PostAsync("accounts/create", User, AccountsCreate)).Data.GetProperty("id").GetString()!;

        var account = await Sdk.SObjects.GetAsync<SObject>(
            "Account", id, ["Name", "Type", "Industry", "AnnualRevenue", "Phone", "Website", "BillingCity", "BillingState", "BillingCountry"], Ct);
        Assert.Equal("Global Tech Solutions", account.Get<string>("Name"));
        Assert.Equal("Technology Partner", account.Get<string>("Type"));
        Assert.Equal("Technology", account.Get<string>("Industry"));
        Assert.Equal(5_000_000m, account.Get<decimal>("AnnualRevenue"));
        Assert.Equal("+1-555-0123", account.Get<string>("Phone"));
        Assert.Equal("https://globaltech.example.com", account.Get<string>("Website"));
        Assert.Equal(("San Francisco", "CA", "US"), (account.Get<string>("BillingCity"), account.Get<string>("BillingState"), account.Get<string>("BillingCountry")));
    }

    [Fact]
    public async Task Leads_create_stores_every_documented_field_with_Web_Form_in_the_unrestricted_LeadSource()
    {
        await Host.ConnectAsync(User);

        var id = (await Host.PostAsync("leads/create", User, LeadsCreate)).Data.GetProperty("id").GetString()!;

        var lead = await Sdk.SObjects.GetAsync<SObject>("Lead", id, ["FirstName", "LastName", "Company", "Email", "Phone", "LeadSource", "Status"], Ct);
        Assert.Equal(
            ["John", "Smith", "Acme Corporation", "john.smith@acme.com", "+1-555-0123", "Web Form", "Open - Not Contacted"],
            new[] { "FirstName", "LastName", "Company", "Email", "Phone", "LeadSource", "Status" }.Select(f => lead.Get<string>(f)).ToArray());
    }

    [Fact]
    public async Task Opportunities_create_takes_the_top_level_account_id_and_passes_on_what_Salesforce_refuses()
    {
        await Host.ConnectAsync(User);

        // Verbatim: the documented account_id has 16 characters, so it is no record id; the pack says so before any call.
        var verbatim = await Host.PostAsync("opportunities/create", User, OpportunitiesCreate);
        var refusal = verbatim.AssertError(400, "INVALID_ID", SalesforceEndpointErrors.ValidationError);
        Assert.Contains("account_id", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);

        // With a real account: StageName is a restricted picklist and "Proposal/Quote" is no stage of the org, so
        // Salesforce refuses it, and its answer comes through as an api_error with its own code.
        var accountId = (await Host.PostAsync("accounts/create", User, AccountsCreate)).Data.GetProperty("id").GetString()!;
        var withAccount = OpportunitiesCreate.Replace("0012800000123456", accountId, StringComparison.Ordinal);
        var stageRefused = (await Host.PostAsync("opportunities/create", User, withAccount))
            .AssertError(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", SalesforceEndpointErrors.ApiError);
        Assert.Contains("Proposal/Quote", stageRefused.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The nearest default stage, "Proposal/Price Quote": created, with AccountId from the top-level account_id and
        // "New Business" in the unrestricted Type picklist.
        var valid = withAccount.Replace("\"Proposal/Quote\"", "\"Proposal/Price Quote\"", StringComparison.Ordinal);
        var id = (await Host.PostAsync("opportunities/create", User, valid)).Data.GetProperty("id").GetString()!;

        var opportunity = await Sdk.SObjects.GetAsync<SObject>(
            "Opportunity", id, ["AccountId", "Name", "StageName", "Amount", "CloseDate", "Probability", "Type", "LeadSource"], Ct);
        Assert.Equal(accountId, opportunity.Get<string>("AccountId"));
        Assert.Equal("Enterprise Software License", opportunity.Get<string>("Name"));
        Assert.Equal("Proposal/Price Quote", opportunity.Get<string>("StageName"));
        Assert.Equal(250_000m, opportunity.Get<decimal>("Amount"));
        Assert.Equal(new DateOnly(2025, 12, 31), opportunity.Get<DateOnly>("CloseDate"));
        Assert.Equal(75m, opportunity.Get<decimal>("Probability"));
        Assert.Equal("New Business", opportunity.Get<string>("Type"));
        Assert.Equal("Partner Referral", opportunity.Get<string>("LeadSource"));
    }

    [Fact]
    public async Task Analytics_pipeline_groups_by_stage_over_the_documented_date_range()
    {
        await Host.ConnectAsync(User);
        var inRange = await IdsAsync("SELECT Id FROM Opportunity WHERE CloseDate >= 2025-01-01 AND CloseDate <= 2025-12-31");
        var expected = await new PipelineAnalytics().AnalyzeAsync(Sdk, new PipelineQuery
        {
            CloseDate = DateRange.Between(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)),
            GroupBy = PipelineDimension.Stage,
        }, Ct);

        var data = (await Host.PostAsync("analytics/pipeline", User, PipelineAnalytics)).Data;

        Assert.Equal("2025-01-01", data.GetProperty("start").GetString());
        Assert.Equal("2025-12-31", data.GetProperty("end").GetString());
        Assert.Equal(inRange.Count, data.GetProperty("count").GetInt32());
        var groups = data.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(expected.Groups.Select(g => (g.Key, g.Count)), groups.Select(g => (g.GetProperty("key").GetString(), g.GetProperty("count").GetInt32())));
        var openStages = await IdsAsync("SELECT ApiName FROM OpportunityStage WHERE IsActive = true AND IsClosed = false", "ApiName");
        Assert.All(groups, g => Assert.Contains(g.GetProperty("key").GetString(), openStages));
        Assert.Equal(expected.OpenCount, groups.Sum(g => g.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task Analytics_leads_counts_only_the_documented_sources_over_the_last_30_days()
    {
        await Host.ConnectAsync(User);

        // A lead from a listed source and one from another source, both created today.
        await Host.PostAsync("leads/create", User, LeadsCreate);
        await Host.PostAsync("leads/create", User, LeadsCreate.Replace("\"Web Form\"", "\"Web\"", StringComparison.Ordinal));
        var matching = await IdsAsync("SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:30 AND LeadSource IN ('Web', 'Referral', 'Partner')");
        Assert.NotEmpty(matching);
        var expected = await new LeadAnalytics().AnalyzeAsync(Sdk, new LeadQuery
        {
            CreatedDate = DateRange.Relative("last_30_days"),
            LeadSources = ["Web", "Referral", "Partner"],
        }, Ct);

        var data = (await Host.PostAsync("analytics/leads", User, LeadAnalytics)).Data;

        Assert.Equal(matching.Count, data.GetProperty("total").GetProperty("leads").GetInt32());
        Assert.Equal(expected.Total.Leads, data.GetProperty("total").GetProperty("leads").GetInt32());
        var groups = data.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()).ToList();
        Assert.Contains("Web", groups);
        Assert.All(groups, key => Assert.Contains(key, new[] { "Web", "Referral", "Partner" }));
    }

    [Fact]
    public async Task A_query_Salesforce_refuses_comes_back_as_the_documented_api_error_envelope()
    {
        await Host.ConnectAsync(User);

        // The documented condition with the number quoted: a comparison of a field with a literal, so the pack's filter
        // guard lets it through; Salesforce refuses it (a number field's value must not be quoted) with MALFORMED_QUERY.
        var reply = await Host.PostAsync("accounts/list", User, AccountsList.Replace("AnnualRevenue > 1000000", "AnnualRevenue > '1000000'", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var root = reply.Root;
        Assert.Equal(["ok", "error", "message", "status_code", "error_code", "service"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal("api_error", root.GetProperty("error").GetString());
        Assert.Equal(
            "value of filter criterion for field 'AnnualRevenue' must be of type double and should not be enclosed in quotes",
            root.GetProperty("message").GetString());
        Assert.Equal(400, root.GetProperty("status_code").GetInt32());
        Assert.Equal("MALFORMED_QUERY", root.GetProperty("error_code").GetString());
        Assert.Equal("salesforce_enhanced", root.GetProperty("service").GetString());

        // A condition the pack's own guard refuses never reaches Salesforce: the same code, but validation_error.
        (await Host.PostAsync("accounts/list", User, AccountsList.Replace("AnnualRevenue > 1000000", "AnnualRevenue > 1000000 AND", StringComparison.Ordinal)))
            .AssertError(400, "MALFORMED_QUERY", SalesforceEndpointErrors.ValidationError);
    }

    private async Task<List<string>> IdsAsync(string soql, string field = "Id")
    {
        var ids = new List<string>();
        await foreach (var record in Sdk.Query.QueryAsync<SObject>(soql, cancellationToken: Ct))
        {
            ids.Add(field == "Id" ? record.Id! : record.Get<string>(field)!);
        }

        return ids;
    }
}
