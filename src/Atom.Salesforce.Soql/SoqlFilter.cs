using Atom.Salesforce.Soql.Errors;

namespace Atom.Salesforce.Soql;

/// <summary>
/// Vets a WHERE condition that comes from outside (a query-string parameter, a saved view) before it goes into a query.
/// The text is parsed, every part is checked against an allow-list of fields, and what goes into the query is the
/// canonical print of the checked tree, never the caller's text. Accepted: comparisons of allowed fields with literal
/// values (<c>=</c>, <c>!=</c>, <c>&lt;</c>, <c>LIKE</c>, <c>IN</c>, <c>INCLUDES</c>, ...), joined by AND, OR, NOT and
/// parentheses. Refused: any other field, functions, subqueries, bind variables, comments, semicolons, other clauses.
/// </summary>
/// <example>
/// <code>
/// var filter = new SoqlFilter(["Name", "Industry", "AnnualRevenue"]);
/// SoqlQuery query = filter.ApplyTo(SoqlQuery.Parse("SELECT Id, Name FROM Account WHERE OwnerId = '005...'"), userText);
/// </code>
/// </example>
public sealed class SoqlFilter
{
    private readonly Dictionary<string, string> _allowed;

    /// <summary>Creates a guard that accepts conditions on the given fields only (matched case-insensitively).</summary>
    /// <param name="allowedFields">Field names or relationship paths (<c>Account.Name</c>) a condition may use.</param>
    public SoqlFilter(IEnumerable<string> allowedFields)
    {
        ArgumentNullException.ThrowIfNull(allowedFields);
        _allowed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in allowedFields)
        {
            SoqlNames.RequirePath(field, nameof(allowedFields));
            _allowed.TryAdd(field, field);
        }

        if (_allowed.Count == 0)
        {
            throw new ArgumentException("Allow at least one field.", nameof(allowedFields));
        }
    }

    /// <summary>The longest condition accepted, in characters. 4,000 by default.</summary>
    public int MaxLength { get; init; } = 4_000;

    /// <summary>The most comparisons a condition may hold. 50 by default.</summary>
    public int MaxComparisons { get; init; } = 50;

    /// <summary>The fields a condition may use.</summary>
    public IReadOnlyCollection<string> AllowedFields => _allowed.Values;

    /// <summary>
    /// Parses and checks a condition. Fields come back spelled as in the allow-list; print the result with
    /// <see cref="SoqlCondition.ToString"/> or put it into a query with <see cref="ApplyTo"/>.
    /// </summary>
    /// <exception cref="SoqlFilterException">The condition is not valid SOQL or uses something not allowed; the message says what.</exception>
    public SoqlCondition Parse(string condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (string.IsNullOrWhiteSpace(condition))
        {
            throw new SoqlFilterException("The filter is empty.");
        }

        if (condition.Length > MaxLength)
        {
            throw new SoqlFilterException($"The filter has {condition.Length:N0} characters; at most {MaxLength:N0} are accepted.");
        }

        SoqlCondition parsed;
        try
        {
            parsed = SoqlParser.ParseCondition(condition, SoqlParseOptions.Default);
        }
        catch (SoqlSyntaxException e)
        {
            throw new SoqlFilterException($"The filter is not a valid SOQL condition: {e.Message}", e);
        }

        var comparisons = 0;
        return Check(parsed, ref comparisons);
    }

    /// <summary>Like <see cref="Parse"/>, without an exception: false and the reason when the condition is refused.</summary>
    public bool TryParse(string condition, out SoqlCondition? result, out string? error)
    {
        try
        {
            result = Parse(condition);
            error = null;
            return true;
        }
        catch (SoqlFilterException e)
        {
            result = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Checks <paramref name="condition"/> and adds it to the query's WHERE with AND, each side in parentheses so that an
    /// OR in the filter cannot widen the query's own condition.
    /// </summary>
    /// <exception cref="SoqlFilterException">The condition is refused.</exception>
    public SoqlQuery ApplyTo(SoqlQuery query, string condition)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new SoqlParenthesized(Parse(condition));
        return query with
        {
            Where = query.Where is null ? filter : new SoqlAnd([Parenthesize(query.Where), filter]),
        };
    }

    private static SoqlCondition Parenthesize(SoqlCondition condition) => condition is SoqlParenthesized ? condition : new SoqlParenthesized(condition);

    private SoqlCondition Check(SoqlCondition condition, ref int comparisons)
    {
        switch (condition)
        {
            case SoqlComparison comparison:
                Count(ref comparisons);
                return new SoqlComparison(Field(comparison.Left), comparison.Operator, Value(comparison.Right));
            case SoqlSetComparison set:
                Count(ref comparisons);
                return new SoqlSetComparison(Field(set.Left), set.Operator, SoqlList.From(set.Values.Select(Value)));
            case SoqlSemiJoin:
                throw new SoqlFilterException("Subqueries are not allowed in a filter.");
            case SoqlAnd and:
                return new SoqlAnd(CheckAll(and.Operands, ref comparisons));
            case SoqlOr or:
                return new SoqlOr(CheckAll(or.Operands, ref comparisons));
            case SoqlNot not:
                return new SoqlNot(Check(not.Operand, ref comparisons));
            case SoqlParenthesized parenthesized:
                return new SoqlParenthesized(Check(parenthesized.Inner, ref comparisons));
            default:
                throw new SoqlFilterException("Only comparisons of fields with values, joined by AND, OR and NOT, are allowed in a filter.");
        }
    }

    private SoqlList<SoqlCondition> CheckAll(SoqlList<SoqlCondition> operands, ref int comparisons)
    {
        var checkedOperands = new SoqlCondition[operands.Count];
        for (var i = 0; i < operands.Count; i++)
        {
            checkedOperands[i] = Check(operands[i], ref comparisons);
        }

        return SoqlList.Create<SoqlCondition>(checkedOperands);
    }

    private void Count(ref int comparisons)
    {
        if (++comparisons > MaxComparisons)
        {
            throw new SoqlFilterException($"The filter has more than {MaxComparisons} comparisons.");
        }
    }

    private SoqlField Field(SoqlExpression expression)
    {
        if (expression is not SoqlField field)
        {
            throw new SoqlFilterException(expression is SoqlFunctionCall call
                ? $"Functions such as {call.Name}() are not allowed in a filter."
                : "Only plain fields can be compared in a filter.");
        }

        return _allowed.TryGetValue(field.Path, out var allowed)
            ? new SoqlField(allowed)
            : throw new SoqlFilterException($"The field '{SoqlNames.Excerpt(field.Path)}' cannot be used in a filter.");
    }

    private static SoqlExpression Value(SoqlExpression expression) =>
        expression as SoqlLiteral ?? throw new SoqlFilterException("Only literal values can be compared with in a filter.");
}
