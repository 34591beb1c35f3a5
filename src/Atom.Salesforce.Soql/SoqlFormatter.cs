using System.Globalization;
using System.Text;

namespace Atom.Salesforce.Soql;

/// <summary>
/// Prints a syntax tree as canonical SOQL: keywords and known function names in their documented case, one space between
/// tokens, <c>", "</c> between list items, names and literals as the tree holds them. Everything a tree can hold prints as
/// valid SOQL: names were checked when the nodes were made and strings are escaped here.
/// </summary>
internal static class SoqlFormatter
{
    public static string Format(SoqlQuery query) => Write(query, static (b, q) => b.Query(q));

    public static string Format(SoqlExpression expression) => Write(expression, static (b, e) => b.Expression(e));

    public static string Format(SoqlCondition condition) => Write(condition, static (b, c) => b.Condition(c));

    public static string Format(SoqlSelectItem item) => Write(item, static (b, i) => b.SelectItem(i));

    public static string Format(SoqlFrom from) => Write(from, static (b, f) => b.From(f));

    public static string Format(SoqlWithClause clause) => Write(clause, static (b, c) => b.With(c));

    public static string Format(SoqlGroupBy groupBy) => Write(groupBy, static (b, g) => b.GroupBy(g));

    public static string Format(SoqlOrderItem item) => Write(item, static (b, o) => b.OrderItem(o));

    /// <summary>One writer per thread, reused: formatting calls no user code, so it never re-enters.</summary>
    [ThreadStatic]
    private static Writer? t_writer;

    private static string Write<T>(T node, Action<Writer, T> write)
    {
        var writer = t_writer ??= new Writer();
        writer.Clear();
        write(writer, node);
        return writer.ToString();
    }

    private sealed class Writer
    {
        private const int MaxRetainedCapacity = 16 * 1024;

        private readonly Action<SoqlSelectItem> _selectItem;
        private readonly Action<SoqlExpression> _expression;
        private readonly Action<SoqlOrderItem> _orderItem;
        private StringBuilder _builder = new(256);

        public Writer()
        {
            _selectItem = SelectItem;
            _expression = Expression;
            _orderItem = OrderItem;
        }

        public void Clear()
        {
            if (_builder.Capacity > MaxRetainedCapacity)
            {
                _builder = new StringBuilder(256);
            }

            _builder.Clear();
        }

        public override string ToString() => _builder.ToString();

        public void Query(SoqlQuery query)
        {
            _builder.Append("SELECT ");
            List(query.Select, _selectItem);
            _builder.Append(" FROM ");
            From(query.From);
            if (query.UsingScope is { } scope)
            {
                _builder.Append(" USING SCOPE ").Append(scope);
            }

            if (query.Where is { } where)
            {
                _builder.Append(" WHERE ");
                Condition(where);
            }

            foreach (var with in query.With)
            {
                _builder.Append(" WITH ");
                With(with);
            }

            if (query.GroupBy is { } groupBy)
            {
                _builder.Append(" GROUP BY ");
                GroupBy(groupBy);
            }

            if (query.Having is { } having)
            {
                _builder.Append(" HAVING ");
                Condition(having);
            }

            if (query.OrderBy.Count > 0)
            {
                _builder.Append(" ORDER BY ");
                List(query.OrderBy, _orderItem);
            }

            Count(" LIMIT ", query.Limit, query.LimitBind);
            Count(" OFFSET ", query.Offset, query.OffsetBind);
            if (query.Bind.Count > 0)
            {
                _builder.Append(" BIND ");
                NamedValues(query.Bind);
            }

            if ((query.For & (SoqlForClause.View | SoqlForClause.Reference)) != 0)
            {
                _builder.Append(" FOR ");
                Flags(((query.For & SoqlForClause.View) != 0, "VIEW"), ((query.For & SoqlForClause.Reference) != 0, "REFERENCE"));
            }

            if (query.Update != SoqlUpdateClause.None)
            {
                _builder.Append(" UPDATE ");
                Flags(((query.Update & SoqlUpdateClause.Tracking) != 0, "TRACKING"), ((query.Update & SoqlUpdateClause.Viewstat) != 0, "VIEWSTAT"));
            }

            if ((query.For & SoqlForClause.Update) != 0)
            {
                _builder.Append(" FOR UPDATE");
            }

            if (query.AllRows)
            {
                _builder.Append(" ALL ROWS");
            }
        }

