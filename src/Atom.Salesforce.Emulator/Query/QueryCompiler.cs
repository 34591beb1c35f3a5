using Atom.Salesforce.Soql;
using Atom.Salesforce.Soql.Errors;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>
/// Runs a SOQL query against the org: checks it against the schema and SOQL's rules, then evaluates it under the org's
/// lock, so that the result is one consistent snapshot. Date literals are evaluated against the org clock at query time.
/// </summary>
internal sealed partial class QueryCompiler
{
    private readonly Org _org;
    private readonly string _soql;
    private readonly DateTimeOffset _now;
    private readonly string? _userId;
    private readonly bool _includeDeleted;

    private QueryCompiler(Org org, string soql, string? userId, bool includeDeleted)
    {
        _org = org;
        _soql = soql;
        _now = org.Now;
        _userId = userId;
        _includeDeleted = includeDeleted;
    }

    private enum Context
    {
        Top,
        Child,
        SemiJoin,
    }

    /// <summary>Parses and runs <paramref name="soql"/>; 400 MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, ... when Salesforce would refuse it.</summary>
    public static QueryResultSet Run(Org org, string soql, bool includeDeleted, string? userId) =>
        Run(org, Parse(soql), soql, includeDeleted, userId, extraFilter: null);

    public static QueryResultSet Run(Org org, SoqlQuery query, string soql, bool includeDeleted, string? userId, Func<StoredRecord, bool>? extraFilter)
    {
        lock (org.SyncRoot)
        {
            return new QueryCompiler(org, soql, userId, includeDeleted).RunTop(query, extraFilter);
        }
    }

    public static SoqlQuery Parse(string soql)
    {
        try
        {
            return SoqlQuery.Parse(soql);
        }
        catch (SoqlSyntaxException e)
        {
            throw QueryErrors.Syntax(soql, e);
        }
        catch (ArgumentException e)
        {
            throw QueryErrors.Malformed(e.Message);
        }
    }

    private QueryResultSet RunTop(SoqlQuery query, Func<StoredRecord, bool>? extraFilter)
    {
        CheckClauses(query, Context.Top);
        var obj = Object(query.From.ObjectType);
        var aliases = Aliases.Of(query.From);
        var filters = new List<Func<StoredRecord, bool>>();
        if (Scope(query.UsingScope, obj) is { } scope)
        {
            filters.Add(scope);
        }

        if (query.Where is { } where)
        {
            filters.Add(Where(where, obj, aliases, allowSemiJoins: true));
        }

        if (extraFilter is not null)
        {
            filters.Add(extraFilter);
        }

        if (IsAggregate(query))
        {
            return Aggregate(query, obj, aliases, filters);
        }

        if (query.Having is not null)
        {
            throw QueryErrors.Malformed("HAVING can only be used with GROUP BY or aggregate functions");
        }

        CheckFieldsLimit(query);
        var selection = SelectionOf(obj, query.Select, aliases, depth: 0);
        var order = Order(query.OrderBy, obj, aliases);
        var records = Sorting.Sort(Filter(obj, filters), order);
        var rows = Page(records, query.Offset, query.Limit).Select(r => selection.MakeRow(r, _org)).ToArray();
        return new QueryResultSet { Rows = rows, Selection = selection, TotalSize = rows.Length, FirstBatchOnly = query.Offset is not null };
    }

    private static IEnumerable<T> Page<T>(List<T> items, int? offset, int? limit)
    {
        IEnumerable<T> page = items;
        if (offset is > 0)
        {
            page = page.Skip(offset.Value);
        }

        return limit is { } n ? page.Take(n) : page;
    }

    private List<StoredRecord> Filter(ObjectSchema obj, List<Func<StoredRecord, bool>> filters)
    {
        var records = _org.Records(obj, _includeDeleted);
        if (filters.Count == 0)
        {
            return [.. records];
        }

        var kept = new List<StoredRecord>();
        foreach (var record in records)
        {
            var keep = true;
            foreach (var filter in filters)
            {
                if (!filter(record))
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                kept.Add(record);
            }
        }

        return kept;
    }

    private ObjectSchema Object(string name) => _org.Schema.Find(name) ?? throw QueryErrors.UnknownObject(_soql, name);

    private FieldPath Path(ObjectSchema obj, string written, Aliases aliases) =>
        FieldPath.Resolve(_org.Schema, obj, aliases.Segments(written), written, _soql);

