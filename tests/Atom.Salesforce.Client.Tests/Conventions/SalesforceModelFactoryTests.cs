using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Tests.Conventions;

/// <summary>
/// <see cref="SalesforceModelFactory"/> lets users build every result of the client in their own tests, since results have
/// no public constructor (issue 17, "Results that can grow").
/// </summary>
public sealed class SalesforceModelFactoryTests
{
    private static readonly Type Factory = typeof(SalesforceModelFactory);

    [Fact]
    public void Every_result_users_cannot_build_has_a_factory_method()
    {
        // Not results: a subrequest is a handle the request builder returns; a Bulk result page streams rows from an open
        // response; the governor is the service AddApiGovernance registers.
        Assert.Empty(ModelFactoryConventions.ModelsWithoutFactoryMethod(
            typeof(SalesforceClient).Assembly,
            Factory,
            typeof(Atom.Salesforce.Client.Composite.CompositeSubrequest),
            typeof(BulkQueryResultPage),
            typeof(Atom.Salesforce.Client.Governance.ApiGovernor)));
        Assert.Contains(typeof(SaveResult), ModelFactoryConventions.OutputModels(typeof(SalesforceClient).Assembly));
    }

    [Fact]
    public void Every_stored_property_has_a_parameter_and_every_parameter_is_optional()
    {
        Assert.Empty(ModelFactoryConventions.PropertiesWithoutParameter(Factory));
        Assert.Empty(ModelFactoryConventions.ParametersThatAreRequiredOrNameNoProperty(Factory));
    }

    [Fact]
    public void Each_parameter_lands_in_the_property_of_the_same_name()
    {
        Assert.Empty(ModelFactoryConventions.ParametersThatDoNotLandInTheirProperty(Factory));
    }

    [Fact]
    public void No_public_record_is_positional_or_has_a_public_constructor_with_parameters()
    {
        var sdk = typeof(SalesforceClient).Assembly;

        Assert.Empty(ModelFactoryConventions.PositionalRecords(sdk));
        // Inputs whose constructors check what they are given: the SOQL syntax tree's nodes (SoqlFrom("Account")) and the
        // token an app stores after its own OAuth flow (SalesforceToken(accessToken, instanceUrl, issuedAt)).
        Assert.Equal(
            ["Atom.Salesforce.Client.Auth.SalesforceToken"],
            ModelFactoryConventions.RecordsWithAParameterizedPublicConstructor(sdk, "Atom.Salesforce.Client.Soql"));
        Assert.Null(typeof(SaveResult).GetMethod("Deconstruct"));
    }

    [Fact]
    public void Omitted_values_are_empty_not_null()
    {
        var error = SalesforceModelFactory.SalesforceError();
        var row = SalesforceModelFactory.BulkIngestRowResult();

        Assert.Equal(string.Empty, error.ErrorCode);
        Assert.Equal(string.Empty, error.Message);
        Assert.Empty(error.Fields);
        Assert.Empty(row.Errors);
        Assert.Empty(row.Fields);
        Assert.NotNull(SalesforceModelFactory.BulkIngestJobRows().Job);
        Assert.Empty(SalesforceModelFactory.CompositeResult().Responses);
    }

    [Fact]
    public void A_saved_row_is_Saved_and_a_refused_one_Refused_unless_an_outcome_is_given()
    {
        Assert.Equal(SaveRowOutcome.Saved, SalesforceModelFactory.SaveResult(success: true).Outcome);
        Assert.Equal(SaveRowOutcome.Refused, SalesforceModelFactory.SaveResult(success: false).Outcome);
        Assert.Equal(SaveRowOutcome.Unknown, SalesforceModelFactory.SaveResult(outcome: SaveRowOutcome.Unknown).Outcome);
    }

    [Fact]
    public void Results_keep_value_equality()
    {
        var first = SalesforceModelFactory.BulkJobProgress(jobId: "750000000000001AAA", state: BulkJobState.InProgress, recordsProcessed: 10);
        var second = SalesforceModelFactory.BulkJobProgress(jobId: "750000000000001AAA", state: BulkJobState.InProgress, recordsProcessed: 10);

        Assert.Equal(first, second);
        Assert.NotEqual(first, second with { RecordsFailed = 1 });
    }

    [Fact]
    public void Row_fields_are_read_case_insensitively_as_from_a_result_file()
    {
        var row = SalesforceModelFactory.BulkIngestRowResult(fields: new Dictionary<string, string> { ["Name"] = "Acme" });

        Assert.Equal("Acme", row.Fields["NAME"]);
    }

    [Fact]
    public void A_subresponse_body_is_read_like_one_from_Salesforce()
    {
        using var body = System.Text.Json.JsonDocument.Parse("""{"id":"001000000000001AAA","success":true,"errors":[]}""");
        var response = SalesforceModelFactory.CompositeSubresponse(referenceId: "NewAccount", statusCode: 201, body: body.RootElement.Clone());

        Assert.True(response.IsSuccess);
        Assert.Equal("001000000000001AAA", response.Id);
        Assert.Equal("001000000000001AAA", response.Read<Dictionary<string, object>>()!["id"].ToString());
    }

    [Fact]
    public void An_api_exception_can_carry_factory_made_errors()
    {
        var error = SalesforceModelFactory.SalesforceError(SalesforceError.Codes.InvalidField, "No such column 'Foo__c'", ["Foo__c"]);
        var exception = new SalesforceApiException(System.Net.HttpStatusCode.BadRequest, [error]);

        Assert.Equal(SalesforceError.Codes.InvalidField, exception.ErrorCode);
        Assert.Equal(["Foo__c"], exception.Errors[0].Fields);
    }
}
