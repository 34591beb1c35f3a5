namespace Atom.Salesforce.Client.Analytics.Accounts;

/// <summary>
/// How much each part of the account health score counts. The weights are relative: each part's maximum points are its
/// weight ÷ the sum of the weights × 100, so the parts always add up to at most 100. The defaults are 25, 20, 20, 15, 20.
/// </summary>
public sealed class HealthWeights
{
    /// <summary>Activity recency: how recently anything was logged on the account.</summary>
    public double ActivityRecency { get; init; } = 25;

    /// <summary>Activity frequency: how many activities in the last 90 days.</summary>
    public double ActivityFrequency { get; init; } = 20;

    /// <summary>Open pipeline: open deal amount against the org's average won deal.</summary>
    public double OpenPipeline { get; init; } = 20;

    /// <summary>Win rate of the account's closed deals.</summary>
    public double WinRate { get; init; } = 15;

    /// <summary>Engaged contacts: contacts with an activity in the last 90 days.</summary>
    public double EngagedContacts { get; init; } = 20;

    /// <summary>The sum of the weights.</summary>
    internal double Total => ActivityRecency + ActivityFrequency + OpenPipeline + WinRate + EngagedContacts;

    /// <summary>Throws unless every weight is a finite number ≥ 0 and at least one is above 0.</summary>
    /// <exception cref="ArgumentException">A weight is negative, not a number, or all are 0.</exception>
    public void Validate()
    {
        Check(ActivityRecency, nameof(ActivityRecency));
        Check(ActivityFrequency, nameof(ActivityFrequency));
        Check(OpenPipeline, nameof(OpenPipeline));
        Check(WinRate, nameof(WinRate));
        Check(EngagedContacts, nameof(EngagedContacts));
        if (Total <= 0)
        {
            throw new ArgumentException("At least one health weight must be above 0.", "weights");
        }

        static void Check(double weight, string name)
        {
            if (!double.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentException($"The health weight {name} must be a finite number of at least 0, not {weight}.", "weights");
            }
        }
    }
}
