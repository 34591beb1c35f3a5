using Atom.Salesforce.Soql;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>A group of rows of an aggregate query; on a ROLLUP or CUBE subtotal row some keys are rolled up (null).</summary>
internal sealed class Group(List<StoredRecord> rows, object?[] keys, bool[] rolledUp)
{
    public List<StoredRecord> Rows { get; } = rows;

    public object?[] Keys { get; } = keys;

    public bool[] RolledUp { get; } = rolledUp;
}

/// <summary>Aggregate queries: COUNT(), aggregate functions, GROUP BY (plain, ROLLUP, CUBE), GROUPING(), HAVING.</summary>
internal sealed partial class QueryCompiler
{
    private static readonly HashSet<string> AggregateFunctions = new(StringComparer.OrdinalIgnoreCase) { "AVG", "SUM", "MIN", "MAX", "COUNT", "COUNT_DISTINCT" };

    private static readonly FieldDefinition IntResult = new("expr", FieldType.Int);
    private static readonly FieldDefinition DoubleResult = new("expr", FieldType.Double);

    private static bool IsAggregate(SoqlQuery query) =>
        query.GroupBy is not null || query.Select.Any(i => i is SoqlSelectExpression e && ContainsAggregate(e.Expression));

    private static bool ContainsAggregate(SoqlExpression expression) => expression is SoqlFunctionCall call
        && (AggregateFunctions.Contains(call.Name) || call.Arguments.Any(ContainsAggregate));

    private static bool IsCountAll(SoqlSelectItem item) =>
        item is SoqlSelectExpression { Expression: SoqlFunctionCall { Arguments.Count: 0 } call } && Is(call, "COUNT");

    private QueryResultSet Aggregate(SoqlQuery query, ObjectSchema obj, Aliases aliases, List<Func<StoredRecord, bool>> filters)
    {
        if (query.Select.Any(i => i is not SoqlSelectExpression))
        {
            throw QueryErrors.Malformed("FIELDS(), TYPEOF and subqueries are not allowed in an aggregate query");
        }

        var grouping = query.GroupBy;
        var kind = grouping?.Kind ?? SoqlGroupByKind.Plain;
        var expressions = grouping?.Expressions ?? SoqlList<SoqlExpression>.Empty;
        if (kind != SoqlGroupByKind.Plain && expressions.Count > 3)
        {
            throw QueryErrors.Malformed($"{kind.ToString().ToUpperInvariant()} takes at most 3 fields");
        }

        var keys = new List<string>();
        var groupOperands = new List<Operand<StoredRecord>>();
        foreach (var expression in expressions)
        {
            if (ContainsAggregate(expression))
            {
                throw QueryErrors.Malformed("Aggregate functions are not allowed in GROUP BY");
            }

            var operand = RowOperand(expression, obj, aliases);
            if (operand.Field is { } field && !Groupable(field))
            {
                throw QueryErrors.InvalidField($"field '{operand.Display}' can not be grouped in a query call");
            }

            keys.Add(KeyOf(expression, obj, aliases));
            groupOperands.Add(operand);
        }

        if (query.Select.Any(IsCountAll))
        {
            return CountAll(query, obj, filters, groupOperands);
        }

        if (query.Limit is not null && grouping is null)
        {
            throw QueryErrors.Malformed("An aggregate query without GROUP BY cannot have a LIMIT");
        }

        var names = new List<string>();
        var formats = new List<FieldDefinition?>();
        var columns = new List<Func<Group, object?>>();
        var unnamed = 0;
        foreach (SoqlSelectExpression item in query.Select)
        {
            var operand = GroupOperand(item.Expression, obj, aliases, keys, groupOperands);
            var name = item.Alias ?? NameOf(item.Expression, obj, aliases, ref unnamed);
            if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw QueryErrors.Duplicate(name);
            }

            names.Add(name);
            formats.Add(operand.Field);
            columns.Add(operand.Get);
        }

        Func<Group, bool>? having = null;
        if (query.Having is { } condition)
        {
            having = new Conditions<Group>(_now, e => GroupOperand(e, obj, aliases, keys, groupOperands), semiJoin: null, "HAVING").Compile(condition);
        }