    /// <summary>The clauses the REST API refuses, or that only make sense elsewhere (Apex, Knowledge).</summary>
    private static void CheckClauses(SoqlQuery query, Context context)
    {
        if (query.AllRows || query.LimitBind is not null || query.OffsetBind is not null || query.Bind.Count > 0)
        {
            throw QueryErrors.Malformed("Apex bind variables and ALL ROWS are not allowed in the REST API; use queryAll for deleted records");
        }

        foreach (var with in query.With)
        {
            if (with is not SoqlWithSecurity)
            {
                throw QueryErrors.Malformed($"{with} is not supported for this object");
            }
        }

        if (query.For.HasFlag(SoqlForClause.Update))
        {
            throw QueryErrors.Malformed("FOR UPDATE not allowed in this context");
        }

        if (query.Update != SoqlUpdateClause.None)
        {
            throw QueryErrors.Malformed("UPDATE TRACKING and UPDATE VIEWSTAT are only allowed on Knowledge articles");
        }

        if (context == Context.Top && query.Offset > 2000)
        {
            throw QueryErrors.OffsetTooLarge();
        }

        if (context != Context.Top)
        {
            if (query.UsingScope is not null)
            {
                throw QueryErrors.Malformed("USING SCOPE is not allowed in a subquery");
            }

            if (query.Offset is not null)
            {
                throw QueryErrors.Malformed("OFFSET is not allowed in a subquery");
            }
        }

        if (context == Context.SemiJoin && (query.OrderBy.Count > 0 || query.Limit is not null || query.GroupBy is not null || query.Having is not null))
        {
            throw QueryErrors.Malformed("ORDER BY, LIMIT, GROUP BY and HAVING are not allowed in a semi join sub-select");
        }
    }

    /// <summary>FIELDS(ALL) and FIELDS(CUSTOM) are unbounded: they need LIMIT 200 or less, or a WHERE Id IN list of 200 ids or less.</summary>
    private static void CheckFieldsLimit(SoqlQuery query)
    {
        var unbounded = query.Select.Any(i => i is SoqlSelectFields { Scope: SoqlFieldsScope.All or SoqlFieldsScope.Custom });
        if (!unbounded || query.Limit is <= 200)
        {
            return;
        }

        var byIds = Unwrap(query.Where) is SoqlSetComparison { Operator: SoqlSetOperator.In, Left: SoqlField { Path: var path }, Values.Count: <= 200 }
            && path.Equals("Id", StringComparison.OrdinalIgnoreCase);
        if (!byIds)
        {
            throw QueryErrors.Malformed("The SOQL FIELDS function must have a LIMIT of at most 200");
        }

        static SoqlCondition? Unwrap(SoqlCondition? c) => c is SoqlParenthesized p ? Unwrap(p.Inner) : c;
    }

