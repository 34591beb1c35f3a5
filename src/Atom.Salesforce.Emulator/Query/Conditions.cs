using Atom.Salesforce.Soql;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>Something compared in WHERE or HAVING: how to get its value from a row (or group) and what kind of value it is.</summary>
internal sealed record Operand<T>(Func<T, object?> Get, ValueKind Kind, FieldDefinition? Field, string Display)
{
    public bool DateFunction { get; init; }

    public bool Filterable { get; init; } = true;
}

/// <summary>
/// WHERE and HAVING conditions as predicates, with SOQL's semantics: text compared case-insensitively, a null value
/// matches only <c>= null</c> and the negative operators (<c>!=</c>, NOT IN, EXCLUDES), a boolean compared with null as
/// false, relative date literals as ranges on the org clock.
/// </summary>
internal sealed class Conditions<T>(
    DateTimeOffset now, Func<SoqlExpression, Operand<T>> operand, Func<SoqlSemiJoin, Func<T, bool>>? semiJoin, string clause)
{
    private int _semiJoins;

    public Func<T, bool> Compile(SoqlCondition condition) => Compile(condition, underOr: false, underNot: false);

    private Func<T, bool> Compile(SoqlCondition condition, bool underOr, bool underNot)
    {
        switch (condition)
        {
            case SoqlParenthesized p:
                return Compile(p.Inner, underOr, underNot);
            case SoqlAnd and:
                {
                    var parts = and.Operands.Select(o => Compile(o, underOr, underNot)).ToArray();
                    return row =>
                    {
                        foreach (var part in parts)
                        {
                            if (!part(row))
                            {
                                return false;
                            }
                        }

                        return true;
                    };
                }

            case SoqlOr or:
                {
                    var parts = or.Operands.Select(o => Compile(o, underOr: true, underNot)).ToArray();
                    return row =>
                    {
                        foreach (var part in parts)
                        {
                            if (part(row))
                            {
                                return true;
                            }
                        }

                        return false;
                    };
                }

            case SoqlNot not:
                {
                    var inner = Compile(not.Operand, underOr, underNot: true);
                    return row => !inner(row);
                }

            case SoqlComparison c:
                return Comparison(c);
            case SoqlSetComparison s:
                return Set(s);
            case SoqlSemiJoin join:
                if (semiJoin is null)
                {
                    throw QueryErrors.Malformed($"Semi join sub-selects are not allowed in {clause}");
                }

                if (underOr)
                {
                    throw QueryErrors.Malformed("Semi join sub-selects are not allowed with the 'OR' operator");
                }

                if (underNot)
                {
                    throw QueryErrors.Malformed("Semi join sub-selects are not allowed with the 'NOT' operator");
                }

                if (++_semiJoins > 2)
                {
                    throw QueryErrors.Malformed("Maximum 2 semi join sub-selects are allowed");
                }

                return semiJoin(join);
            default:
                throw QueryErrors.Malformed($"unexpected condition in {clause}: {condition}");
        }
    }

    private Operand<T> Left(SoqlExpression expression)
    {
        var left = operand(expression);
        return left.Filterable ? left : throw QueryErrors.InvalidField($"field '{left.Display}' can not be filtered in a query call");
    }

    private Func<T, bool> Comparison(SoqlComparison c)
    {
        var left = Left(c.Left);
        var get = left.Get;
        if (c.Right is SoqlRelativeDate relative)
        {
            return DateRange(c, left, relative);
        }

        if (c.Operator == SoqlComparisonOperator.Like)
        {
            if (left.Kind is not (ValueKind.Text or ValueKind.Id or ValueKind.MultiPicklist))
            {
                throw new ApiException(400, "INVALID_QUERY_FILTER_OPERATOR", $"invalid operator on field: {left.Display}");
            }

            if (c.Right is SoqlNull)
            {
                return row => get(row) is null;
            }

            var pattern = c.Right is SoqlString s ? new LikePattern(s.Value) : throw QueryErrors.FilterType(left.Display, "string", quoted: true);
            return row => get(row) is string value && pattern.IsMatch(value);
        }

        var literal = Literal(c.Right, left);
        if (left.Kind == ValueKind.Boolean && literal is null)
        {
            literal = false;
        }

        if (left.Kind == ValueKind.MultiPicklist && literal is string text && c.Operator is SoqlComparisonOperator.Equal or SoqlComparisonOperator.NotEqual or SoqlComparisonOperator.LessOrGreater)
        {
            var wanted = Values.Selections(text);
            var equal = c.Operator == SoqlComparisonOperator.Equal;
            return row => (get(row) is string v && Values.Selections(v).SetEquals(wanted)) == equal;
        }

        var value = literal;
        switch (c.Operator)
        {
            case SoqlComparisonOperator.Equal:
                return value is null ? row => get(row) is null : row => get(row) is { } v && Values.Compare(v, value) == 0;
            case SoqlComparisonOperator.NotEqual or SoqlComparisonOperator.LessOrGreater:
                return value is null ? row => get(row) is not null : row => get(row) is not { } v || Values.Compare(v, value) != 0;
            default:
                if (value is null)
                {
                    return _ => false;
                }

                var op = c.Operator;
                return row => get(row) is { } v && Test(Values.Compare(v, value), op);
        }
    }

    private static bool Test(int compared, SoqlComparisonOperator op) => op switch
    {
        SoqlComparisonOperator.LessThan => compared < 0,
        SoqlComparisonOperator.LessThanOrEqual => compared <= 0,
        SoqlComparisonOperator.GreaterThan => compared > 0,
        SoqlComparisonOperator.GreaterThanOrEqual => compared >= 0,
        _ => compared == 0,
    };

    /// <summary><c>=</c> means within the range; <c>&lt;</c> and <c>&gt;=</c> compare with its start, <c>&lt;=</c> and <c>&gt;</c> with its end.</summary>
    private Func<T, bool> DateRange(SoqlComparison c, Operand<T> left, SoqlRelativeDate relative)
    {
        if (left.DateFunction)
        {
            throw QueryErrors.Malformed($"Date functions cannot be compared with date literals: {c}");
        }

        if (left.Kind is not (ValueKind.Date or ValueKind.DateTime))
        {
            throw QueryErrors.FilterType(left.Display, Values.TypeName(left.Kind), quoted: left.Kind is ValueKind.Text or ValueKind.Id);
        }

        var (startDay, endDay) = DateFunctions.Range(relative, now);
        object start = left.Kind == ValueKind.Date ? startDay : Values.ToDateTime(startDay);
        object end = left.Kind == ValueKind.Date ? endDay : Values.ToDateTime(endDay);
        var get = left.Get;
        bool Within(object v) => Values.Compare(v, start) >= 0 && Values.Compare(v, end) < 0;
        return c.Operator switch
        {
            SoqlComparisonOperator.Equal => row => get(row) is { } v && Within(v),
            SoqlComparisonOperator.NotEqual or SoqlComparisonOperator.LessOrGreater => row => get(row) is not { } v || !Within(v),
            SoqlComparisonOperator.LessThan => row => get(row) is { } v && Values.Compare(v, start) < 0,
            SoqlComparisonOperator.LessThanOrEqual => row => get(row) is { } v && Values.Compare(v, end) < 0,
            SoqlComparisonOperator.GreaterThan => row => get(row) is { } v && Values.Compare(v, end) >= 0,
            SoqlComparisonOperator.GreaterThanOrEqual => row => get(row) is { } v && Values.Compare(v, start) >= 0,
            _ => throw new ApiException(400, "INVALID_QUERY_FILTER_OPERATOR", $"invalid operator on field: {left.Display}"),
        };
    }

    private Func<T, bool> Set(SoqlSetComparison s)
    {
        var left = Left(s.Left);
        var get = left.Get;
        if (s.Operator is SoqlSetOperator.Includes or SoqlSetOperator.Excludes)
        {
            if (left.Kind != ValueKind.MultiPicklist)
            {
                throw new ApiException(400, "INVALID_QUERY_FILTER_OPERATOR", $"includes or excludes operator only valid on multipicklist field: {left.Display}");
            }

            var sets = s.Values.Select(v => Literal(v, left) is string text ? Values.Selections(text) : []).ToArray();
            bool Includes(T row) => get(row) is string value && Values.Selections(value) is var selected && sets.Any(set => set.Count > 0 && set.IsSubsetOf(selected));
            return s.Operator == SoqlSetOperator.Includes ? Includes : row => !Includes(row);
        }

        var values = new HashSet<object?>(s.Values.Select(v => v is SoqlRelativeDate
            ? throw QueryErrors.Malformed("Date literals are not allowed in an IN list")
            : Literal(v, left)), Values.KeyComparer);
        var hasNull = values.Contains(null);
        bool In(T row) => get(row) is { } v ? values.Contains(v) : hasNull;
        return s.Operator == SoqlSetOperator.In ? In : row => !In(row);
    }

    /// <summary>A literal as the value the left side compares with; a literal of the wrong type is refused as Salesforce refuses it.</summary>
    public static object? Literal(SoqlExpression literal, Operand<T> left)
    {
        if (literal is SoqlNull)
        {
            return null;
        }

        if (literal is not SoqlLiteral)
        {
            throw QueryErrors.Malformed($"unexpected token: '{literal}'");
        }

        var quoted = left.Kind is ValueKind.Text or ValueKind.Id or ValueKind.MultiPicklist;
        var type = Values.TypeName(left.Kind);
        switch (left.Kind)
        {
            case ValueKind.Text or ValueKind.MultiPicklist:
                return literal is SoqlString text ? text.Value : throw QueryErrors.FilterType(left.Display, type, quoted);
            case ValueKind.Id:
                if (literal is not SoqlString id)
                {
                    throw QueryErrors.FilterType(left.Display, type, quoted);
                }

                if (id.Value.Length == 0)
                {
                    return null;
                }

                return RecordIds.IsValid(id.Value) ? RecordIds.Normalize(id.Value) : throw QueryErrors.InvalidId(id.Value);
            case ValueKind.Number:
                return literal switch
                {
                    SoqlNumber n => n.Value,
                    SoqlCurrency money => money.Amount,
                    _ => throw QueryErrors.FilterType(left.Display, type, quoted),
                };
            case ValueKind.Boolean:
                return literal is SoqlBoolean b ? b.Value : throw QueryErrors.FilterType(left.Display, type, quoted);
            case ValueKind.Date:
                return literal is SoqlDate d ? d.Value : throw QueryErrors.FilterType(left.Display, type, quoted);
            case ValueKind.DateTime:
                return literal is SoqlDateTime dt ? dt.Value.ToUniversalTime() : throw QueryErrors.FilterType(left.Display, type, quoted);
            case ValueKind.Time:
                return literal is SoqlTime t ? t.Value : throw QueryErrors.FilterType(left.Display, type, quoted);
            default:
                throw QueryErrors.FilterType(left.Display, type, quoted);
        }
    }
}