        var order = query.OrderBy.Select(item =>
        {
            var operand = GroupOperand(item.Expression, obj, aliases, keys, groupOperands);
            return new SortKey<Group>(operand.Get, item.Direction == SoqlSortDirection.Descending, item.Nulls == SoqlNullsOrder.Last, operand.Field);
        }).ToList();

        var groups = Groups(Filter(obj, filters), groupOperands, kind, ungrouped: grouping is null);
        if (having is not null)
        {
            groups = [.. groups.Where(having)];
        }

        groups = Sorting.Sort(groups, order);
        var rows = Page(groups, query.Offset, query.Limit).Select(g => columns.Select(c => c(g)).ToArray()).ToList();
        return new QueryResultSet { Aggregates = new AggregateRows(names, formats, rows), TotalSize = rows.Count };
    }

    /// <summary>SELECT COUNT(): the number of rows (or groups) in totalSize, with no records.</summary>
    private QueryResultSet CountAll(SoqlQuery query, ObjectSchema obj, List<Func<StoredRecord, bool>> filters, List<Operand<StoredRecord>> groupOperands)
    {
        if (query.Select.Count > 1)
        {
            throw QueryErrors.Malformed("COUNT() must be the only element in the SELECT list: a count() query can't select any additional fields");
        }

        if (query.OrderBy.Count > 0 || query.Having is not null)
        {
            throw QueryErrors.Malformed("ORDER BY and HAVING are not allowed in a COUNT() query");
        }

        var records = Filter(obj, filters);
        var count = groupOperands.Count == 0 ? records.Count : Groups(records, groupOperands, SoqlGroupByKind.Plain, ungrouped: false).Count;
        count = Math.Max(0, count - (query.Offset ?? 0));
        if (query.Limit is { } limit)
        {
            count = Math.Min(count, limit);
        }

        return new QueryResultSet { CountOnly = true, TotalSize = count };
    }

    private static bool Groupable(FieldDefinition field) =>
        field.Type is not (FieldType.Double or FieldType.Currency or FieldType.Percent or FieldType.DateTime or FieldType.MultiPicklist or FieldType.Time)
        && !Values.IsLongText(field);

    /// <summary>The same field or function however it is written: paths as the schema spells them.</summary>
    private string KeyOf(SoqlExpression expression, ObjectSchema obj, Aliases aliases) => expression switch
    {
        SoqlField field => Path(obj, field.Path, aliases).Key,
        SoqlFunctionCall call => $"{call.Name.ToUpperInvariant()}({string.Join(",", call.Arguments.Select(a => KeyOf(a, obj, aliases)))})",
        _ => expression.ToString(),
    };

    /// <summary>A grouped field keeps its name (the last segment of a path); other unaliased items are expr0, expr1, ...</summary>
    private string NameOf(SoqlExpression expression, ObjectSchema obj, Aliases aliases, ref int unnamed)
    {
        if (expression is SoqlField field)
        {
            return Path(obj, field.Path, aliases).FieldName;
        }

        if (expression is SoqlFunctionCall { Arguments: [SoqlField argument] } call && (Is(call, "toLabel") || Is(call, "convertCurrency") || Is(call, "FORMAT")))
        {
            return Path(obj, argument.Path, aliases).FieldName;
        }

        return $"expr{unnamed++}";
    }

    /// <summary>An item of an aggregate query's SELECT, HAVING or ORDER BY: an aggregate, GROUPING(), or a grouped field.</summary>
    private Operand<Group> GroupOperand(SoqlExpression expression, ObjectSchema obj, Aliases aliases, List<string> keys, List<Operand<StoredRecord>> grouped)
    {
        if (expression is SoqlFunctionCall call)
        {
            if (AggregateFunctions.Contains(call.Name))
            {
                return AggregateOperand(call, obj, aliases);
            }

            if (Is(call, "GROUPING"))
            {
                var index = call.Arguments.Count == 1 ? keys.IndexOf(KeyOf(call.Arguments[0], obj, aliases)) : -1;
                if (index < 0)
                {
                    throw QueryErrors.Malformed($"{call} needs its field in GROUP BY");
                }

                return new Operand<Group>(g => g.RolledUp[index] ? 1m : 0m, ValueKind.Number, IntResult, call.ToString());
            }

            if ((Is(call, "toLabel") || Is(call, "convertCurrency")) && call.Arguments.Count == 1)
            {
                return GroupOperand(call.Arguments[0], obj, aliases, keys, grouped);
            }

            if (Is(call, "FORMAT") && call.Arguments.Count == 1)
            {
                var inner = GroupOperand(call.Arguments[0], obj, aliases, keys, grouped);
                return new Operand<Group>(g => DateFunctions.Format(inner.Get(g), inner.Field), ValueKind.Text, null, call.ToString());
            }
        }

        var key = KeyOf(expression, obj, aliases);
        var i = keys.IndexOf(key);
        if (i >= 0)
        {
            var operand = grouped[i];
            return new Operand<Group>(g => g.RolledUp[i] ? null : g.Keys[i], operand.Kind, operand.Field ?? (operand.Kind == ValueKind.Number ? IntResult : null), expression.ToString());
        }

        // A date function of a grouped date field is a function of the group.
        if (expression is SoqlFunctionCall { Arguments: [SoqlField dateField] } function && DateFunctions.IsDateFunction(function.Name))
        {
            var j = keys.IndexOf(KeyOf(dateField, obj, aliases));
            if (j >= 0 && grouped[j].Field?.Type == FieldType.Date)
            {
                var name = function.Name;
                return new Operand<Group>(g => g.RolledUp[j] ? null : DateFunctions.Apply(name, g.Keys[j]), ValueKind.Number, IntResult, expression.ToString());
            }
        }

        if (expression is SoqlFunctionCall other && !DateFunctions.IsDateFunction(other.Name))
        {
            throw NotHere(other);
        }

        if (expression is SoqlFunctionCall dateCall)
        {
            DateArgument(dateCall, obj, aliases);
        }

        throw QueryErrors.Malformed($"Field must be grouped or aggregated: {expression}");
    }

    private Operand<Group> AggregateOperand(SoqlFunctionCall call, ObjectSchema obj, Aliases aliases)
    {
        var name = call.Name.ToUpperInvariant();
        var display = call.ToString();
        if (name == "COUNT" && call.Arguments.Count == 0)
        {
            return new Operand<Group>(g => (decimal)g.Rows.Count, ValueKind.Number, IntResult, display);
        }

        if (call.Arguments.Count != 1)
        {
            throw QueryErrors.Malformed($"{call.Name} takes one field");
        }

        var argument = call.Arguments[0];
        if (argument is SoqlFunctionCall currency && Is(currency, "convertCurrency") && currency.Arguments.Count == 1)
        {
            argument = currency.Arguments[0];
        }

        if (argument is SoqlFunctionCall nested)
        {
            throw NotHere(nested);
        }

        if (argument is not SoqlField field)
        {
            throw QueryErrors.Malformed($"{call.Name} takes one field");
        }

        var path = Path(obj, field.Path, aliases);
        var type = path.Field?.Type ?? FieldType.String;
        var numeric = type is FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent;
        var supported = name is "AVG" or "SUM"
            ? numeric
            : type is not (FieldType.Boolean or FieldType.MultiPicklist or FieldType.Time) && (path.Field is null || !Values.IsLongText(path.Field));
        if (!supported)
        {
            throw QueryErrors.InvalidField($"field {field.Path} does not support aggregate operator {name}");
        }

        var org = _org;
        var definition = path.Field;
        IEnumerable<object> Present(Group g) => g.Rows.Select(r => path.Get(r, org)).OfType<object>();
        return name switch
        {
            "COUNT" => new Operand<Group>(g => (decimal)Present(g).Count(), ValueKind.Number, IntResult, display),
            "COUNT_DISTINCT" => new Operand<Group>(g => (decimal)Present(g).Distinct(Values.KeyComparer).Count(), ValueKind.Number, IntResult, display),
            "SUM" => new Operand<Group>(g => Present(g).Cast<decimal>().Aggregate((decimal?)null, (sum, v) => (sum ?? 0) + v), ValueKind.Number, DoubleResult, display),
            "AVG" => new Operand<Group>(
                g => Present(g).Cast<decimal>().ToList() is { Count: > 0 } values ? (decimal)(double)(values.Sum() / values.Count) : null,
                ValueKind.Number,
                DoubleResult,
                display),
            "MIN" => new Operand<Group>(g => Present(g).Aggregate((object?)null, (min, v) => min is null || Values.Compare(v, min, definition) < 0 ? v : min), path.Kind, definition, display),
            _ => new Operand<Group>(g => Present(g).Aggregate((object?)null, (max, v) => max is null || Values.Compare(v, max, definition) > 0 ? v : max), path.Kind, definition, display),
        };
    }

    /// <summary>
    /// The groups of each grouping set: GROUP BY a, b has one; ROLLUP(a, b) has (a, b), (a) and the grand total; CUBE every
    /// combination. Without GROUP BY, all rows are one group (even none). Subtotals follow the rows they total.
    /// </summary>
    private static List<Group> Groups(List<StoredRecord> records, List<Operand<StoredRecord>> operands, SoqlGroupByKind kind, bool ungrouped)
    {
        var n = operands.Count;
        if (ungrouped)
        {
            return [new Group(records, [], [])];
        }

        var keys = records.Select(r => operands.Select(o => o.Get(r)).ToArray()).ToList();
        var sets = kind switch
        {
            SoqlGroupByKind.Rollup => Enumerable.Range(0, n + 1).Select(k => Enumerable.Range(0, n).Select(i => i < n - k).ToArray()),
            SoqlGroupByKind.Cube => Enumerable.Range(0, 1 << n).Select(mask => Enumerable.Range(0, n).Select(i => (mask & (1 << i)) == 0).ToArray()),
            _ => [Enumerable.Repeat(true, n).ToArray()],
        };

        var groups = new List<Group>();
        foreach (var set in sets)
        {
            var rolledUp = set.Select(included => !included).ToArray();
            var byKey = new Dictionary<object?[], Group>(KeyArrayComparer.Instance);
            for (var r = 0; r < records.Count; r++)
            {
                var key = new object?[n];
                for (var i = 0; i < n; i++)
                {
                    key[i] = set[i] ? keys[r][i] : null;
                }

                if (!byKey.TryGetValue(key, out var group))
                {
                    byKey[key] = group = new Group([], key, rolledUp);
                    groups.Add(group);
                }

                group.Rows.Add(records[r]);
            }
        }

        if (kind == SoqlGroupByKind.Plain)
        {
            return groups;
        }

        return [.. groups.Order(Comparer<Group>.Create((a, b) =>
        {
            for (var i = 0; i < n; i++)
            {
                if (a.RolledUp[i] != b.RolledUp[i])
                {
                    return a.RolledUp[i] ? 1 : -1;
                }

                if (!a.RolledUp[i])
                {
                    var c = (a.Keys[i], b.Keys[i]) switch
                    {
                        (null, null) => 0,
                        (null, _) => -1,
                        (_, null) => 1,
                        var (x, y) => Values.Compare(x, y, operands[i].Field),
                    };
                    if (c != 0)
                    {
                        return c;
                    }
                }
            }

            return 0;
        }))];
    }

    private sealed class KeyArrayComparer : IEqualityComparer<object?[]>
    {
        public static readonly KeyArrayComparer Instance = new();

        public bool Equals(object?[]? x, object?[]? y) =>
            x is not null && y is not null && x.Length == y.Length && x.Zip(y).All(p => Values.KeyComparer.Equals(p.First, p.Second));

        public int GetHashCode(object?[] obj)
        {
            var hash = default(HashCode);
            foreach (var value in obj)
            {
                hash.Add(Values.Hash(value));
            }

            return hash.ToHashCode();
        }
    }
}
