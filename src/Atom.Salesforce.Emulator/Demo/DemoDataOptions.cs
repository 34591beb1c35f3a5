namespace Atom.Salesforce.Emulator.Demo;

/// <summary>
/// A believable sales org generated into the emulator when it starts (set <see cref="SalesforceEmulatorOptions.DemoData"/>):
/// sales reps with managers, campaigns with members, accounts with a parent hierarchy, contacts, leads (some converted),
/// opportunities with two years of stage history, contact roles, tasks and events. The same <see cref="RandomSeed"/>,
/// <see cref="Scale"/> and date of the org clock always give the same org, ids included, whatever the time of day (it is
/// written as of the last 12:00 UTC); <see cref="SalesforceEmulatorOptions.ClockStartingOn"/> fixes that date.
/// </summary>
/// <remarks>
/// At scale 1: about 20 sales users, 26 campaigns, 500 accounts, 2,000 contacts, 3,000 leads, 2,500 opportunities
/// (about 13,000 history rows), 7,000 tasks and 3,000 events, dated over the two years before the last 12:00 UTC on the
/// org clock (<see cref="SalesforceEmulatorOptions.TimeProvider"/>).
/// </remarks>
public sealed class DemoDataOptions
{
    /// <summary>The largest <see cref="Scale"/>: 10,000 accounts, 50,000 opportunities and 200,000 tasks and events.</summary>
    public const double MaxScale = 20;

    private double _scale = 1;

    /// <summary>The seed of the generator's random numbers; another seed gives another org of the same shape. 1 by default.</summary>
    public int RandomSeed { get; set; } = 1;

    /// <summary>
    /// Multiplies the record counts: 1 (the default) gives 500 accounts, 0.1 gives 50 (fast tests), 10 gives 5,000.
    /// Between 0 (excluded) and <see cref="MaxScale"/>; small scales keep a few records of each kind.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a number above 0 and at most <see cref="MaxScale"/>.</exception>
    public double Scale
    {
        get => _scale;
        set
        {
            if (!(value > 0 && value <= MaxScale))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The scale must be above 0 and at most {MaxScale}.");
            }

            _scale = value;
        }
    }
}