        private void Count(string keyword, int? value, SoqlBind? bind)
        {
            if (value is { } count)
            {
                _builder.Append(keyword).Append(count.ToString(CultureInfo.InvariantCulture));
            }
            else if (bind is not null)
            {
                _builder.Append(keyword);
                Expression(bind);
            }
        }

        private void Flags((bool Set, string Word) first, (bool Set, string Word) second)
        {
            if (first.Set)
            {
                _builder.Append(first.Word);
            }

            if (second.Set)
            {
                _builder.Append(first.Set ? ", " : string.Empty).Append(second.Word);
            }
        }

        public void SelectItem(SoqlSelectItem item)
        {
            switch (item)
            {
                case SoqlSelectExpression expression:
                    Expression(expression.Expression);
                    if (expression.Alias is { } alias)
                    {
                        _builder.Append(' ').Append(alias);
                    }

                    break;
                case SoqlSelectFields fields:
                    _builder.Append("FIELDS(").Append(fields.Scope switch
                    {
                        SoqlFieldsScope.All => "ALL",
                        SoqlFieldsScope.Standard => "STANDARD",
                        _ => "CUSTOM",
                    }).Append(')');
                    break;
                case SoqlSelectSubquery subquery:
                    _builder.Append('(');
                    Query(subquery.Query);
                    _builder.Append(')');
                    break;
                case SoqlSelectTypeOf typeOf:
                    _builder.Append("TYPEOF ").Append(typeOf.Relationship);
                    foreach (var when in typeOf.Whens)
                    {
                        _builder.Append(" WHEN ").Append(when.ObjectType).Append(" THEN ");
                        List(when.Fields, _expression);
                    }

                    if (typeOf.Else is { } elseFields)
                    {
                        _builder.Append(" ELSE ");
                        List(elseFields, _expression);
                    }

                    _builder.Append(" END");
                    break;
            }
        }

        public void From(SoqlFrom from)
        {
            _builder.Append(from.ObjectType);
            if (from.Alias is { } alias)
            {
                _builder.Append(' ').Append(alias);
            }

            foreach (var related in from.Related)
            {
                _builder.Append(", ").Append(related.Path);
                if (related.Alias is { } relatedAlias)
                {
                    _builder.Append(' ').Append(relatedAlias);
                }
            }
        }

        public void With(SoqlWithClause clause)
        {
            switch (clause)
            {
                case SoqlWithSecurity security:
                    _builder.Append(security.Mode switch
                    {
                        SoqlSecurityMode.SecurityEnforced => "SECURITY_ENFORCED",
                        SoqlSecurityMode.UserMode => "USER_MODE",
                        _ => "SYSTEM_MODE",
                    });
                    break;
                case SoqlWithDataCategory dataCategory:
                    _builder.Append("DATA CATEGORY ");
                    var first = true;
                    foreach (var filter in dataCategory.Filters)
                    {
                        _builder.Append(first ? string.Empty : " AND ").Append(filter.Group).Append(' ').Append(filter.Selector switch
                        {
                            SoqlDataCategorySelector.At => "AT",
                            SoqlDataCategorySelector.Above => "ABOVE",
                            SoqlDataCategorySelector.Below => "BELOW",
                            _ => "ABOVE_OR_BELOW",
                        }).Append(' ');
                        if (filter.Categories.Count == 1)
                        {
                            _builder.Append(filter.Categories[0]);
                        }
                        else
                        {
                            _builder.Append('(').AppendJoin(", ", filter.Categories).Append(')');
                        }

                        first = false;
                    }

                    break;
                case SoqlWithFilter filter:
                    _builder.Append(filter.Name).Append(" = ");
                    Expression(filter.Value);
                    break;
                case SoqlWithParameters parameters:
                    _builder.Append(parameters.Name).Append('(');
                    NamedValues(parameters.Parameters);
                    _builder.Append(')');
                    break;
                case SoqlWithIdentifier identifier:
                    _builder.Append(identifier.Name);
                    break;
            }
        }

