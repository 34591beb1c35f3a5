using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Tests.Pipeline;

namespace Atom.Salesforce.Client.Analytics.Tests.Data;

public sealed class OpportunitySetTests
{
    [Fact]
    public void Holds_every_opportunity_and_the_history_of_known_ones_only()
    {
        var history = PipelineSample.History().Append(PipelineSample.Row("unknown", "2026-01-01T00:00:00Z", "Prospecting", null));

        var set = OpportunitySet.Create(PipelineSample.Opportunities(), history);

        Assert.Equal(7, set.Count);
        Assert.Equal(16, set.HistoryCount);
        Assert.Equal(StageDefinition.SalesforceDefaults, set.Stages);
    }

    [Fact]
    public void Sorts_each_opportunitys_history_by_time_whatever_the_input_order()
    {
        var inOrder = OpportunitySet.Create(PipelineSample.Opportunities(), PipelineSample.History());
        var reversed = OpportunitySet.Create(PipelineSample.Opportunities(), PipelineSample.History().Reverse());

        Assert.Equal(inOrder.HistoryStage, reversed.HistoryStage);
        Assert.Equal(inOrder.HistoryTicks, reversed.HistoryTicks);
        // O2's rows (the second opportunity) are rows 1 to 4: Prospecting, Qualification, Proposal, Proposal.
        Assert.Equal([1, 5], new[] { reversed.HistoryStart[1], reversed.HistoryStart[2] });
        Assert.Equal([0, 1, 6, 6], reversed.HistoryStage[1..5]);
    }

    [Fact]
    public void Appends_stages_missing_from_the_definitions_and_learns_closed_ones_from_records()
    {
        var set = OpportunitySet.Create(
            [
                PipelineSample.Deal("X1", "Discovery", 1, 10, "2026-01-01", "2025-12-01", "A", null, "New", "Pipeline"),
                PipelineSample.Deal("X2", "Signed", 1, 100, "2026-01-01", "2025-12-01", "A", null, "New", "Closed", closed: true, won: true),
            ],
            stages: [new StageDefinition { Name = "Discovery" }]);

        Assert.Equal([new StageDefinition { Name = "Discovery" }, new StageDefinition
        {
            Name = "Signed",
            IsClosed = true,
            IsWon = true,
        }], set.Stages);
    }

    [Fact]
    public void A_repeated_id_is_refused()
    {
        var deal = PipelineSample.Opportunities()[0];

        Assert.Throws<ArgumentException>(() => OpportunitySet.Create([deal, deal]));
    }

    [Fact]
    public async Task Builds_the_same_set_from_async_streams()
    {
        var set = await OpportunitySet.CreateAsync(
            PipelineSample.Opportunities().ToAsyncEnumerable(),
            PipelineSample.History().ToAsyncEnumerable(),
            cancellationToken: TestContext.Current.CancellationToken);

        var expected = PipelineSample.Set();
        Assert.Equal(expected.Count, set.Count);
        Assert.Equal(expected.Amount, set.Amount);
        Assert.Equal(expected.HistoryTicks, set.HistoryTicks);
    }

    [Fact]
    public void The_builder_gives_the_set_create_gives_for_the_same_values()
    {
        var builder = new OpportunitySetBuilder();
        foreach (var o in PipelineSample.Opportunities())
        {
            Add(builder, o);
        }

        foreach (var h in PipelineSample.History().Append(PipelineSample.Row("unknown", "2026-01-01T00:00:00Z", "Prospecting", null)))
        {
            builder.AddHistory(h.OpportunityId, h.StageName, h.CreatedDate, h.CloseDate);
        }

        var set = builder.Build();

        var expected = PipelineSample.Set();
        Assert.Equal(expected.Ids, set.Ids);
        Assert.Equal(expected.Amount, set.Amount);
        Assert.Equal(expected.Probability, set.Probability);
        Assert.Equal(expected.Flags, set.Flags);
        Assert.Equal(expected.CloseDay, set.CloseDay);
        Assert.Equal(expected.CreatedDay, set.CreatedDay);
        Assert.Equal(expected.ForecastSlot, set.ForecastSlot);
        Assert.Equal(expected.OwnerLabels, set.OwnerLabels);
        Assert.Equal(expected.HistoryStart, set.HistoryStart);
        Assert.Equal(expected.HistoryStage, set.HistoryStage);
        Assert.Equal(expected.HistoryTicks, set.HistoryTicks);
        Assert.Equal(expected.HistoryCloseDay, set.HistoryCloseDay);
        Assert.Equal(expected.Stages, set.Stages);
        Assert.Throws<InvalidOperationException>(() => builder.Build());
        var twice = new OpportunitySetBuilder();
        Add(twice, PipelineSample.Opportunities()[0]);
        Assert.Throws<ArgumentException>(() => Add(twice, PipelineSample.Opportunities()[0]));
    }

    private static void Add(OpportunitySetBuilder builder, OpportunityRecord o) =>
        builder.AddOpportunity(o.Id, o.StageName, o.IsClosed, o.IsWon, o.Amount, o.Probability, o.CloseDate, o.CreatedDate, o.OwnerId, o.LeadSource, o.Type, o.ForecastCategoryName);

    [Fact]
    public async Task Null_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => OpportunitySet.Create(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => OpportunitySet.CreateAsync(null!, cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(() => OpportunityLoader.LoadAsync(null!, cancellationToken: TestContext.Current.CancellationToken));
    }
}
