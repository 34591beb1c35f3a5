using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Analytics.Testing;
using Atom.Salesforce.Client.Tests.Conventions;

namespace Atom.Salesforce.Client.Analytics.Tests.Conventions;

/// <summary>
/// <see cref="AnalyticsModelFactory"/> lets users build every analytics result in their own tests, since results have no
/// public constructor (issue 17, "Results that can grow").
/// </summary>
public sealed class AnalyticsModelFactoryTests
{
    private static readonly Type Factory = typeof(AnalyticsModelFactory);

    [Fact]
    public void Every_result_users_cannot_build_has_a_factory_method()
    {
        var outputs = ModelFactoryConventions.OutputModels(Factory.Assembly);

        Assert.Empty(ModelFactoryConventions.ModelsWithoutFactoryMethod(Factory.Assembly, Factory));
        Assert.Contains(typeof(PeriodRevenue), outputs);
        Assert.Contains(typeof(PipelineReport), outputs);
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
        Assert.Empty(ModelFactoryConventions.PositionalRecords(Factory.Assembly));
        Assert.Empty(ModelFactoryConventions.RecordsWithAParameterizedPublicConstructor(Factory.Assembly));
        Assert.Null(typeof(PeriodRevenue).GetMethod("Deconstruct"));
    }

    [Fact]
    public void Inputs_are_built_with_object_initializers_and_name_their_required_values()
    {
        var stage = new StageDefinition { Name = "Signed", IsClosed = true, IsWon = true };
        var keyword = new TitleKeywordPoints { Keyword = "VP", Points = 15 };

        Assert.Equal(new StageDefinition { Name = "Signed", IsClosed = true, IsWon = true }, stage);
        Assert.Equal("VP", keyword.Keyword);
        Assert.All(
            [typeof(StageDefinition).GetProperty(nameof(StageDefinition.Name))!, typeof(TitleKeywordPoints).GetProperty(nameof(TitleKeywordPoints.Points))!],
            p => Assert.Contains(p.CustomAttributes, a => a.AttributeType.Name == "RequiredMemberAttribute"));
    }

    [Fact]
    public void Omitted_values_are_empty_results_not_null()
    {
        var insight = AnalyticsModelFactory.AccountInsight(accountId: "001000000000001AAA");

        Assert.Equal("001000000000001AAA", insight.AccountId);
        Assert.NotNull(insight.Health);
        Assert.Empty(insight.Health.Components);
        Assert.Equal(0, insight.Engagement.Last30Days.Total);
    }

    [Fact]
    public void A_result_can_grow_a_copy_with_with()
    {
        var revenue = AnalyticsModelFactory.PeriodRevenue(period: "2026-Q1", wonRevenue: 125_000, wonCount: 4, priorYearRevenue: 100_000, yearOverYearChange: 0.25);

        var restated = revenue with { WonRevenue = 150_000, YearOverYearChange = 0.5 };

        Assert.Equal(4, restated.WonCount);
        Assert.NotEqual(revenue, restated);
        Assert.Equal(revenue, AnalyticsModelFactory.PeriodRevenue(period: "2026-Q1", wonRevenue: 125_000, wonCount: 4, priorYearRevenue: 100_000, yearOverYearChange: 0.25));
    }
}
