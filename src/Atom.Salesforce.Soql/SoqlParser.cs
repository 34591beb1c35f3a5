using System.Globalization;
using System.Text;
using Atom.Salesforce.Soql.Errors;

namespace Atom.Salesforce.Soql;

/// <summary>
/// A recursive-descent parser for SOQL (grammar: reference §6). It reads the whole statement or fails with a
/// <see cref="SoqlSyntaxException"/> that says where; it never throws anything else, and its recursion is bounded.
/// </summary>
internal sealed class SoqlParser
{
    /// <summary>Salesforce refuses longer statements.</summary>
    public const int MaxLength = 100_000;

    /// <summary>How deep parentheses, subqueries and function calls may nest together.</summary>
    public const int MaxDepth = 100;

    private const string ApexHint = " Set SoqlParseOptions.AllowApexSyntax to accept it.";

    private readonly SoqlLexer _lexer;
    private readonly string _text;
    private readonly bool _apex;
    private SoqlToken _token;
    private int _depth;

    private SoqlParser(string text, SoqlParseOptions options)
    {
        _text = text;
        _apex = options.AllowApexSyntax;
        _lexer = new SoqlLexer(text, options.AllowApexSyntax);
    }

    /// <summary>Where a clause is: decides which functions may appear.</summary>
    private enum Clause
    {
        Select,
        Where,
        Having,
        GroupBy,
        OrderBy,
    }

    private enum QueryKind
    {
        Top,
        Child,
        SemiJoin,
    }

    public static SoqlQuery ParseQuery(string text, SoqlParseOptions options)
    {
        var parser = Start(text, options);
        var query = parser.Query(QueryKind.Top);
        parser.ExpectEnd("a clause (WHERE, WITH, GROUP BY, ORDER BY, LIMIT, OFFSET, FOR, UPDATE) or the end of the query");
        return query;
    }

    /// <summary>Reads a bare WHERE condition (no WHERE keyword).</summary>
    public static SoqlCondition ParseCondition(string text, SoqlParseOptions options)
    {
        var parser = Start(text, options);
        var condition = parser.Condition(Clause.Where);
        parser.ExpectEnd("AND, OR or the end of the condition");
        return condition;
    }

    private static SoqlParser Start(string text, SoqlParseOptions options)
    {
        if (text.Length > MaxLength)
        {
            throw Error(
                text,
                MaxLength,
                1,
                string.Create(CultureInfo.InvariantCulture, $"A SOQL statement can be at most {MaxLength:N0} characters; this one has {text.Length:N0}."),
                null);
        }

        var parser = new SoqlParser(text, options);
        parser.Advance();
        return parser;
    }