        private void NamedValues(SoqlList<SoqlNamedValue> values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                _builder.Append(i == 0 ? string.Empty : ", ").Append(values[i].Name).Append(" = ");
                Expression(values[i].Value);
            }
        }

        public void GroupBy(SoqlGroupBy groupBy)
        {
            switch (groupBy.Kind)
            {
                case SoqlGroupByKind.Rollup:
                    _builder.Append("ROLLUP(");
                    List(groupBy.Expressions, _expression);
                    _builder.Append(')');
                    break;
                case SoqlGroupByKind.Cube:
                    _builder.Append("CUBE(");
                    List(groupBy.Expressions, _expression);
                    _builder.Append(')');
                    break;
                default:
                    List(groupBy.Expressions, _expression);
                    break;
            }
        }

        public void OrderItem(SoqlOrderItem item)
        {
            Expression(item.Expression);
            if (item.Direction is { } direction)
            {
                _builder.Append(direction == SoqlSortDirection.Ascending ? " ASC" : " DESC");
            }

            if (item.Nulls is { } nulls)
            {
                _builder.Append(nulls == SoqlNullsOrder.First ? " NULLS FIRST" : " NULLS LAST");
            }
        }

        public void Condition(SoqlCondition condition)
        {
            switch (condition)
            {
                case SoqlComparison comparison:
                    Expression(comparison.Left);
                    _builder.Append(comparison.Operator switch
                    {
                        SoqlComparisonOperator.Equal => " = ",
                        SoqlComparisonOperator.NotEqual => " != ",
                        SoqlComparisonOperator.LessOrGreater => " <> ",
                        SoqlComparisonOperator.LessThan => " < ",
                        SoqlComparisonOperator.LessThanOrEqual => " <= ",
                        SoqlComparisonOperator.GreaterThan => " > ",
                        SoqlComparisonOperator.GreaterThanOrEqual => " >= ",
                        _ => " LIKE ",
                    });
                    if (comparison.Operator == SoqlComparisonOperator.Like && comparison.Right is SoqlString pattern)
                    {
                        String(pattern, like: true);
                    }
                    else
                    {
                        Expression(comparison.Right);
                    }

                    break;
                case SoqlSetComparison set:
                    Expression(set.Left);
                    _builder.Append(' ').Append(SetOperator(set.Operator)).Append(" (");
                    List(set.Values, _expression);
                    _builder.Append(')');
                    break;
                case SoqlSetBind bind:
                    Expression(bind.Left);
                    _builder.Append(' ').Append(SetOperator(bind.Operator)).Append(' ');
                    Expression(bind.Bind);
                    break;
                case SoqlSemiJoin join:
                    Expression(join.Left);
                    _builder.Append(join.Negated ? " NOT IN (" : " IN (");
                    Query(join.Subquery);
                    _builder.Append(')');
                    break;
                case SoqlAnd and:
                    Junction(and.Operands, " AND ", needsParentheses: static c => c is SoqlOr);
                    break;
                case SoqlOr or:
                    Junction(or.Operands, " OR ", needsParentheses: static c => c is SoqlAnd);
                    break;
                case SoqlNot not:
                    _builder.Append("NOT ");
                    Operand(not.Operand, not.Operand is SoqlAnd or SoqlOr);
                    break;
                case SoqlParenthesized parenthesized:
                    Operand(parenthesized.Inner, parenthesized: true);
                    break;
            }
        }

