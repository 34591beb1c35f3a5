namespace Atom.Salesforce.Client.Analytics.Duplicates;

/// <summary>How <see cref="DuplicateDetector"/> decides that two records are the same.</summary>
public sealed class DuplicateOptions
{
    /// <summary>
    /// The match score (0–1) from which a pair is reported as a duplicate; 0.8 by default. Lower finds more duplicates
    /// and more false ones.
    /// </summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>
    /// The largest block whose records are all compared with each other; 100 by default. A larger block (a key shared by
    /// very many records, such as the name prefix "john smith") is compared by sorted neighbourhood instead: its records are
    /// sorted by name and each is compared with the next <see cref="NeighbourhoodWindow"/> only, so the work stays linear.
    /// </summary>
    public int MaxBlockSize { get; init; } = 100;

    /// <summary>How many following records each record of an oversized block is compared with; 10 by default.</summary>
    public int NeighbourhoodWindow { get; init; } = 10;

    /// <summary>
    /// Include converted leads; false by default, because a converted lead is expected to match the contact and account
    /// it became.
    /// </summary>
    public bool IncludeConvertedLeads { get; init; }

    internal static DuplicateOptions Validate(DuplicateOptions? options)
    {
        options ??= new DuplicateOptions();
        if (double.IsNaN(options.Threshold) || options.Threshold is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Threshold, "DuplicateOptions.Threshold must be between 0 and 1.");
        }

        if (options.MaxBlockSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBlockSize, "DuplicateOptions.MaxBlockSize must be at least 2.");
        }

        if (options.NeighbourhoodWindow < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.NeighbourhoodWindow, "DuplicateOptions.NeighbourhoodWindow must be at least 1.");
        }

        return options;
    }
}
