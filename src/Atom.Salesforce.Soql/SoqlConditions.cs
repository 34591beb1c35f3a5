namespace Atom.Salesforce.Soql;

/// <summary>A condition of WHERE or HAVING. <see cref="ToString"/> prints it as SOQL.</summary>
public abstract record SoqlCondition
{
    private protected SoqlCondition()
    {
    }

    /// <summary>The condition as canonical SOQL.</summary>
    public sealed override string ToString() => SoqlFormatter.Format(this);
}

/// <summary><c>Field operator value</c>: <c>Name = 'Acme'</c>, <c>Amount &gt; 1000</c>, <c>Name LIKE 'A%'</c>.</summary>
public sealed record SoqlComparison : SoqlCondition
{
    /// <summary>Creates a comparison.</summary>
    public SoqlComparison(SoqlExpression left, SoqlComparisonOperator @operator, SoqlExpression right)
    {
        Left = left ?? throw new ArgumentNullException(nameof(left));
        Operator = Enum.IsDefined(@operator) ? @operator : throw new ArgumentOutOfRangeException(nameof(@operator));
        Right = right ?? throw new ArgumentNullException(nameof(right));
    }

    /// <summary>The field, function or arithmetic being compared.</summary>
    public SoqlExpression Left { get; }

    /// <summary>The operator.</summary>
    public SoqlComparisonOperator Operator { get; }

    /// <summary>The value compared with.</summary>
    public SoqlExpression Right { get; }
}

/// <summary><c>Field IN ('a', 'b')</c>, <c>NOT IN</c>, <c>INCLUDES</c>, <c>EXCLUDES</c> with a list of values.</summary>
public sealed record SoqlSetComparison : SoqlCondition
{
    /// <summary>Creates a set comparison.</summary>
    public SoqlSetComparison(SoqlExpression left, SoqlSetOperator @operator, SoqlList<SoqlExpression> values)
    {
        Left = left ?? throw new ArgumentNullException(nameof(left));
        Operator = Enum.IsDefined(@operator) ? @operator : throw new ArgumentOutOfRangeException(nameof(@operator));
        Values = SoqlNames.RequireNonEmpty(values, nameof(values), "An IN, INCLUDES or EXCLUDES list");
    }

    /// <summary>The field being compared.</summary>
    public SoqlExpression Left { get; }

    /// <summary>The operator.</summary>
    public SoqlSetOperator Operator { get; }

    /// <summary>The values, at least one.</summary>
    public SoqlList<SoqlExpression> Values { get; }
}

/// <summary>Apex only: <c>Field IN :ids</c>, a set comparison against one bind expression.</summary>
public sealed record SoqlSetBind : SoqlCondition
{
    /// <summary>Creates a set comparison with a bind expression.</summary>
    public SoqlSetBind(SoqlExpression left, SoqlSetOperator @operator, SoqlBind bind)
    {
        Left = left ?? throw new ArgumentNullException(nameof(left));
        Operator = Enum.IsDefined(@operator) ? @operator : throw new ArgumentOutOfRangeException(nameof(@operator));
        Bind = bind ?? throw new ArgumentNullException(nameof(bind));
    }

    /// <summary>The field being compared.</summary>
    public SoqlExpression Left { get; }

    /// <summary>The operator.</summary>
    public SoqlSetOperator Operator { get; }

    /// <summary>The bind expression.</summary>
    public SoqlBind Bind { get; }
}

/// <summary>
/// A semi-join (<c>Id IN (SELECT AccountId FROM Opportunity)</c>) or, negated, an anti-join
/// (<c>Id NOT IN (SELECT ...)</c>).
/// </summary>
public sealed record SoqlSemiJoin : SoqlCondition
{
    /// <summary>Creates a semi-join or anti-join.</summary>
    public SoqlSemiJoin(SoqlField left, bool negated, SoqlQuery subquery)
    {
        Left = left ?? throw new ArgumentNullException(nameof(left));
        Negated = negated;
        Subquery = subquery ?? throw new ArgumentNullException(nameof(subquery));
    }

    /// <summary>The Id or reference field.</summary>
    public SoqlField Left { get; }

    /// <summary>True for <c>NOT IN</c> (an anti-join).</summary>
    public bool Negated { get; }

    /// <summary>The subquery selecting one Id or reference field.</summary>
    public SoqlQuery Subquery { get; }
}

/// <summary>Conditions joined by <c>AND</c>.</summary>
public sealed record SoqlAnd : SoqlCondition
{
    /// <summary>Joins two or more conditions with AND.</summary>
    public SoqlAnd(SoqlList<SoqlCondition> operands) => Operands = RequireTwo(operands, nameof(operands));

    /// <summary>The operands, at least two.</summary>
    public SoqlList<SoqlCondition> Operands { get; }

    internal static SoqlList<SoqlCondition> RequireTwo(SoqlList<SoqlCondition> operands, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(operands, parameterName);
        return operands.Count >= 2 ? operands : throw new ArgumentException("AND and OR join at least two conditions.", parameterName);
    }
}

/// <summary>Conditions joined by <c>OR</c>.</summary>
public sealed record SoqlOr : SoqlCondition
{
    /// <summary>Joins two or more conditions with OR.</summary>
    public SoqlOr(SoqlList<SoqlCondition> operands) => Operands = SoqlAnd.RequireTwo(operands, nameof(operands));

    /// <summary>The operands, at least two.</summary>
    public SoqlList<SoqlCondition> Operands { get; }
}

/// <summary><c>NOT condition</c>.</summary>
public sealed record SoqlNot : SoqlCondition
{
    /// <summary>Negates a condition.</summary>
    public SoqlNot(SoqlCondition operand) => Operand = operand ?? throw new ArgumentNullException(nameof(operand));

    /// <summary>The negated condition.</summary>
    public SoqlCondition Operand { get; }
}

/// <summary>
/// A condition in parentheses. The parser keeps every pair it reads, so that a query prints back as written; the
/// formatter adds the pairs SOQL requires (AND inside OR, OR inside AND) when a tree built by hand leaves them out.
/// </summary>
public sealed record SoqlParenthesized : SoqlCondition
{
    /// <summary>Puts a condition in parentheses.</summary>
    public SoqlParenthesized(SoqlCondition inner) => Inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The condition inside.</summary>
    public SoqlCondition Inner { get; }
}
