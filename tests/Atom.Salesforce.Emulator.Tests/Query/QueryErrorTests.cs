using System.Net;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>Queries Salesforce refuses, with its codes and messages.</summary>
public sealed class QueryErrorTests
{
    private const string FieldHint = "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

    [Fact]
    public async Task Unknown_objects_fields_and_relationships_are_INVALID_TYPE_and_INVALID_FIELD_with_a_caret()
    {
        await using var org = QueryTestOrg.Create();

        var type = await org.ErrorAsync("SELECT Id FROM Widget");
        var field = await org.ErrorAsync("SELECT Idd FROM Account");
        var parent = await org.ErrorAsync("SELECT Account.Nope FROM Contact");
        var relationship = await org.ErrorAsync("SELECT Acount.Name FROM Contact");
        var child = await org.ErrorAsync("SELECT Id, (SELECT Id FROM Widgets) FROM Account");

        Assert.Equal(HttpStatusCode.BadRequest, type.Status);
        Assert.Equal("INVALID_TYPE", type.Code);
        Assert.EndsWith("sObject type 'Widget' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", type.Message, StringComparison.Ordinal);
        Assert.Equal("INVALID_FIELD", field.Code);
        Assert.Equal($"\nSELECT Idd FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Idd' on entity 'Account'. {FieldHint}", field.Message);
        Assert.EndsWith($"No such column 'Nope' on entity 'Account'. {FieldHint}", parent.Message, StringComparison.Ordinal);
        Assert.Equal("INVALID_FIELD", relationship.Code);
        Assert.Contains("Didn't understand relationship 'Acount' in field path.", relationship.Message, StringComparison.Ordinal);
        Assert.Equal("INVALID_TYPE", child.Code);
        Assert.Contains("Didn't understand relationship 'Widgets' in FROM part of query call.", child.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Syntax_errors_are_MALFORMED_QUERY_in_Salesforces_words_and_the_SDK_surfaces_them()
    {
        await using var org = QueryTestOrg.Create();

        var error = await org.ErrorAsync("SELECT Id FRM Account");
        var sdk = await Assert.ThrowsAsync<SalesforceApiException>(() => org.QueryAsync("SELECT Name FROM Account WHERE"));

        Assert.Equal("MALFORMED_QUERY", error.Code);
        Assert.StartsWith("\nSELECT Id FRM Account\n              ^\nERROR at Row:1:Column:15\nunexpected token: 'Account'", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, sdk.Status);
        Assert.Equal("MALFORMED_QUERY", sdk.ErrorCode);
    }

    [Theory]
    [InlineData("SELECT Id, Name, id FROM Account", "INVALID_FIELD", "duplicate field selected: id")]
    [InlineData("SELECT Id, FIELDS(ALL) FROM User LIMIT 200", "INVALID_FIELD", "duplicate field selected: Id")]
    [InlineData("SELECT Account.Name, Account.name FROM Contact", "INVALID_FIELD", "duplicate field selected: Account.name")]
    [InlineData("SELECT FIELDS(ALL) FROM Account", "MALFORMED_QUERY", "The SOQL FIELDS function must have a LIMIT of at most 200")]
    [InlineData("SELECT FIELDS(CUSTOM) FROM Account LIMIT 201", "MALFORMED_QUERY", "The SOQL FIELDS function must have a LIMIT of at most 200")]
    [InlineData("SELECT FIELDS(CUSTOM) FROM Contact LIMIT 10", "MALFORMED_QUERY", "'FIELDS(...)' expansion function must result in at least one field being selected.")]
    [InlineData("SELECT Name n FROM Account", "MALFORMED_QUERY", "Only aggregate expressions use field aliasing")]
    [InlineData("SELECT Id FROM Account WHERE Id IN (SELECT Id FROM Account)", "MALFORMED_QUERY", "The inner and outer selects should not be on the same object type")]
    [InlineData("SELECT Id FROM Account WHERE Name = 'x' OR Id IN (SELECT AccountId FROM Contact)", "MALFORMED_QUERY", "Semi join sub-selects are not allowed with the 'OR' operator")]
    [InlineData("SELECT Id FROM Account WHERE NOT (Id IN (SELECT AccountId FROM Contact))", "MALFORMED_QUERY", "Semi join sub-selects are not allowed with the 'NOT' operator")]
    [InlineData("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact) AND Id IN (SELECT AccountId FROM Opportunity) AND Id IN (SELECT AccountId FROM Contact)", "MALFORMED_QUERY", "Maximum 2 semi join sub-selects are allowed")]
    [InlineData("SELECT Id FROM Account WHERE Name IN (SELECT LastName FROM Contact)", "MALFORMED_QUERY", "Semi join sub-selects are only allowed on Id and reference fields, not on Name")]
    [InlineData("SELECT Id FROM Account WHERE Id IN (SELECT LastName FROM Contact)", "MALFORMED_QUERY", "The selected field in a semi join sub-select must be a single Id or reference field")]
    [InlineData("SELECT Id FROM Contact WHERE Account.Owner.Manager.Manager.Manager.Manager.Name = 'x'", "MALFORMED_QUERY", "SOQL statements cannot query relationships that are more than 5 levels away.")]
    [InlineData("SELECT Id FROM Account WHERE Name = 5", "INVALID_QUERY_FILTER_OPERATOR", "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes")]
    [InlineData("SELECT Id FROM Account WHERE AnnualRevenue = '5'", "MALFORMED_QUERY", "value of filter criterion for field 'AnnualRevenue' must be of type double and should not be enclosed in quotes")]
    [InlineData("SELECT Id FROM Opportunity WHERE CloseDate = '2025-12-31'", "INVALID_FIELD", "value of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes")]
    [InlineData("SELECT Id FROM Account WHERE Description = 'x'", "INVALID_FIELD", "field 'Description' can not be filtered in a query call")]
    [InlineData("SELECT Id FROM Account ORDER BY Tags__c", "INVALID_FIELD", "field 'Tags__c' can not be sorted in a query call")]
    [InlineData("SELECT Id FROM Account WHERE Name INCLUDES ('x')", "INVALID_QUERY_FILTER_OPERATOR", "includes or excludes operator only valid on multipicklist field: Name")]
    [InlineData("SELECT CALENDAR_YEAR(CreatedDate) FROM Account", "MALFORMED_QUERY", "Field must be grouped or aggregated: CALENDAR_YEAR(CreatedDate)")]
    [InlineData("SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) = THIS_YEAR", "MALFORMED_QUERY", "Date functions cannot be compared with date literals: CALENDAR_YEAR(CreatedDate) = THIS_YEAR")]
    [InlineData("SELECT Id FROM Account USING SCOPE team", "MALFORMED_QUERY", "USING SCOPE team is not supported for Account: the emulated org has no teams, territories or delegation")]
    public async Task Semantic_rules_are_enforced(string soql, string code, string message)
    {
        await using var org = QueryTestOrg.Create();

        var error = await org.ErrorAsync(soql);

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal((code, message), (error.Code, error.Message));
    }

    [Fact]
    public async Task OFFSET_over_2000_is_NUMBER_OUTSIDE_VALID_RANGE()
    {
        await using var org = QueryTestOrg.Create();

        var error = await org.ErrorAsync("SELECT Id FROM Account OFFSET 2001");
        var allowed = await org.SoqlAsync("SELECT Id FROM Account OFFSET 2000");

        Assert.Equal(("NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000"), (error.Code, error.Message));
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
    }

    [Fact]
    public async Task A_query_resource_without_q_is_refused_and_nothing_is_written()
    {
        await using var org = QueryTestOrg.Create();
        var before = org.Data().Records(org.Data().Schema.Find("Account")!).Count;

        var (status, body) = await org.GetAsync("/services/data/v66.0/query");
        var sdk = await Assert.ThrowsAsync<SalesforceApiException>(() => org.Client.SObjects.CreateAsync("Widget", new SObject("Widget") { ["Name"] = "x" }, QueryTestOrg.Ct));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MALFORMED_QUERY", body[0].GetProperty("errorCode").GetString());
        Assert.Equal(before, org.Data().Records(org.Data().Schema.Find("Account")!).Count);
        Assert.NotNull(sdk);
    }
}
