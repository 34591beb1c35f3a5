namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// Builds an <see cref="OpportunitySet"/> one row at a time from typed values, for a source that reads columns (a database
/// reader) and need not make an <see cref="OpportunityRecord"/> per row. The set is the one
/// <see cref="OpportunitySet.Create"/> gives for records with the same values. Add the opportunities first, then their history
/// (history rows of opportunities not added are dropped). Not thread-safe; use once.
/// </summary>
public sealed class OpportunitySetBuilder
{
    private readonly OpportunitySet.Builder _builder;
    private bool _built;

    /// <summary>Starts a set with the stage picklist in order.</summary>
    /// <param name="stages">The stage picklist in order; null for <see cref="StageDefinition.SalesforceDefaults"/>.</param>
    public OpportunitySetBuilder(IReadOnlyList<StageDefinition>? stages = null) => _builder = new OpportunitySet.Builder(stages);

    /// <summary>Adds an opportunity (the fields of <see cref="OpportunityRecord"/> the set keeps).</summary>
    /// <param name="id">The opportunity's id; unique.</param>
    /// <param name="stageName">Its stage.</param>
    /// <param name="isClosed">Whether the stage is closed.</param>
    /// <param name="isWon">Whether the stage is won.</param>
    /// <param name="amount">Its amount; null when blank.</param>
    /// <param name="probability">Its probability in percent; null when blank.</param>
    /// <param name="closeDate">Its close date.</param>
    /// <param name="createdDate">When it was created.</param>
    /// <param name="ownerId">Its owner's id.</param>
    /// <param name="leadSource">Its lead source.</param>
    /// <param name="type">Its type.</param>
    /// <param name="forecastCategoryName">Its forecast category.</param>
    /// <exception cref="ArgumentException">The id was added before, or the data holds more than <see cref="OpportunitySet.MaxStages"/> stages.</exception>
    /// <exception cref="InvalidOperationException">The set was built.</exception>
    public void AddOpportunity(
        string id,
        string stageName,
        bool isClosed,
        bool isWon,
        decimal? amount,
        double? probability,
        DateOnly closeDate,
        DateTimeOffset createdDate,
        string? ownerId,
        string? leadSource,
        string? type,
        string? forecastCategoryName)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(stageName);
        ThrowIfBuilt();
        _builder.Add(id, stageName, isClosed, isWon, amount, probability, closeDate, createdDate, ownerId, leadSource, type, forecastCategoryName);
    }

    /// <summary>Adds an OpportunityHistory row (the fields of <see cref="OpportunityHistoryRecord"/> the set keeps).</summary>
    /// <param name="opportunityId">The opportunity it belongs to; a row of an opportunity not added is dropped.</param>
    /// <param name="stageName">The stage it records.</param>
    /// <param name="createdDate">When it was written.</param>
    /// <param name="closeDate">The close date it records; null when blank.</param>
    /// <exception cref="ArgumentException">The data holds more than <see cref="OpportunitySet.MaxStages"/> stages.</exception>
    /// <exception cref="InvalidOperationException">The set was built.</exception>
    public void AddHistory(string opportunityId, string stageName, DateTimeOffset createdDate, DateOnly? closeDate)
    {
        ArgumentNullException.ThrowIfNull(opportunityId);
        ArgumentNullException.ThrowIfNull(stageName);
        ThrowIfBuilt();
        _builder.Add(opportunityId, stageName, createdDate, closeDate);
    }

    /// <summary>The set of the rows added.</summary>
    /// <exception cref="InvalidOperationException">The set was built.</exception>
    public OpportunitySet Build()
    {
        ThrowIfBuilt();
        _built = true;
        return OpportunitySet.Build(_builder);
    }

    private void ThrowIfBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("The set was built; start another builder.");
        }
    }
}
