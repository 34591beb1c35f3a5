using Atom.Salesforce.Soql.Errors;

namespace Atom.Salesforce.Soql;

/// <summary>
/// A SOQL query as an immutable syntax tree. <see cref="Parse"/> reads SOQL text; <see cref="ToString"/> prints canonical
/// SOQL, and <c>SoqlQuery.Parse(query.ToString())</c> equals <c>query</c>. Build one in code with the typed builder or with object initializers.
/// </summary>
public sealed record SoqlQuery
{
    private readonly SoqlList<SoqlSelectItem> _select;
    private readonly SoqlFrom _from;
    private readonly int? _limit;
    private readonly int? _offset;

    /// <summary>Creates a query with a SELECT list and FROM clause; set the other clauses with an object initializer.</summary>
    public SoqlQuery(SoqlList<SoqlSelectItem> select, SoqlFrom from)
    {
        _select = SoqlNames.RequireNonEmpty(select, nameof(select), "SELECT");
        _from = from ?? throw new ArgumentNullException(nameof(from));
    }

    /// <summary>The SELECT list.</summary>
    public SoqlList<SoqlSelectItem> Select
    {
        get => _select;
        init => _select = SoqlNames.RequireNonEmpty(value, nameof(Select), "SELECT");
    }

    /// <summary>The FROM clause.</summary>
    public SoqlFrom From
    {
        get => _from;
        init => _from = value ?? throw new ArgumentNullException(nameof(From));
    }

    /// <summary>The USING SCOPE filter scope (<c>mine</c>, <c>team</c>, ...), if any.</summary>
    public string? UsingScope { get; init => field = SoqlNames.RequireOptionalName(value, nameof(UsingScope)); }

    /// <summary>The WHERE condition, if any.</summary>
    public SoqlCondition? Where { get; init; }

    /// <summary>The WITH clauses, in order.</summary>
    public SoqlList<SoqlWithClause> With { get; init => field = value ?? SoqlList<SoqlWithClause>.Empty; } = SoqlList<SoqlWithClause>.Empty;

    /// <summary>The GROUP BY clause, if any.</summary>
    public SoqlGroupBy? GroupBy { get; init; }

    /// <summary>The HAVING condition, if any.</summary>
    public SoqlCondition? Having { get; init; }

    /// <summary>The ORDER BY items.</summary>
    public SoqlList<SoqlOrderItem> OrderBy { get; init => field = value ?? SoqlList<SoqlOrderItem>.Empty; } = SoqlList<SoqlOrderItem>.Empty;

    /// <summary>The LIMIT, if any.</summary>
    public int? Limit
    {
        get => _limit;
        init => _limit = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Limit), "LIMIT cannot be negative.");
    }

    /// <summary>The OFFSET, if any.</summary>
    public int? Offset
    {
        get => _offset;
        init => _offset = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Offset), "OFFSET cannot be negative.");
    }

    /// <summary>Apex only: a bind expression as the LIMIT (<c>LIMIT :n</c>).</summary>
    public SoqlBind? LimitBind { get; init; }

    /// <summary>Apex only: a bind expression as the OFFSET.</summary>
    public SoqlBind? OffsetBind { get; init; }

    /// <summary>The BIND clause's <c>name = value</c> pairs, if any.</summary>
    public SoqlList<SoqlNamedValue> Bind { get; init => field = value ?? SoqlList<SoqlNamedValue>.Empty; } = SoqlList<SoqlNamedValue>.Empty;

    /// <summary>FOR VIEW, FOR REFERENCE, FOR UPDATE.</summary>
    public SoqlForClause For { get; init; }

    /// <summary>UPDATE TRACKING, UPDATE VIEWSTAT.</summary>
    public SoqlUpdateClause Update { get; init; }

    /// <summary>Apex only: <c>ALL ROWS</c> (the REST API's equivalent is the queryAll resource).</summary>
    public bool AllRows { get; init; }

    /// <summary>Reads SOQL text.</summary>
    /// <param name="soql">The query, at most 100,000 characters.</param>
    /// <param name="options">Parser options; by default only what the REST API accepts.</param>
    /// <exception cref="SoqlSyntaxException">The text is not a valid query; the exception says where and what was expected.</exception>
    public static SoqlQuery Parse(string soql, SoqlParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(soql);
        return SoqlParser.ParseQuery(soql, options ?? SoqlParseOptions.Default);
    }

    /// <summary>The query as canonical SOQL.</summary>
    public override string ToString() => SoqlFormatter.Format(this);
}
