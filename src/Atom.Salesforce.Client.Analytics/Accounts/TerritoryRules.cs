namespace Atom.Salesforce.Client.Analytics.Accounts;

/// <summary>
/// One territory rule: an account matches when its BillingCountry is one of <see cref="Countries"/> (if set), its
/// BillingState one of <see cref="States"/> (if set) and its Industry one of <see cref="Industries"/> (if set). Values
/// compare case-insensitively, ignoring surrounding spaces. At least one criterion must be set.
/// </summary>
public sealed record TerritoryRule
{
    /// <summary>The territory an account matching the rule belongs to.</summary>
    public required string Territory { get; init; }

    /// <summary>Billing countries that match; null or empty for any.</summary>
    public IReadOnlyCollection<string>? Countries { get; init; }

    /// <summary>Billing states or provinces that match; null or empty for any.</summary>
    public IReadOnlyCollection<string>? States { get; init; }

    /// <summary>Industries that match; null or empty for any.</summary>
    public IReadOnlyCollection<string>? Industries { get; init; }
}

/// <summary>
/// Territory assignment: the rules are tried in order, the first that matches an account gives its territory, and an
/// account no rule matches goes to <see cref="DefaultTerritory"/>. Put narrow rules (a state, an industry in a country)
/// before broad ones (a country). Thread-safe once built.
/// </summary>
public sealed class TerritoryRules
{
    private readonly Compiled[] _compiled;

    /// <summary>Rules tried in order, and the territory of accounts none matches.</summary>
    /// <exception cref="ArgumentException">A territory name is blank, or a rule sets no criterion or a blank value.</exception>
    public TerritoryRules(IEnumerable<TerritoryRule> rules, string defaultTerritory = "Unassigned")
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultTerritory);
        Rules = [.. rules];
        DefaultTerritory = defaultTerritory;
        _compiled = new Compiled[Rules.Count];
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i] ?? throw new ArgumentException($"Territory rule {i + 1} is null.", nameof(rules));
            if (string.IsNullOrWhiteSpace(rule.Territory))
            {
                throw new ArgumentException($"Territory rule {i + 1} has no territory name.", nameof(rules));
            }

            var compiled = new Compiled(rule.Territory, Set(rule.Countries, i), Set(rule.States, i), Set(rule.Industries, i));
            if (compiled.Countries is null && compiled.States is null && compiled.Industries is null)
            {
                throw new ArgumentException(
                    $"Territory rule {i + 1} ({rule.Territory}) sets no country, state or industry; use the default territory for the rest.", nameof(rules));
            }

            _compiled[i] = compiled;
        }
    }

    /// <summary>No rules: every account goes to the default territory, <c>Unassigned</c>.</summary>
    public static TerritoryRules None { get; } = new([]);

    /// <summary>The rules, in the order they are tried.</summary>
    public IReadOnlyList<TerritoryRule> Rules { get; }

    /// <summary>The territory of accounts no rule matches.</summary>
    public string DefaultTerritory { get; }

    /// <summary>The territory of an account with these billing and industry values.</summary>
    public string Assign(string? billingCountry, string? billingState, string? industry)
    {
        var country = billingCountry?.Trim();
        var state = billingState?.Trim();
        var sector = industry?.Trim();
        foreach (var rule in _compiled)
        {
            if (PicklistFilter.Passes(rule.Countries, country) && PicklistFilter.Passes(rule.States, state) && PicklistFilter.Passes(rule.Industries, sector))
            {
                return rule.Territory;
            }
        }

        return DefaultTerritory;
    }

    private static HashSet<string>? Set(IReadOnlyCollection<string>? values, int index)
    {
        if (values is not { Count: > 0 })
        {
            return null;
        }

        if (values.Any(string.IsNullOrWhiteSpace))
        {
            throw CallerArgument.Invalid($"Territory rule {index + 1} holds a blank value.", "rules");
        }

        return new HashSet<string>(values.Select(v => v.Trim()), StringComparer.OrdinalIgnoreCase);
    }

    private sealed record Compiled(string Territory, HashSet<string>? Countries, HashSet<string>? States, HashSet<string>? Industries);
}