        private void Junction(SoqlList<SoqlCondition> operands, string keyword, Func<SoqlCondition, bool> needsParentheses)
        {
            for (var i = 0; i < operands.Count; i++)
            {
                if (i > 0)
                {
                    _builder.Append(keyword);
                }

                Operand(operands[i], needsParentheses(operands[i]));
            }
        }

        private void Operand(SoqlCondition condition, bool parenthesized)
        {
            if (parenthesized)
            {
                _builder.Append('(');
            }

            Condition(condition);
            if (parenthesized)
            {
                _builder.Append(')');
            }
        }

        private static string SetOperator(SoqlSetOperator op) => op switch
        {
            SoqlSetOperator.In => "IN",
            SoqlSetOperator.NotIn => "NOT IN",
            SoqlSetOperator.Includes => "INCLUDES",
            _ => "EXCLUDES",
        };

        public void Expression(SoqlExpression expression)
        {
            switch (expression)
            {
                case SoqlField field:
                    _builder.Append(field.Path);
                    break;
                case SoqlFunctionCall call:
                    _builder.Append(call.Name).Append('(');
                    List(call.Arguments, _expression);
                    _builder.Append(')');
                    break;
                case SoqlArithmetic arithmetic:
                    Expression(arithmetic.Left);
                    _builder.Append(arithmetic.Operator == SoqlArithmeticOperator.Add ? " + " : " - ");
                    Expression(arithmetic.Right);
                    break;
                case SoqlBind bind:
                    _builder.Append(':').Append(bind.Expression);
                    break;
                case SoqlString text:
                    String(text, like: false);
                    break;
                case SoqlNumber number:
                    _builder.Append(number.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case SoqlBoolean boolean:
                    _builder.Append(boolean.Value ? "TRUE" : "FALSE");
                    break;
                case SoqlNull:
                    _builder.Append("NULL");
                    break;
                case SoqlDate date:
                    _builder.Append(date.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    break;
                case SoqlDateTime dateTime:
                    _builder.Append(dateTime.Text);
                    break;
                case SoqlTime time:
                    _builder.Append(time.Text);
                    break;
                case SoqlCurrency currency:
                    _builder.Append(currency.IsoCode).Append(currency.Amount.ToString(CultureInfo.InvariantCulture));
                    break;
                case SoqlRelativeDate relative:
                    _builder.Append(SoqlDateLiterals.Name(relative.Kind));
                    if (relative.Count is { } count)
                    {
                        _builder.Append(':').Append(count.ToString(CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        /// <summary>
        /// A quoted string. In a LIKE pattern a backslash already escapes the next <c>%</c>, <c>_</c> or backslash and
        /// is written as it is; anywhere else a backslash is doubled.
        /// </summary>
        private void String(SoqlString literal, bool like)
        {
            // The text as written only where it means the same: a LIKE pattern's escapes differ from a plain string's.
            if (literal.SourceText is { } written && literal.SourceIsLikePattern == like)
            {
                _builder.Append(written);
                return;
            }

            var value = literal.Value;
            _builder.Append('\'');
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (like && c == '\\' && i + 1 < value.Length && value[i + 1] is '%' or '_' or '\\')
                {
                    _builder.Append(c).Append(value[++i]);
                    continue;
                }

                switch (c)
                {
                    case '\\': _builder.Append(@"\\"); break;
                    case '\'': _builder.Append(@"\'"); break;
                    case '\n': _builder.Append(@"\n"); break;
                    case '\r': _builder.Append(@"\r"); break;
                    case '\t': _builder.Append(@"\t"); break;
                    case '\b': _builder.Append(@"\b"); break;
                    case '\f': _builder.Append(@"\f"); break;
                    default:
                        if (char.IsControl(c))
                        {
                            _builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            _builder.Append(c);
                        }

                        break;
                }
            }

            _builder.Append('\'');
        }

        private void List<T>(SoqlList<T> items, Action<T> write)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    _builder.Append(", ");
                }

                write(items[i]);
            }
        }
    }
}