    private Func<StoredRecord, bool>? Scope(string? scope, ObjectSchema obj)
    {
        if (scope is null || scope.Equals("everything", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!scope.Equals("mine", StringComparison.OrdinalIgnoreCase))
        {
            throw QueryErrors.Malformed($"USING SCOPE {scope} is not supported for {obj.Name}: the emulated org has no teams, territories or delegation");
        }

        if (obj.Field("OwnerId") is null)
        {
            throw QueryErrors.Malformed($"USING SCOPE mine is not supported for {obj.Name}: it has no owner");
        }

        var user = _userId;
        return r => user is not null && string.Equals(r["OwnerId"] as string, user, StringComparison.Ordinal);
    }

    private Func<StoredRecord, bool> Where(SoqlCondition where, ObjectSchema obj, Aliases aliases, bool allowSemiJoins)
    {
        var conditions = new Conditions<StoredRecord>(
            _now,
            e => RowOperand(e, obj, aliases),
            allowSemiJoins ? join => SemiJoin(join, obj, aliases) : _ => throw QueryErrors.Malformed("Nesting of semi join sub-selects is not supported"),
            "WHERE");
        return conditions.Compile(where);
    }

    /// <summary>A semi-join (<c>Id IN (SELECT AccountId FROM Opportunity)</c>) or anti-join, run once: its ids become a set.</summary>
    private Func<StoredRecord, bool> SemiJoin(SoqlSemiJoin join, ObjectSchema outer, Aliases aliases)
    {
        var left = Path(outer, join.Left.Path, aliases);
        if (left.Hops.Count > 0 || left.Field?.Type is not (FieldType.Id or FieldType.Reference))
        {
            throw QueryErrors.Malformed($"Semi join sub-selects are only allowed on Id and reference fields, not on {join.Left.Path}");
        }

        var sub = join.Subquery;
        CheckClauses(sub, Context.SemiJoin);
        var obj = Object(sub.From.ObjectType);
        if (obj == outer)
        {
            throw QueryErrors.Malformed("The inner and outer selects should not be on the same object type");
        }

        if (obj.Name is "Task" or "Event")
        {
            throw QueryErrors.Malformed($"Entity '{obj.Name}' is not supported for semi join inner selects");
        }

        var innerAliases = Aliases.Of(sub.From);
        if (sub.Select is not [SoqlSelectExpression { Expression: SoqlField selected, Alias: null }]
            || Path(obj, selected.Path, innerAliases) is not { Hops.Count: 0, Field.Type: FieldType.Id or FieldType.Reference } inner)
        {
            throw QueryErrors.Malformed("The selected field in a semi join sub-select must be a single Id or reference field");
        }

        var filters = new List<Func<StoredRecord, bool>>();
        if (sub.Where is { } where)
        {
            filters.Add(Where(where, obj, innerAliases, allowSemiJoins: false));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in Filter(obj, filters))
        {
            if (FieldPath.ValueOf(record, inner.FieldName) is string id)
            {
                ids.Add(id);
            }
        }

        var negated = join.Negated;
        return r => (FieldPath.ValueOf(r, left.FieldName) is string id && ids.Contains(id)) != negated;
    }

    /// <summary>A field, date function, toLabel() or arithmetic in WHERE or ORDER BY, read from a record.</summary>
    private Operand<StoredRecord> RowOperand(SoqlExpression expression, ObjectSchema obj, Aliases aliases)
    {
        switch (expression)
        {
            case SoqlField field:
                {
                    var path = Path(obj, field.Path, aliases);
                    var org = _org;
                    return new Operand<StoredRecord>(r => path.Get(r, org), path.Kind, path.Field, field.Path)
                    {
                        // Compound fields cannot be filtered (SOQL reference, "Compound Fields": "can't be used in
                        // WHERE"); the error reuses Salesforce's wording for unfilterable fields, the exact text for
                        // a compound field was not recorded.
                        Filterable = path.Field is null || !Values.IsLongText(path.Field) && !path.Field.IsCompound,
                    };
                }

            case SoqlFunctionCall call when DateFunctions.IsDateFunction(call.Name):
                {
                    var path = DateArgument(call, obj, aliases);
                    var name = call.Name;
                    var org = _org;
                    var kind = name.Equals("DAY_ONLY", StringComparison.OrdinalIgnoreCase) ? ValueKind.Date : ValueKind.Number;
                    return new Operand<StoredRecord>(r => DateFunctions.Apply(name, path.Get(r, org)), kind, null, call.ToString()) { DateFunction = true };
                }

            case SoqlFunctionCall call when Is(call, "DISTANCE"):
                return Distance(call, obj, aliases);
            case SoqlFunctionCall call when Is(call, "toLabel") && call.Arguments is [SoqlField labelled]:
                // Picklist labels are their values in the emulated org.
                return RowOperand(labelled, obj, aliases);
            case SoqlFunctionCall call:
                throw NotHere(call);
            case SoqlArithmetic arithmetic:
                {
                    var left = Number(arithmetic.Left, obj, aliases);
                    var right = Number(arithmetic.Right, obj, aliases);
                    var subtract = arithmetic.Operator == SoqlArithmeticOperator.Subtract;
                    return new Operand<StoredRecord>(
                        r => left(r) is decimal x && right(r) is decimal y ? (subtract ? x - y : x + y) : null,
                        ValueKind.Number,
                        null,
                        arithmetic.ToString());
                }

            default:
                throw QueryErrors.Malformed($"unexpected token: '{expression}'");
        }
    }

    private Func<StoredRecord, object?> Number(SoqlExpression expression, ObjectSchema obj, Aliases aliases)
    {
        if (expression is SoqlNumber n)
        {
            var value = n.Value;
            return _ => value;
        }

        var operand = RowOperand(expression, obj, aliases);
        return operand.Kind == ValueKind.Number
            ? operand.Get
            : throw QueryErrors.Malformed($"Arithmetic expressions need numeric fields: {expression}");
    }

    /// <summary>The field of a date function, optionally through convertTimezone() (a no-op: the org's users are on GMT).</summary>
    private FieldPath DateArgument(SoqlFunctionCall call, ObjectSchema obj, Aliases aliases)
    {
        if (call.Arguments.Count != 1)
        {
            throw QueryErrors.Malformed($"{call.Name} takes one argument");
        }

        var argument = call.Arguments[0];
        if (argument is SoqlFunctionCall inner && Is(inner, "convertTimezone") && inner.Arguments.Count == 1)
        {
            argument = inner.Arguments[0];
            if (argument is SoqlField f && Path(obj, f.Path, aliases).Field?.Type != FieldType.DateTime)
            {
                throw QueryErrors.Malformed($"convertTimezone() can only be applied to dateTime fields: {f.Path}");
            }
        }

        if (argument is SoqlFunctionCall other)
        {
            throw NotHere(other);
        }

        if (argument is not SoqlField field)
        {
            throw QueryErrors.Malformed($"{call.Name} needs a date or dateTime field");
        }

        var path = Path(obj, field.Path, aliases);
        var type = path.Field?.Type;
        if (type is not (FieldType.Date or FieldType.DateTime) || (DateFunctions.NeedsDateTime(call.Name) && type != FieldType.DateTime))
        {
            throw QueryErrors.Malformed($"Invalid field {field.Path} for function {call.Name}: it needs a {(DateFunctions.NeedsDateTime(call.Name) ? "dateTime" : "date or dateTime")} field");
        }

        return path;
    }

    private static ApiException NotHere(SoqlFunctionCall call) =>
        Is(call, "convertTimezone")
            ? QueryErrors.Malformed("convertTimezone() can only be used inside a date function")
            : QueryErrors.Malformed($"The function {call.Name} is not valid at this location");

    private static bool Is(SoqlFunctionCall call, string name) => call.Name.Equals(name, StringComparison.OrdinalIgnoreCase);

    private List<SortKey<StoredRecord>> Order(SoqlList<SoqlOrderItem> items, ObjectSchema obj, Aliases aliases)
    {
        var keys = new List<SortKey<StoredRecord>>();
        foreach (var item in items)
        {
            if (item.Expression is SoqlFunctionCall call && !DateFunctions.IsDateFunction(call.Name) && !Is(call, "DISTANCE"))
            {
                throw call.Name.Equals("toLabel", StringComparison.OrdinalIgnoreCase) || Is(call, "FORMAT") || Is(call, "convertCurrency")
                    ? QueryErrors.Malformed($"{call.Name}() is not allowed in ORDER BY")
                    : QueryErrors.Malformed($"Ordered field must be grouped or aggregated: {call}");
            }

            var operand = RowOperand(item.Expression, obj, aliases);
            if (operand.Field is { } field && (field.Type == FieldType.MultiPicklist || Values.IsLongText(field)))
            {
                throw QueryErrors.InvalidField($"field '{operand.Display}' can not be sorted in a query call");
            }

            keys.Add(new SortKey<StoredRecord>(operand.Get, item.Direction == SoqlSortDirection.Descending, item.Nulls == SoqlNullsOrder.Last, operand.Field));
        }

        return keys;
    }

    /// <summary>The FROM alias (<c>FROM Contact c</c>) and aliased relationships (<c>c.Account a</c>) of a query.</summary>
    private sealed class Aliases
    {
        private readonly string? _root;
        private readonly Dictionary<string, string[]> _related = new(StringComparer.OrdinalIgnoreCase);

        private Aliases(string? root) => _root = root;

        public static Aliases Of(SoqlFrom from)
        {
            var aliases = new Aliases(from.Alias);
            foreach (var related in from.Related)
            {
                if (related.Alias is not null)
                {
                    aliases._related[related.Alias] = aliases.Segments(related.Path);
                }
            }

            return aliases;
        }

        /// <summary>The path's names with the root alias dropped and an aliased relationship spelled out.</summary>
        public string[] Segments(string path)
        {
            var segments = path.Split('.');
            if (segments.Length > 1 && _root is not null && segments[0].Equals(_root, StringComparison.OrdinalIgnoreCase))
            {
                return segments[1..];
            }

            if (segments.Length > 1 && _related.TryGetValue(segments[0], out var prefix))
            {
                return [.. prefix, .. segments[1..]];
            }

            return segments;
        }
    }
}