    /// <summary>An exception for a problem at <paramref name="start"/>, with its line and column.</summary>
    public static SoqlSyntaxException Error(string text, int start, int length, string problem, string? expected, bool apexOnly = false)
    {
        var line = 1;
        var lineStart = 0;
        var end = Math.Min(start, text.Length);
        for (var i = 0; i < end; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        string? token = start >= text.Length ? null : text.Substring(start, Math.Clamp(length, 1, Math.Min(40, text.Length - start)));
        return new SoqlSyntaxException(apexOnly ? problem + ApexHint : problem, start, line, start - lineStart + 1, token, expected);
    }

    private SoqlSyntaxException Error(SoqlToken token, string problem, string? expected = null, bool apexOnly = false) =>
        Error(_text, token.Start, token.Length, problem, expected, apexOnly);

    private SoqlSyntaxException Unexpected(string expected) =>
        Error(_token, _token.Kind == SoqlTokenKind.End ? "The query ends too soon." : $"'{Text(_token)}' is not expected here.", expected);

    // ---- Queries ------------------------------------------------------------------------------------------------

    private SoqlQuery Query(QueryKind kind)
    {
        Enter();
        ExpectKeyword("SELECT");
        var select = SelectList(kind);
        ExpectKeyword("FROM");
        var from = FromClause();

        string? scope = null;
        if (IsKeyword("USING"))
        {
            Advance();
            ExpectKeyword("SCOPE");
            scope = Name("a filter scope (mine, team, everything, ...)");
        }

        SoqlCondition? where = null;
        if (IsKeyword("WHERE"))
        {
            Advance();
            where = Condition(Clause.Where);
        }

        List<SoqlWithClause>? with = null;
        while (IsKeyword("WITH"))
        {
            Advance();
            (with ??= []).Add(WithClause());
        }

        SoqlGroupBy? groupBy = null;
        SoqlCondition? having = null;
        if (IsKeyword("GROUP"))
        {
            Advance();
            ExpectKeyword("BY");
            groupBy = GroupByClause();
            if (IsKeyword("HAVING"))
            {
                Advance();
                having = Condition(Clause.Having);
            }
        }

        List<SoqlOrderItem>? orderBy = null;
        if (IsKeyword("ORDER"))
        {
            Advance();
            ExpectKeyword("BY");
            orderBy = [];
            do
            {
                orderBy.Add(OrderItem());
            }
            while (TryConsume(SoqlTokenKind.Comma));
        }

        var (limit, limitBind) = IsKeyword("LIMIT") ? Count("LIMIT") : (null, null);
        var (offset, offsetBind) = IsKeyword("OFFSET") ? Count("OFFSET") : (null, null);
        var binds = TryConsumeKeyword("BIND") ? NamedValues() : SoqlList<SoqlNamedValue>.Empty;

        var (forClause, updateClause, allRows) = TrailingClauses();

        Leave();
        var query = new SoqlQuery(select, from)
        {
            UsingScope = scope,
            Where = where,
            With = Freeze(with),
            GroupBy = groupBy,
            Having = having,
            OrderBy = Freeze(orderBy),
            Limit = limit,
            Offset = offset,
            LimitBind = limitBind,
            OffsetBind = offsetBind,
            Bind = binds,
            For = forClause,
            Update = updateClause,
            AllRows = allRows,
        };
        return query;
    }

    private SoqlList<SoqlSelectItem> SelectList(QueryKind kind)
    {
        var items = new List<SoqlSelectItem>();
        var countStart = default(SoqlToken?);
        do
        {
            var start = _token;
            var item = SelectItem(kind);
            if (item is SoqlSelectExpression { Expression: SoqlFunctionCall { Name: "COUNT", Arguments.Count: 0 } })
            {
                countStart = start;
            }

            items.Add(item);
        }
        while (TryConsume(SoqlTokenKind.Comma));

        if (countStart is { } count && items.Count > 1)
        {
            throw Error(count, "A COUNT() query cannot select anything else.");
        }

        return Freeze(items);
    }

    private SoqlSelectItem SelectItem(QueryKind kind)
    {
        if (_token.Kind == SoqlTokenKind.LeftParen)
        {
            if (kind == QueryKind.SemiJoin)
            {
                throw Error(_token, "A semi-join subquery cannot hold a child subquery.");
            }

            Advance();
            if (!IsKeyword("SELECT"))
            {
                throw Unexpected("a subquery (SELECT ...)");
            }

            var subquery = Query(QueryKind.Child);
            Expect(SoqlTokenKind.RightParen, "')' to close the subquery");
            return new SoqlSelectSubquery(subquery);
        }

        if (IsKeyword("TYPEOF") && Peek().Kind == SoqlTokenKind.Identifier)
        {
            return TypeOf();
        }

        if (IsKeyword("FIELDS") && Peek().Kind == SoqlTokenKind.LeftParen)
        {
            Advance();
            Advance();
            var scopeToken = _token;
            SoqlFieldsScope scope;
            if (IsKeyword("ALL"))
            {
                scope = SoqlFieldsScope.All;
            }
            else if (IsKeyword("STANDARD"))
            {
                scope = SoqlFieldsScope.Standard;
            }
            else if (IsKeyword("CUSTOM"))
            {
                scope = SoqlFieldsScope.Custom;
            }
            else
            {
                throw Error(scopeToken, "FIELDS() takes ALL, STANDARD or CUSTOM.", "ALL, STANDARD or CUSTOM");
            }

            Advance();
            Expect(SoqlTokenKind.RightParen, "')'");
            return new SoqlSelectFields(scope);
        }

        var expression = FieldOrFunction(Clause.Select, parent: null);
        if (expression is SoqlFunctionCall { Name: "convertTimezone" or "GEOLOCATION" } misplaced)
        {
            throw Error(_token, $"{misplaced.Name}() cannot be selected on its own.");
        }

        return new SoqlSelectExpression(expression, OptionalAlias());
    }

    private SoqlSelectTypeOf TypeOf()
    {
        Advance();
        var relationship = Path("a polymorphic relationship (What, Who, Owner, ...)");
        var whens = new List<SoqlTypeOfWhen>();
        while (IsKeyword("WHEN"))
        {
            Advance();
            var type = Name("an object type", allowReserved: true);
            ExpectKeyword("THEN");
            whens.Add(new SoqlTypeOfWhen(type, FieldList()));
        }

        if (whens.Count == 0)
        {
            throw Unexpected("WHEN");
        }

        SoqlList<SoqlField>? elseFields = null;
        if (IsKeyword("ELSE"))
        {
            Advance();
            elseFields = FieldList();
        }

        ExpectKeyword("END");
        return new SoqlSelectTypeOf(relationship, Freeze(whens), elseFields);
    }

    private SoqlList<SoqlField> FieldList()
    {
        var fields = new List<SoqlField>();
        do
        {
            fields.Add(new SoqlField(Path("a field")));
        }
        while (TryConsume(SoqlTokenKind.Comma));
        return Freeze(fields);
    }

    private string? OptionalAlias()
    {
        if (IsKeyword("AS") && Peek() is { Kind: SoqlTokenKind.Identifier } next && !SoqlKeywords.IsReserved(Span(next)))
        {
            Advance();
        }

        if (_token.Kind != SoqlTokenKind.Identifier || SoqlKeywords.IsReserved(Span(_token)) || StartsClause())
        {
            return null;
        }

        RequireNameToken(_token, "an alias");
        var alias = Text(_token);
        Advance();
        return alias;
    }

    /// <summary>Whether the word here starts a clause rather than naming an alias (ORDER, OFFSET, FOR, ... are not reserved).</summary>
    private bool StartsClause()
    {
        if (IsKeyword("ORDER") || IsKeyword("FOR") || IsKeyword("UPDATE") || IsKeyword("ALL") || IsKeyword("OFFSET") || IsKeyword("BIND"))
        {
            var next = Peek();
            return (IsKeyword("ORDER") && IsKeyword(next, "BY"))
                || (IsKeyword("FOR") && (IsKeyword(next, "VIEW") || IsKeyword(next, "REFERENCE") || IsKeyword(next, "UPDATE")))
                || (IsKeyword("UPDATE") && (IsKeyword(next, "TRACKING") || IsKeyword(next, "VIEWSTAT")))
                || (IsKeyword("ALL") && IsKeyword(next, "ROWS"))
                || (IsKeyword("OFFSET") && next.Kind is SoqlTokenKind.Number or SoqlTokenKind.Colon)
                || (IsKeyword("BIND") && next.Kind == SoqlTokenKind.Identifier);
        }

        return false;
    }

    private SoqlFrom FromClause()
    {
        // Group is both an object and a reserved word.
        if (_token.Kind != SoqlTokenKind.Identifier || (SoqlKeywords.IsReserved(Span(_token)) && !IsKeyword("GROUP")))
        {
            throw Unexpected("an object name");
        }

        var objectType = Path("an object name", allowReserved: true);
        var alias = OptionalAlias();
        List<SoqlRelatedObject>? related = null;
        while (TryConsume(SoqlTokenKind.Comma))
        {
            var path = Path("a relationship path (c.Account)");
            (related ??= []).Add(new SoqlRelatedObject(path, OptionalAlias()));
        }

        return new SoqlFrom(objectType, alias) { Related = Freeze(related) };
    }

    private SoqlWithClause WithClause()
    {
        if (IsKeyword("SECURITY_ENFORCED"))
        {
            Advance();
            return new SoqlWithSecurity(SoqlSecurityMode.SecurityEnforced);
        }

        if (IsKeyword("USER_MODE"))
        {
            Advance();
            return new SoqlWithSecurity(SoqlSecurityMode.UserMode);
        }

        if (IsKeyword("SYSTEM_MODE"))
        {
            Advance();
            return new SoqlWithSecurity(SoqlSecurityMode.SystemMode);
        }

        if (IsKeyword("DATA") && IsKeyword(Peek(), "CATEGORY"))
        {
            Advance();
            Advance();
            var filters = new List<SoqlDataCategoryFilter>();
            do
            {
                filters.Add(DataCategoryFilter());
            }
            while (TryConsumeKeyword("AND"));
            return new SoqlWithDataCategory(Freeze(filters));
        }

        const string Expected = "SECURITY_ENFORCED, USER_MODE, SYSTEM_MODE, DATA CATEGORY or a filter such as DIVISION = 'Global'";
        if (_token.Kind != SoqlTokenKind.Identifier || SoqlKeywords.IsReserved(Span(_token)))
        {
            throw Unexpected(Expected);
        }

        var nameToken = _token;
        RequireNameToken(nameToken, Expected);
        var name = Text(_token);
        Advance();
        if (TryConsume(SoqlTokenKind.Equal))
        {
            return new SoqlWithFilter(name, Literal());
        }

        if (TryConsume(SoqlTokenKind.LeftParen))
        {
            var parameters = NamedValues();
            Expect(SoqlTokenKind.RightParen, "')'");
            return new SoqlWithParameters(name, parameters);
        }

        if (!_apex)
        {
            throw Error(nameToken, $"'{name}' is not a WITH clause the REST API knows.", Expected);
        }

        return new SoqlWithIdentifier(name);
    }

    /// <summary><c>name = literal, ...</c></summary>
    private SoqlList<SoqlNamedValue> NamedValues()
    {
        var values = new List<SoqlNamedValue>();
        do
        {
            var name = Name("a parameter name");
            Expect(SoqlTokenKind.Equal, "'='");
            values.Add(new SoqlNamedValue(name, Literal()));
        }
        while (TryConsume(SoqlTokenKind.Comma));
        return Freeze(values);
    }

    private SoqlDataCategoryFilter DataCategoryFilter()
    {
        var group = Name("a data category group");
        SoqlDataCategorySelector selector;
        if (IsKeyword("AT"))
        {
            selector = SoqlDataCategorySelector.At;
        }
        else if (IsKeyword("ABOVE"))
        {
            selector = SoqlDataCategorySelector.Above;
        }
        else if (IsKeyword("BELOW"))
        {
            selector = SoqlDataCategorySelector.Below;
        }
        else if (IsKeyword("ABOVE_OR_BELOW"))
        {
            selector = SoqlDataCategorySelector.AboveOrBelow;
        }
        else
        {
            throw Unexpected("AT, ABOVE, BELOW or ABOVE_OR_BELOW");
        }

        Advance();
        var categories = new List<string>();
        if (TryConsume(SoqlTokenKind.LeftParen))
        {
            do
            {
                categories.Add(Name("a data category"));
            }
            while (TryConsume(SoqlTokenKind.Comma));
            Expect(SoqlTokenKind.RightParen, "')'");
        }
        else
        {
            categories.Add(Name("a data category"));
        }

        return new SoqlDataCategoryFilter(group, selector, Freeze(categories));
    }

    private SoqlGroupBy GroupByClause()
    {
        var kind = SoqlGroupByKind.Plain;
        if ((IsKeyword("ROLLUP") || IsKeyword("CUBE")) && Peek().Kind == SoqlTokenKind.LeftParen)
        {
            kind = IsKeyword("ROLLUP") ? SoqlGroupByKind.Rollup : SoqlGroupByKind.Cube;
            Advance();
            Advance();
        }

        var expressions = new List<SoqlExpression>();
        do
        {
            expressions.Add(FieldOrFunction(Clause.GroupBy, parent: null));
        }
        while (TryConsume(SoqlTokenKind.Comma));

        if (kind != SoqlGroupByKind.Plain)
        {
            Expect(SoqlTokenKind.RightParen, "')'");
        }

        return new SoqlGroupBy(kind, Freeze(expressions));
    }

    private SoqlOrderItem OrderItem()
    {
        var expression = FieldOrFunction(Clause.OrderBy, parent: null);
        SoqlSortDirection? direction = null;
        if (TryConsumeKeyword("ASC"))
        {
            direction = SoqlSortDirection.Ascending;
        }
        else if (TryConsumeKeyword("DESC"))
        {
            direction = SoqlSortDirection.Descending;
        }

        SoqlNullsOrder? nulls = null;
        if (TryConsumeKeyword("NULLS"))
        {
            if (TryConsumeKeyword("FIRST"))
            {
                nulls = SoqlNullsOrder.First;
            }
            else if (TryConsumeKeyword("LAST"))
            {
                nulls = SoqlNullsOrder.Last;
            }
            else
            {
                throw Unexpected("FIRST or LAST");
            }
        }

        return new SoqlOrderItem(expression, direction, nulls);
    }

    private (int? Value, SoqlBind? Bind) Count(string clause)
    {
        Advance();
        if (_token.Kind == SoqlTokenKind.Colon)
        {
            return (null, Bind());
        }

        if (_token.Kind != SoqlTokenKind.Number || !int.TryParse(Span(_token), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(_token, $"{clause} takes a whole number of rows.", "a whole number");
        }

        Advance();
        return (value, null);
    }

    private (SoqlForClause For, SoqlUpdateClause Update, bool AllRows) TrailingClauses()
    {
        var forClause = SoqlForClause.None;
        var updateClause = SoqlUpdateClause.None;
        var allRows = false;
        while (true)
        {
            if (TryConsumeKeyword("FOR"))
            {
                do
                {
                    if (TryConsumeKeyword("VIEW"))
                    {
                        forClause |= SoqlForClause.View;
                    }
                    else if (TryConsumeKeyword("REFERENCE"))
                    {
                        forClause |= SoqlForClause.Reference;
                    }
                    else if (TryConsumeKeyword("UPDATE"))
                    {
                        forClause |= SoqlForClause.Update;
                    }
                    else
                    {
                        throw Unexpected("VIEW, REFERENCE or UPDATE");
                    }
                }
                while (TryConsume(SoqlTokenKind.Comma));
            }
            else if (IsKeyword("UPDATE") && (IsKeyword(Peek(), "TRACKING") || IsKeyword(Peek(), "VIEWSTAT")))
            {
                Advance();
                do
                {
                    if (TryConsumeKeyword("TRACKING"))
                    {
                        updateClause |= SoqlUpdateClause.Tracking;
                    }
                    else if (TryConsumeKeyword("VIEWSTAT"))
                    {
                        updateClause |= SoqlUpdateClause.Viewstat;
                    }
                    else
                    {
                        throw Unexpected("TRACKING or VIEWSTAT");
                    }
                }
                while (TryConsume(SoqlTokenKind.Comma));
            }
            else if (IsKeyword("ALL") && IsKeyword(Peek(), "ROWS"))
            {
                if (!_apex)
                {
                    throw Error(_token, "ALL ROWS is Apex syntax; over the REST API query deleted rows with queryAll (QueryOptions.IncludeDeleted).", apexOnly: true);
                }

                Advance();
                Advance();
                allRows = true;
            }
            else
            {
                return (forClause, updateClause, allRows);
            }
        }
    }

    // ---- Conditions ---------------------------------------------------------------------------------------------

    private SoqlCondition Condition(Clause clause)
    {
        Enter();
        var first = UnaryCondition(clause);
        SoqlCondition result = first;
        var isAnd = IsKeyword("AND");
        if (isAnd || IsKeyword("OR"))
        {
            var keyword = isAnd ? "AND" : "OR";
            var operands = new List<SoqlCondition> { first };
            while (TryConsumeKeyword(keyword))
            {
                operands.Add(UnaryCondition(clause));
            }

            if (IsKeyword(isAnd ? "OR" : "AND"))
            {
                throw Error(_token, "AND and OR cannot be mixed at one level: add parentheses to say which goes first.");
            }

            result = isAnd ? new SoqlAnd(Freeze(operands)) : new SoqlOr(Freeze(operands));
        }

        Leave();
        return result;
    }

    private SoqlCondition UnaryCondition(Clause clause)
    {
        if (IsKeyword("NOT"))
        {
            Advance();
            Enter();
            var operand = UnaryCondition(clause);
            Leave();
            return new SoqlNot(operand);
        }

        if (TryConsume(SoqlTokenKind.LeftParen))
        {
            var inner = Condition(clause);
            Expect(SoqlTokenKind.RightParen, "')' or AND / OR");
            return new SoqlParenthesized(inner);
        }

        return Predicate(clause);
    }

    private SoqlCondition Predicate(Clause clause)
    {
        var left = Operand(clause);
        var operatorToken = _token;
        SoqlComparisonOperator? comparison = _token.Kind switch
        {
            SoqlTokenKind.Equal => SoqlComparisonOperator.Equal,
            SoqlTokenKind.NotEqual => SoqlComparisonOperator.NotEqual,
            SoqlTokenKind.LessOrGreater => SoqlComparisonOperator.LessOrGreater,
            SoqlTokenKind.Less => SoqlComparisonOperator.LessThan,
            SoqlTokenKind.LessOrEqual => SoqlComparisonOperator.LessThanOrEqual,
            SoqlTokenKind.Greater => SoqlComparisonOperator.GreaterThan,
            SoqlTokenKind.GreaterOrEqual => SoqlComparisonOperator.GreaterThanOrEqual,
            _ => null,
        };

        if (comparison is { } op)
        {
            Advance();
            return new SoqlComparison(left, op, Value());
        }

        if (TryConsumeKeyword("LIKE"))
        {
            if (_token.Kind == SoqlTokenKind.Colon)
            {
                return new SoqlComparison(left, SoqlComparisonOperator.Like, Bind());
            }

            if (_token.Kind != SoqlTokenKind.String)
            {
                throw Unexpected("a string pattern ('Acme%')");
            }

            var pattern = new SoqlString(DecodeString(_token, like: true), Text(_token), likePattern: true);
            Advance();
            return new SoqlComparison(left, SoqlComparisonOperator.Like, pattern);
        }

        if (TryConsumeKeyword("IN"))
        {
            return InList(left, SoqlSetOperator.In, clause);
        }

        if (IsKeyword("NOT") && IsKeyword(Peek(), "IN"))
        {
            Advance();
            Advance();
            return InList(left, SoqlSetOperator.NotIn, clause);
        }

        if (TryConsumeKeyword("INCLUDES"))
        {
            return ValueList(left, SoqlSetOperator.Includes);
        }

        if (TryConsumeKeyword("EXCLUDES"))
        {
            return ValueList(left, SoqlSetOperator.Excludes);
        }

        throw Error(
            operatorToken,
            operatorToken.Kind == SoqlTokenKind.End ? "The condition ends before its operator." : $"'{Text(operatorToken)}' is not a comparison operator.",
            "=, !=, <, <=, >, >=, LIKE, IN, NOT IN, INCLUDES or EXCLUDES");
    }

    private SoqlCondition InList(SoqlExpression left, SoqlSetOperator op, Clause clause)
    {
        if (_token.Kind == SoqlTokenKind.Colon)
        {
            return new SoqlSetBind(left, op, Bind());
        }

        if (_token.Kind == SoqlTokenKind.LeftParen && IsKeyword(Peek(), "SELECT"))
        {
            var start = _token;
            Advance();
            if (left is not SoqlField field)
            {
                throw Error(start, "The left side of a semi-join must be an Id or reference field.");
            }

            if (clause == Clause.Having)
            {
                throw Error(start, "A semi-join cannot appear in HAVING.");
            }

            var subquery = Query(QueryKind.SemiJoin);
            Expect(SoqlTokenKind.RightParen, "')' to close the subquery");
            return new SoqlSemiJoin(field, op == SoqlSetOperator.NotIn, subquery);
        }

        return ValueList(left, op);
    }

    private SoqlSetComparison ValueList(SoqlExpression left, SoqlSetOperator op)
    {
        Expect(SoqlTokenKind.LeftParen, "'(' and a list of values");
        var values = new List<SoqlExpression>();
        do
        {
            values.Add(Value());
        }
        while (TryConsume(SoqlTokenKind.Comma));
        Expect(SoqlTokenKind.RightParen, "',' or ')'");
        return new SoqlSetComparison(left, op, Freeze(values));
    }

    /// <summary>The left side of a comparison: a field, a function, or a sum or difference of them.</summary>
    private SoqlExpression Operand(Clause clause)
    {
        var left = FieldOrFunction(clause, parent: null);
        var operators = 0;
        while (_token.Kind is SoqlTokenKind.Plus or SoqlTokenKind.Minus)
        {
            // Each operator nests the tree one level deeper (a + b + c is (a + b) + c): count it against the depth
            // bound, or a long chain would make a tree too deep to print or compare without overflowing the stack.
            Enter();
            operators++;
            var op = _token.Kind == SoqlTokenKind.Plus ? SoqlArithmeticOperator.Add : SoqlArithmeticOperator.Subtract;
            Advance();
            SoqlExpression right = _token.Kind == SoqlTokenKind.Number ? Value() : FieldOrFunction(clause, parent: null);
            left = new SoqlArithmetic(left, op, right);
        }

        _depth -= operators;
        return left;
    }

    // ---- Expressions --------------------------------------------------------------------------------------------

    private SoqlExpression FieldOrFunction(Clause clause, SoqlFunctions.Kind? parent)
    {
        if (_token.Kind != SoqlTokenKind.Identifier)
        {
            throw Unexpected("a field name");
        }

        var next = Peek();
        if (next.Kind == SoqlTokenKind.LeftParen)
        {
            return FunctionCall(clause, parent);
        }

        if (SoqlKeywords.IsReserved(Span(_token)) && next.Kind != SoqlTokenKind.Dot)
        {
            throw Unexpected("a field name");
        }

        return new SoqlField(Path("a field name", allowReserved: true));
    }

    private SoqlFunctionCall FunctionCall(Clause clause, SoqlFunctions.Kind? parent)
    {
        var nameToken = _token;
        RequireNameToken(nameToken, "a function name");
        var name = Text(nameToken);
        var known = SoqlFunctions.TryGet(name, out var kind);
        if (!known && !_apex)
        {
            throw Error(nameToken, $"There is no SOQL function named '{name}'.");
        }

        if (known)
        {
            CheckPlacement(nameToken, SoqlFunctions.CanonicalName(name), kind, clause, parent);
        }

        Advance();
        Advance();
        Enter();
        var arguments = new List<SoqlExpression>();
        if (_token.Kind != SoqlTokenKind.RightParen)
        {
            do
            {
                arguments.Add(Argument(clause, known ? kind : null));
            }
            while (TryConsume(SoqlTokenKind.Comma));
        }

        Expect(SoqlTokenKind.RightParen, "',' or ')'");
        Leave();
        var call = new SoqlFunctionCall(name, Freeze(arguments));
        if (known)
        {
            CheckArguments(nameToken, call, kind);
        }

        return call;
    }

    private SoqlExpression Argument(Clause clause, SoqlFunctions.Kind? parent)
    {
        switch (_token.Kind)
        {
            case SoqlTokenKind.Identifier:
                return FieldOrFunction(clause, parent);
            case SoqlTokenKind.String:
            case SoqlTokenKind.Number:
            case SoqlTokenKind.Minus:
            case SoqlTokenKind.Colon:
                return Value();
            default:
                throw Unexpected("a field name");
        }
    }

    private void CheckPlacement(SoqlToken at, string name, SoqlFunctions.Kind kind, Clause clause, SoqlFunctions.Kind? parent)
    {
        var problem = kind switch
        {
            SoqlFunctions.Kind.ConvertTimezone when parent != SoqlFunctions.Kind.Date =>
                "convertTimezone() can only be used inside a date function, such as HOUR_IN_DAY(convertTimezone(CreatedDate)).",
            SoqlFunctions.Kind.Geolocation when parent != SoqlFunctions.Kind.Distance => "GEOLOCATION() can only be used inside DISTANCE().",
            SoqlFunctions.Kind.ConvertCurrency when clause != Clause.Select =>
                "convertCurrency() can only be used in SELECT; filter with a currency literal such as USD5000 instead.",
            SoqlFunctions.Kind.ConvertCurrency when parent is not (null or SoqlFunctions.Kind.Format or SoqlFunctions.Kind.Aggregate) =>
                "convertCurrency() is not valid at this location.",
            SoqlFunctions.Kind.Format when clause != Clause.Select || parent is not null => "FORMAT() can only wrap a SELECT item.",
            SoqlFunctions.Kind.Aggregate or SoqlFunctions.Kind.Count when clause is Clause.Where or Clause.GroupBy =>
                $"Aggregate functions such as {name}() cannot be used in {(clause == Clause.Where ? "WHERE; filter on them in HAVING" : "GROUP BY")}.",
            SoqlFunctions.Kind.Aggregate or SoqlFunctions.Kind.Count when parent is not (null or SoqlFunctions.Kind.Format) =>
                $"{name}() cannot be nested in another function.",
            SoqlFunctions.Kind.Grouping when clause is not (Clause.Select or Clause.Having or Clause.OrderBy) =>
                "GROUPING() can only be used in SELECT, HAVING and ORDER BY.",
            SoqlFunctions.Kind.ToLabel when clause is not (Clause.Select or Clause.Where) || parent is not null =>
                "toLabel() can only be used in SELECT and WHERE.",
            SoqlFunctions.Kind.Distance when parent is not null => "DISTANCE() cannot be nested in another function.",
            SoqlFunctions.Kind.Date when parent is not null && parent != SoqlFunctions.Kind.Format =>
                $"{name}() cannot be nested in another function.",
            _ => null,
        };

        if (problem is not null)
        {
            throw Error(at, problem);
        }
    }

    private void CheckArguments(SoqlToken at, SoqlFunctionCall call, SoqlFunctions.Kind kind)
    {
        var arguments = call.Arguments;
        var expected = kind switch
        {
            SoqlFunctions.Kind.Count => arguments.Count <= 1 ? arguments.Count : 1,
            SoqlFunctions.Kind.Distance => 3,
            SoqlFunctions.Kind.Geolocation => 2,
            _ => 1,
        };

        if (arguments.Count != expected)
        {
            throw Error(at, $"{call.Name}() takes {expected} argument{(expected == 1 ? string.Empty : "s")}, but has {arguments.Count}.");
        }

        var valid = kind switch
        {
            SoqlFunctions.Kind.Aggregate => arguments[0] is SoqlField or SoqlFunctionCall { Name: "convertCurrency" },
            SoqlFunctions.Kind.Count or SoqlFunctions.Kind.Grouping or SoqlFunctions.Kind.ConvertTimezone
                or SoqlFunctions.Kind.ConvertCurrency or SoqlFunctions.Kind.ToLabel => arguments.All(a => a is SoqlField),
            SoqlFunctions.Kind.Date => arguments[0] is SoqlField or SoqlFunctionCall { Name: "convertTimezone" },
            SoqlFunctions.Kind.Format => arguments[0] is SoqlField
                || (arguments[0] is SoqlFunctionCall inner && (inner.Name == "convertCurrency" || SoqlFunctions.IsAggregate(inner.Name) || SoqlFunctions.TryGet(inner.Name, out var k) && k == SoqlFunctions.Kind.Date)),
            SoqlFunctions.Kind.Geolocation => arguments.All(a => a is SoqlNumber or SoqlBind),
            SoqlFunctions.Kind.Distance => arguments[0] is SoqlField
                && arguments[1] is SoqlField or SoqlBind or SoqlFunctionCall { Name: "GEOLOCATION" }
                && arguments[2] is SoqlString { Value: var unit } && (unit.Equals("mi", StringComparison.OrdinalIgnoreCase) || unit.Equals("km", StringComparison.OrdinalIgnoreCase)),
            _ => true,
        };

        if (!valid)
        {
            throw Error(at, kind switch
            {
                SoqlFunctions.Kind.Distance => "DISTANCE() takes a location field, a GEOLOCATION(latitude, longitude) or location field, and 'mi' or 'km'.",
                SoqlFunctions.Kind.Geolocation => "GEOLOCATION() takes a latitude and a longitude as numbers.",
                SoqlFunctions.Kind.Date => $"{call.Name}() takes a date or dateTime field, or convertTimezone(field).",
                _ => $"{call.Name}() takes a field.",
            });
        }
    }

    // ---- Values -------------------------------------------------------------------------------------------------

    private SoqlLiteral Literal()
    {
        var start = _token;
        return Value() as SoqlLiteral ?? throw Error(start, "A literal value is needed here, not a bind expression.");
    }

    private SoqlExpression Value()
    {
        var token = _token;
        switch (token.Kind)
        {
            case SoqlTokenKind.String:
                Advance();
                return new SoqlString(DecodeString(token, like: false), Text(token), likePattern: false);
            case SoqlTokenKind.Number:
                Advance();
                return new SoqlNumber(ParseDecimal(token, Span(token)));
            case SoqlTokenKind.Minus when Peek().Kind == SoqlTokenKind.Number:
                Advance();
                var number = _token;
                Advance();
                return new SoqlNumber(-ParseDecimal(number, Span(number)));
            case SoqlTokenKind.Date:
                Advance();
                return new SoqlDate(ParseDate(token));
            case SoqlTokenKind.DateTime:
                Advance();
                return new SoqlDateTime(ParseDateTime(token), Text(token));
            case SoqlTokenKind.Time:
                Advance();
                return new SoqlTime(ParseTime(token, Span(token)), Text(token));
            case SoqlTokenKind.Colon:
                return Bind();
            case SoqlTokenKind.Identifier:
                return NamedValue();
            default:
                throw Unexpected("a value (a 'string', number, date, TRUE, FALSE, NULL or a date literal such as TODAY)");
        }
    }

    private SoqlLiteral NamedValue()
    {
        var token = _token;
        var text = Text(token);
        Advance();
        if (text.Equals("NULL", StringComparison.OrdinalIgnoreCase))
        {
            return SoqlNull.Value;
        }

        if (text.Equals("TRUE", StringComparison.OrdinalIgnoreCase))
        {
            return SoqlBoolean.True;
        }

        if (text.Equals("FALSE", StringComparison.OrdinalIgnoreCase))
        {
            return SoqlBoolean.False;
        }

        if (IsCurrency(text))
        {
            return new SoqlCurrency(text[..3], ParseDecimal(token, text.AsSpan(3)));
        }

        if (SoqlDateLiterals.TryFind(text, out var kind))
        {
            if (!SoqlDateLiterals.TakesCount(kind))
            {
                return new SoqlRelativeDate(kind);
            }

            if (_token.Kind != SoqlTokenKind.Colon)
            {
                throw Error(token, $"{SoqlDateLiterals.Name(kind)} needs a count, as in {SoqlDateLiterals.Name(kind)}:7.", ":n");
            }

            Advance();
            if (_token.Kind != SoqlTokenKind.Number || !int.TryParse(Span(_token), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                throw Error(_token, $"{SoqlDateLiterals.Name(kind)} needs a whole number after the colon.", "a whole number");
            }

            Advance();
            return new SoqlRelativeDate(kind, count);
        }

        throw Error(
            token,
            $"'{Text(token)}' is not a value: put strings in single quotes ('{Text(token)}'), and write dates as 2024-01-31 or a date literal such as TODAY.",
            "a value");
    }

    private static bool IsCurrency(string text)
    {
        if (text.Length < 4 || !char.IsAsciiLetter(text[0]) || !char.IsAsciiLetter(text[1]) || !char.IsAsciiLetter(text[2]))
        {
            return false;
        }

        var dot = false;
        for (var i = 3; i < text.Length; i++)
        {
            if (text[i] == '.' && !dot && i > 3 && i < text.Length - 1)
            {
                dot = true;
            }
            else if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Reads an Apex bind expression after the colon: names, dots, calls, indexers and generic constructors, up to where
    /// the SOQL around it resumes. Spacing is normalized so that the expression prints the same however it was laid out.
    /// </summary>
    private SoqlBind Bind()
    {
        var colon = _token;
        if (!_apex)
        {
            throw Error(
                colon,
                "Bind variables (:name) are Apex syntax; the REST API does not accept them. Put the value in the query as a literal: Soql.Format does it safely.",
                apexOnly: true);
        }

        var (expression, end) = ReadBind(_text, colon);
        _lexer.Position = end;
        Advance();
        return new SoqlBind(expression);
    }

    /// <summary>
    /// Whether <paramref name="expression"/> is exactly what the parser reads as one bind expression after a colon, so that
    /// a <see cref="SoqlBind"/> built by hand prints as that one expression and nothing more.
    /// </summary>
    internal static bool IsBindExpression(string expression)
    {
        var text = ":" + expression;
        try
        {
            var (read, end) = ReadBind(text, new SoqlToken(SoqlTokenKind.Colon, 0, 1));
            return end == text.Length && read == expression;
        }
        catch (SoqlSyntaxException)
        {
            return false;
        }
    }

    /// <summary>The bind expression after <paramref name="colon"/>, spacing normalized, and where the SOQL around it resumes.</summary>
    private static (string Expression, int End) ReadBind(string text, SoqlToken colon)
    {
        var i = colon.End;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        var builder = new StringBuilder();
        var open = new Stack<char>();
        var pendingSpace = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                var j = i;
                while (j < text.Length && char.IsWhiteSpace(text[j]))
                {
                    j++;
                }

                var next = j < text.Length ? text[j] : '\0';
                var continues = open.Count > 0 || builder.ToString() == "new" || next is '.' or '(' or '[' || (next == '<' && IsGenericContext(builder))
                    || (next == '?' && j + 1 < text.Length && text[j + 1] == '.');
                if (!continues)
                {
                    break;
                }

                pendingSpace = true;
                i = j;
                continue;
            }

            if (c is '\'' or ';' or '"' or '/' or '*')
            {
                if (open.Count == 0)
                {
                    break;
                }

                throw Error(text, i, 1, "This bind expression holds something SOQL cannot carry (a string, a comment or a semicolon).", null);
            }

            if (open.Count == 0 && c is ',' or ')' or ']' or '=' or '!' or '>' || (c == '<' && !IsGenericContext(builder) && open.Count == 0))
            {
                break;
            }

            if (c is '(' or '[' or '<')
            {
                open.Push(c);
            }
            else if (c is ')' or ']' or '>')
            {
                var expectedOpen = c switch { ')' => '(', ']' => '[', _ => '<' };
                if (open.Count == 0 || open.Pop() != expectedOpen)
                {
                    throw Error(text, i, 1, "The brackets of this bind expression do not match.", null);
                }
            }

            if (pendingSpace && builder.Length > 0 && IsWordChar(builder[^1]) && IsWordChar(c))
            {
                builder.Append(' ');
            }

            pendingSpace = false;
            builder.Append(c);
            if (c == ',')
            {
                builder.Append(' ');
            }

            i++;
        }

        if (open.Count > 0)
        {
            throw Error(text, i, 1, "The bind expression is not closed.", null);
        }

        var expression = builder.ToString().Trim();
        if (expression.Length == 0)
        {
            throw Error(text, colon.Start, colon.Length, "A bind expression is needed after the colon.", "a variable name");
        }

        return (expression, i);

        static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
        static bool IsGenericContext(StringBuilder builder) => builder.Length > 4 && builder[0] == 'n' && builder.ToString().StartsWith("new ", StringComparison.Ordinal);
    }

    private string DecodeString(SoqlToken token, bool like)
    {
        var inner = _text.AsSpan(token.Start + 1, token.Length - 2);
        if (inner.IndexOf('\\') < 0)
        {
            return inner.ToString();
        }

        var builder = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            var at = token.Start + 1 + i;
            var escape = inner[++i];
            switch (escape)
            {
                case 'n' or 'N':
                    builder.Append('\n');
                    break;
                case 'r' or 'R':
                    builder.Append('\r');
                    break;
                case 't' or 'T':
                    builder.Append('\t');
                    break;
                case 'b' or 'B':
                    builder.Append('\b');
                    break;
                case 'f' or 'F':
                    builder.Append('\f');
                    break;
                case '"' or '\'':
                    builder.Append(escape);
                    break;
                case '\\':
                    builder.Append(like ? @"\\" : @"\");
                    break;
                case '%' or '_' when like:
                    builder.Append('\\').Append(escape);
                    break;
                case '%' or '_':
                    throw Error(_text, at, 2, $"'\\{escape}' is only allowed in a LIKE pattern.", null);
                case 'u' or 'U':
                    if (i + 4 >= inner.Length || !ushort.TryParse(inner.Slice(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error(_text, at, 2, "'\\u' must be followed by four hexadecimal digits.", null);
                    }

                    builder.Append((char)code);
                    i += 4;
                    break;
                default:
                    throw Error(_text, at, 2, $"'\\{escape}' is not a SOQL escape sequence; write a backslash as '\\\\'.", null);
            }
        }

        return builder.ToString();
    }

    private decimal ParseDecimal(SoqlToken token, ReadOnlySpan<char> text)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(token, "This number is out of range.");
        }

        return value;
    }

    private DateOnly ParseDate(SoqlToken token)
    {
        if (!DateOnly.TryParseExact(Span(token), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw Error(token, "This is not a valid date.", "yyyy-MM-dd");
        }

        return date;
    }

    private DateTimeOffset ParseDateTime(SoqlToken token)
    {
        var text = Span(token);
        var date = ParseDate(new SoqlToken(SoqlTokenKind.Date, token.Start, 10));
        var time = ParseTime(token, text[11..]);
        var zone = text[(11 + ClockLength(text[11..]))..];
        TimeSpan offset;
        if (zone is "Z" or "z")
        {
            offset = TimeSpan.Zero;
        }
        else if (zone.IsEmpty)
        {
            throw Error(token, "A dateTime needs a time zone: Z or an offset such as +01:00.", "Z or +hh:mm");
        }
        else
        {
            var digits = zone[1..].ToString().Replace(":", string.Empty, StringComparison.Ordinal);
            var hours = int.Parse(digits.AsSpan(0, 2), CultureInfo.InvariantCulture);
            var minutes = int.Parse(digits.AsSpan(2, 2), CultureInfo.InvariantCulture);
            if (hours > 14 || minutes > 59)
            {
                throw Error(token, "The time zone offset is out of range.");
            }

            offset = new TimeSpan(hours, minutes, 0) * (zone[0] == '-' ? -1 : 1);
        }

        return new DateTimeOffset(date.ToDateTime(time), offset);
    }

    private TimeOnly ParseTime(SoqlToken token, ReadOnlySpan<char> text)
    {
        var hours = int.Parse(text[..2], CultureInfo.InvariantCulture);
        var minutes = int.Parse(text.Slice(3, 2), CultureInfo.InvariantCulture);
        var seconds = int.Parse(text.Slice(6, 2), CultureInfo.InvariantCulture);
        if (hours > 23 || minutes > 59 || seconds > 59)
        {
            throw Error(token, "This time of day is out of range.");
        }

        long ticks = 0;
        var length = ClockLength(text);
        if (length > 8)
        {
            var fraction = text[9..length];
            var digits = fraction.Length > 7 ? fraction[..7] : fraction;
            ticks = long.Parse(digits, CultureInfo.InvariantCulture);
            for (var i = digits.Length; i < 7; i++)
            {
                ticks *= 10;
            }
        }

        return new TimeOnly(hours, minutes, seconds).Add(TimeSpan.FromTicks(ticks));
    }

    /// <summary>The length of <c>hh:mm:ss[.fff]</c> at the start of <paramref name="text"/>.</summary>
    private static int ClockLength(ReadOnlySpan<char> text)
    {
        var length = 8;
        if (text.Length > 8 && text[8] == '.')
        {
            length = 9;
            while (length < text.Length && char.IsAsciiDigit(text[length]))
            {
                length++;
            }
        }

        return length;
    }

    // ---- Tokens -------------------------------------------------------------------------------------------------

    private void Advance() => _token = _lexer.Next();

    private SoqlToken Peek()
    {
        var saved = _lexer.Position;
        var next = _lexer.Next();
        _lexer.Position = saved;
        return next;
    }

    private ReadOnlySpan<char> Span(SoqlToken token) => _text.AsSpan(token.Start, token.Length);

    private string Text(SoqlToken token) => _text.Substring(token.Start, token.Length);

    private bool IsKeyword(string keyword) => IsKeyword(_token, keyword);

    private bool IsKeyword(SoqlToken token, string keyword) =>
        token.Kind == SoqlTokenKind.Identifier && Span(token).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private bool TryConsumeKeyword(string keyword)
    {
        if (!IsKeyword(keyword))
        {
            return false;
        }

        Advance();
        return true;
    }

    private bool TryConsume(SoqlTokenKind kind)
    {
        if (_token.Kind != kind)
        {
            return false;
        }

        Advance();
        return true;
    }

    private void Expect(SoqlTokenKind kind, string expected)
    {
        if (!TryConsume(kind))
        {
            throw Unexpected(expected);
        }
    }

    private void ExpectKeyword(string keyword)
    {
        if (!TryConsumeKeyword(keyword))
        {
            throw Unexpected(keyword);
        }
    }

    private void ExpectEnd(string expected)
    {
        if (_token.Kind != SoqlTokenKind.End)
        {
            throw Unexpected(expected);
        }
    }

    private string Name(string expected, bool allowReserved = false)
    {
        if (_token.Kind != SoqlTokenKind.Identifier || (!allowReserved && SoqlKeywords.IsReserved(Span(_token))) || !SoqlNames.IsName(Span(_token)))
        {
            throw Unexpected(expected);
        }

        var name = Text(_token);
        Advance();
        return name;
    }

    /// <summary>
    /// An identifier token is not always a name the tree can hold: it may be longer than 255 characters, or a currency
    /// amount such as <c>EUR5.10</c>. Refuse those with a syntax error before a node's constructor refuses them.
    /// </summary>
    private void RequireNameToken(SoqlToken token, string expected)
    {
        if (!SoqlNames.IsName(Span(token)))
        {
            throw Error(token, token.Length > 255 ? "A name can be at most 255 characters." : $"'{Text(token)}' is not a name.", expected);
        }
    }

    /// <summary>Names joined by dots: <c>Account.Owner.Name</c>.</summary>
    private string Path(string expected, bool allowReserved = false)
    {
        if (_token.Kind != SoqlTokenKind.Identifier || !SoqlNames.IsName(Span(_token)) || (!allowReserved && SoqlKeywords.IsReserved(Span(_token))))
        {
            throw Unexpected(expected);
        }

        // Most paths are written without spaces or comments around the dots: then the path is one slice of the text.
        var first = _token;
        var last = _token;
        var parts = 1;
        var characters = first.Length;
        Advance();
        while (_token.Kind == SoqlTokenKind.Dot)
        {
            Advance();
            if (_token.Kind != SoqlTokenKind.Identifier || !SoqlNames.IsName(Span(_token)))
            {
                throw Unexpected("a field name after the dot");
            }

            last = _token;
            parts++;
            characters += _token.Length;
            Advance();
        }

        var slice = _text.AsSpan(first.Start, last.End - first.Start);
        return slice.Length == characters + parts - 1 ? slice.ToString() : JoinPath(slice);
    }

    /// <summary>A path written with spaces or (Apex) comments around its dots, without them.</summary>
    private string JoinPath(ReadOnlySpan<char> slice)
    {
        var lexer = new SoqlLexer(slice.ToString(), _apex);
        var builder = new StringBuilder(slice.Length);
        for (var token = lexer.Next(); token.Kind != SoqlTokenKind.End; token = lexer.Next())
        {
            builder.Append(lexer.Text.AsSpan(token.Start, token.Length));
        }

        return builder.ToString();
    }

    /// <summary>The parser's own lists hold no nulls and are not used again: their items become the tree's list as they are.</summary>
    private static SoqlList<T> Freeze<T>(List<T>? items) => items is null || items.Count == 0 ? SoqlList<T>.Empty : new SoqlList<T>(items.ToArray());

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Error(_token, $"The query nests parentheses, subqueries and functions more than {MaxDepth} deep.");
        }
    }

    private void Leave() => _depth--;
}
