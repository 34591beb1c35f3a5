using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Atom.Salesforce.Soql;

/// <summary>Starts typed queries: <see cref="From{T}(string?)"/>.</summary>
public static class SoqlBuilder
{
    /// <summary>
    /// Starts a typed query over the records <typeparamref name="T"/> maps:
    /// <code>SoqlBuilder.From&lt;Account&gt;().Where(a =&gt; a.Industry == industry &amp;&amp; a.AnnualRevenue &gt; 1_000_000).OrderBy(a =&gt; a.Name).Limit(50)</code>
    /// Field names come from the properties (or their <c>[JsonPropertyName]</c>); values become escaped literals.
    /// </summary>
    /// <typeparam name="T">The record type the query's rows are read into.</typeparam>
    /// <param name="objectType">The object queried; the type's name when omitted.</param>
    public static SoqlBuilder<T> From<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(string? objectType = null) => new(new SoqlFrom(objectType ?? typeof(T).Name));
}

/// <summary>
/// An immutable, typed SOQL query under construction; every method returns a new builder. <see cref="ToQuery"/> gives
/// the syntax tree and <see cref="ToString"/> the SOQL text. Without <see cref="Select"/>, every simple property of
/// <typeparamref name="T"/> is selected.
/// </summary>
/// <typeparam name="T">The record type the query's rows are read into.</typeparam>
public sealed class SoqlBuilder<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>
{
    private readonly SoqlFrom _from;
    private readonly SoqlList<SoqlSelectItem>? _select;
    private readonly SoqlCondition? _where;
    private readonly SoqlList<SoqlOrderItem> _orderBy;
    private readonly int? _limit;
    private readonly int? _offset;

    internal SoqlBuilder(SoqlFrom from)
        : this(from, null, null, SoqlList<SoqlOrderItem>.Empty, null, null)
    {
    }

    private SoqlBuilder(SoqlFrom from, SoqlList<SoqlSelectItem>? select, SoqlCondition? where, SoqlList<SoqlOrderItem> orderBy, int? limit, int? offset)
    {
        _from = from;
        _select = select;
        _where = where;
        _orderBy = orderBy;
        _limit = limit;
        _offset = offset;
    }

    /// <summary>
    /// The fields to select: one property (<c>a =&gt; a.Name</c>), a relationship path (<c>c =&gt; c.Account.Name</c>) or
    /// several in an anonymous object (<c>a =&gt; new { a.Id, a.Name, a.Owner.Email }</c>). Replaces any earlier selection.
    /// </summary>
    public SoqlBuilder<T> Select(Expression<Func<T, object?>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var selected = SoqlExpressionTranslator.Fields(fields).Select(f => (SoqlSelectItem)new SoqlSelectExpression(f));
        return new(_from, SoqlList.From(selected), _where, _orderBy, _limit, _offset);
    }

    /// <summary>
    /// Adds a condition, joined with AND to earlier ones: comparisons (<c>==</c>, <c>!=</c>, <c>&lt;</c>, ...), <c>&amp;&amp;</c>,
    /// <c>||</c>, <c>!</c>, <c>StartsWith</c> / <c>EndsWith</c> / <c>Contains</c> on strings (LIKE) and
    /// <c>values.Contains(a.Field)</c> (IN). Captured values become literals.
    /// </summary>
    /// <exception cref="NotSupportedException">The expression uses something SOQL cannot express.</exception>
    public SoqlBuilder<T> Where(Expression<Func<T, bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var condition = SoqlExpressionTranslator.Condition(predicate);
        var where = _where is null ? condition : SoqlExpressionTranslator.And(_where, condition);
        return new(_from, _select, where, _orderBy, _limit, _offset);
    }

    /// <summary>Sorts by a field, ascending; a second call sorts within the first.</summary>
    public SoqlBuilder<T> OrderBy(Expression<Func<T, object?>> field, SoqlNullsOrder? nulls = null) => Order(field, SoqlSortDirection.Ascending, nulls);

    /// <summary>Sorts by a field, descending; a second call sorts within the first.</summary>
    public SoqlBuilder<T> OrderByDescending(Expression<Func<T, object?>> field, SoqlNullsOrder? nulls = null) => Order(field, SoqlSortDirection.Descending, nulls);

    /// <summary>Returns at most <paramref name="count"/> rows.</summary>
    public SoqlBuilder<T> Limit(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new(_from, _select, _where, _orderBy, count, _offset);
    }

    /// <summary>Skips the first <paramref name="count"/> rows; Salesforce allows at most 2,000.</summary>
    public SoqlBuilder<T> Offset(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 2000);
        return new(_from, _select, _where, _orderBy, _limit, count);
    }

    /// <summary>The query as a syntax tree.</summary>
    public SoqlQuery ToQuery() => new(_select ?? SoqlExpressionTranslator.AllFields(typeof(T)), _from)
    {
        Where = _where,
        OrderBy = _orderBy,
        Limit = _limit,
        Offset = _offset,
    };

    /// <summary>The query as SOQL text.</summary>
    public override string ToString() => ToQuery().ToString();

    private SoqlBuilder<T> Order(Expression<Func<T, object?>> field, SoqlSortDirection direction, SoqlNullsOrder? nulls)
    {
        ArgumentNullException.ThrowIfNull(field);
        var fields = SoqlExpressionTranslator.Fields(field);
        if (fields.Count != 1)
        {
            throw new ArgumentException("Sort by one field at a time.", nameof(field));
        }

        var item = new SoqlOrderItem(fields[0], direction, nulls);
        return new(_from, _select, _where, SoqlList.From(_orderBy.Append(item)), _limit, _offset);
    }
}
