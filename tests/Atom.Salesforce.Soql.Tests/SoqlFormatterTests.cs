using static Atom.Salesforce.Soql.Tests.SoqlAst;

namespace Atom.Salesforce.Soql.Tests;

/// <summary>Canonical SOQL for trees built by hand, and constructors that keep a tree from ever printing anything but SOQL.</summary>
public sealed class SoqlFormatterTests
{
    private static SoqlQuery Everything => new SoqlQuery(
        [
            Sel("Id"),
            Sel(Call("count", F("Name")), "cnt"),
            new SoqlSelectFields(SoqlFieldsScope.Standard),
            new SoqlSelectSubquery(Q("Contacts", "LastName") with { Where = Eq("Email", SoqlNull.Value), Limit = 3 }),
            new SoqlSelectTypeOf("What", [new SoqlTypeOfWhen("Account", [F("Phone"), F("Site")])], [F("Name")]),
        ],
        new SoqlFrom("Account", "a") { Related = [new SoqlRelatedObject("a.Owner", "o")] })
    {
        UsingScope = "mine",
        Where = new SoqlAnd(
        [
            new SoqlParenthesized(new SoqlOr([Eq("o.Name", Str("O'Brien")), Cmp("Name", SoqlComparisonOperator.Like, Str("50\\%%"))])),
            new SoqlNot(new SoqlSetComparison(F("Type"), SoqlSetOperator.In, [Str("a"), Str("b")])),
            new SoqlSemiJoin(F("Id"), negated: true, Q("Opportunity", "AccountId")),
            Cmp("CreatedDate", SoqlComparisonOperator.GreaterThanOrEqual, new SoqlRelativeDate(SoqlDateLiteralKind.LastNDays, 30)),
            Cmp("CloseDate", SoqlComparisonOperator.LessThan, new SoqlDate(new DateOnly(2024, 1, 31))),
            Cmp("LastModifiedDate", SoqlComparisonOperator.LessOrGreater, new SoqlDateTime(new DateTimeOffset(2024, 1, 31, 10, 0, 0, 250, TimeSpan.Zero))),
            Cmp("Amount", SoqlComparisonOperator.GreaterThan, new SoqlCurrency("USD", 5000.50m)),
            Cmp("IsDeleted", SoqlComparisonOperator.NotEqual, SoqlBoolean.True),
            new SoqlSetComparison(F("Sizes__c"), SoqlSetOperator.Includes, [Str("A;B")]),
            Cmp("Score__c", SoqlComparisonOperator.LessThanOrEqual, Num(-1.50m)),
        ]),
        With = [new SoqlWithSecurity(SoqlSecurityMode.UserMode)],
        GroupBy = new SoqlGroupBy(SoqlGroupByKind.Rollup, [F("Id"), Call("CALENDAR_YEAR", F("CreatedDate"))]),
        Having = new SoqlComparison(Call("COUNT", F("Name")), SoqlComparisonOperator.GreaterThan, Num(1)),
        OrderBy = [new SoqlOrderItem(F("Id"), SoqlSortDirection.Descending, SoqlNullsOrder.Last), new SoqlOrderItem(F("Name"))],
        Limit = 10,
        Offset = 20,
        For = SoqlForClause.Reference,
        Update = SoqlUpdateClause.Viewstat,
    };

    [Fact]
    public void A_hand_built_tree_prints_canonical_soql()
    {
        Assert.Equal(
            "SELECT Id, COUNT(Name) cnt, FIELDS(STANDARD), (SELECT LastName FROM Contacts WHERE Email = NULL LIMIT 3), "
            + "TYPEOF What WHEN Account THEN Phone, Site ELSE Name END FROM Account a, a.Owner o USING SCOPE mine "
            + @"WHERE (o.Name = 'O\'Brien' OR Name LIKE '50\%%') AND NOT Type IN ('a', 'b') AND Id NOT IN (SELECT AccountId FROM Opportunity) "
            + "AND CreatedDate >= LAST_N_DAYS:30 AND CloseDate < 2024-01-31 AND LastModifiedDate <> 2024-01-31T10:00:00.250Z AND Amount > USD5000.50 "
            + "AND IsDeleted != TRUE AND Sizes__c INCLUDES ('A;B') AND Score__c <= -1.50 "
            + "WITH USER_MODE GROUP BY ROLLUP(Id, CALENDAR_YEAR(CreatedDate)) HAVING COUNT(Name) > 1 ORDER BY Id DESC NULLS LAST, Name "
            + "LIMIT 10 OFFSET 20 FOR REFERENCE UPDATE VIEWSTAT",
            Everything.ToString());
    }

    [Fact]
    public void A_hand_built_tree_round_trips()
    {
        var tree = Everything;

        Assert.Equal(tree, SoqlQuery.Parse(tree.ToString()));
        Assert.Equal(tree.ToString(), SoqlQuery.Parse(tree.ToString()).ToString());
    }

    [Fact]
    public void Apex_parts_print_and_round_trip_with_the_option()
    {
        var tree = Q("Account", "Id") with
        {
            Where = new SoqlAnd([new SoqlSetBind(F("Id"), SoqlSetOperator.In, new SoqlBind("ids")), Eq("Name", new SoqlBind("acc.Name"))]),
            With = [new SoqlWithIdentifier("Whatever")],
            LimitBind = new SoqlBind("n"),
            OffsetBind = new SoqlBind("page.offset()"),
            Bind = [new SoqlNamedValue("x", Num(1))],
            For = SoqlForClause.Update,
            AllRows = true,
        };

        Assert.Equal("SELECT Id FROM Account WHERE Id IN :ids AND Name = :acc.Name WITH Whatever LIMIT :n OFFSET :page.offset() BIND x = 1 FOR UPDATE ALL ROWS", tree.ToString());
        Assert.Equal(tree, SoqlQuery.Parse(tree.ToString(), Apex));
    }

    [Fact]
    public void Known_function_names_print_in_their_documented_spelling()
    {
        Assert.Equal("COUNT_DISTINCT(Name)", Call("count_distinct", F("Name")).ToString());
        Assert.Equal("convertCurrency(Amount)", Call("CONVERTCURRENCY", F("Amount")).ToString());
        Assert.Equal("toLabel(Status)", Call("tolabel", F("Status")).ToString());
        Assert.Equal("HOUR_IN_DAY(convertTimezone(CreatedDate))", Call("hour_in_day", Call("convertTimeZone", F("CreatedDate"))).ToString());
        Assert.Equal("myFunc(A, 1, 'x')", Call("myFunc", F("A"), Num(1), Str("x")).ToString());
    }

    [Fact]
    public void The_formatter_adds_parentheses_for_and_inside_or_and_or_inside_and()
    {
        var a = Eq("A", Num(1));
        var b = Eq("B", Num(2));
        var c = Eq("C", Num(3));
        var andInsideOr = new SoqlOr([new SoqlAnd([a, b]), c]);
        var orInsideAnd = new SoqlAnd([a, new SoqlOr([b, c])]);
        var notOfAnd = new SoqlNot(new SoqlAnd([a, b]));

        Assert.Equal("(A = 1 AND B = 2) OR C = 3", andInsideOr.ToString());
        Assert.Equal("A = 1 AND (B = 2 OR C = 3)", orInsideAnd.ToString());
        Assert.Equal("NOT (A = 1 AND B = 2)", notOfAnd.ToString());
        Assert.Equal("NOT A = 1", new SoqlNot(a).ToString());

        // Reading the text back gives the same condition with its parentheses as nodes.
        Assert.Equal(new SoqlOr([new SoqlParenthesized(new SoqlAnd([a, b])), c]), Where(andInsideOr.ToString()));
        Assert.Equal(new SoqlAnd([a, new SoqlParenthesized(new SoqlOr([b, c]))]), Where(orInsideAnd.ToString()));
        Assert.Equal(new SoqlNot(new SoqlParenthesized(new SoqlAnd([a, b]))), Where(notOfAnd.ToString()));
    }

    [Fact]
    public void Explicit_parentheses_are_not_doubled()
    {
        var condition = new SoqlOr([new SoqlParenthesized(new SoqlAnd([Eq("A", Num(1)), Eq("B", Num(2))])), new SoqlParenthesized(Eq("C", Num(3)))]);

        Assert.Equal("(A = 1 AND B = 2) OR (C = 3)", condition.ToString());
        Assert.Equal(condition, Where(condition.ToString()));
    }

    [Fact]
    public void And_inside_and_prints_flat_with_the_same_meaning()
    {
        var nested = new SoqlAnd([new SoqlAnd([Eq("A", Num(1)), Eq("B", Num(2))]), Eq("C", Num(3))]);

        Assert.Equal("A = 1 AND B = 2 AND C = 3", nested.ToString());
        Assert.Equal(new SoqlAnd([Eq("A", Num(1)), Eq("B", Num(2)), Eq("C", Num(3))]), Where(nested.ToString()));
    }

    [Theory]
    [InlineData("Acme", "'Acme'")]
    [InlineData("", "''")]
    [InlineData("O'Brien", @"'O\'Brien'")]
    [InlineData(@"C:\temp", @"'C:\\temp'")]
    [InlineData(@"trailing\", @"'trailing\\'")]
    [InlineData("a\nb\rc\td\be\ff", @"'a\nb\rc\td\be\ff'")]
    [InlineData("a\u0001b\u007f", @"'a\u0001b\u007f'")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    [InlineData("50% off_now", "'50% off_now'")]
    [InlineData("' OR Name != '", @"'\' OR Name != \''")]
    [InlineData(@"\' OR 1=1 --", @"'\\\' OR 1=1 --'")]
    [InlineData("Müller 東京 🙂", "'Müller 東京 🙂'")]
    public void Hand_built_strings_are_escaped(string value, string printed)
    {
        var condition = Eq("Name", Str(value));

        Assert.Equal($"Name = {printed}", condition.ToString());
        Assert.Equal(condition, Where(condition.ToString()));
        Assert.Equal(value, Assert.IsType<SoqlString>(Value(printed)).Value);
    }

    [Theory]
    [InlineData("Acme%", "'Acme%'")]
    [InlineData(@"50\%%", @"'50\%%'")]
    [InlineData(@"a\_b_", @"'a\_b_'")]
    [InlineData(@"back\\slash%", @"'back\\slash%'")]
    [InlineData("O'Brien%", @"'O\'Brien%'")]
    [InlineData("%line\nbreak%", @"'%line\nbreak%'")]
    public void Hand_built_like_patterns_keep_wildcard_escapes_and_escape_the_rest(string pattern, string printed)
    {
        var condition = Cmp("Name", SoqlComparisonOperator.Like, Str(pattern));

        Assert.Equal($"Name LIKE {printed}", condition.ToString());
        Assert.Equal(condition, Where(condition.ToString()));
    }

    [Fact]
    public void Literals_print_in_soql_form()
    {
        Assert.Equal("TRUE", SoqlBoolean.True.ToString());
        Assert.Equal("FALSE", new SoqlBoolean(false).ToString());
        Assert.Equal("NULL", SoqlNull.Value.ToString());
        Assert.Equal("15.0", Num(15.0m).ToString());
        Assert.Equal("-0.5", Num(-0.5m).ToString());
        Assert.Equal("2024-02-29", new SoqlDate(new DateOnly(2024, 2, 29)).ToString());
        Assert.Equal("2024-01-31T09:00:00Z", new SoqlDateTime(new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.FromHours(1))).ToString());
        Assert.Equal("01:02:03.004Z", new SoqlTime(new TimeOnly(1, 2, 3, 4)).ToString());
        Assert.Equal("EUR5.10", new SoqlCurrency("EUR", 5.10m).ToString());
        Assert.Equal("TODAY", new SoqlRelativeDate(SoqlDateLiteralKind.Today).ToString());
        Assert.Equal("N_FISCAL_QUARTERS_AGO:2", new SoqlRelativeDate(SoqlDateLiteralKind.NFiscalQuartersAgo, 2).ToString());
        Assert.Equal("A - 5", new SoqlArithmetic(F("A"), SoqlArithmeticOperator.Subtract, Num(5)).ToString());
    }

    [Fact]
    public void Clause_nodes_print_on_their_own()
    {
        Assert.Equal("Contact c, c.Account a", new SoqlFrom("Contact", "c") { Related = [new SoqlRelatedObject("c.Account", "a")] }.ToString());
        Assert.Equal("CUBE(A, B)", new SoqlGroupBy(SoqlGroupByKind.Cube, [F("A"), F("B")]).ToString());
        Assert.Equal("Name ASC NULLS FIRST", new SoqlOrderItem(F("Name"), SoqlSortDirection.Ascending, SoqlNullsOrder.First).ToString());
        Assert.Equal("SYSTEM_MODE", new SoqlWithSecurity(SoqlSecurityMode.SystemMode).ToString());
        Assert.Equal("DATA CATEGORY Geo__c ABOVE_OR_BELOW (a__c, b__c)", new SoqlWithDataCategory([new SoqlDataCategoryFilter("Geo__c", SoqlDataCategorySelector.AboveOrBelow, ["a__c", "b__c"])]).ToString());
        Assert.Equal("FIELDS(ALL)", new SoqlSelectFields(SoqlFieldsScope.All).ToString());
        Assert.Equal("Name n", Sel("Name", "n").ToString());
    }

    // ---- Constructors refuse what would not print as SOQL ---------------------------------------------------------

    [Theory]
    [InlineData("Name; DELETE")]
    [InlineData("Name FROM Account")]
    [InlineData("Name)")]
    [InlineData("Name'")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("1abc")]
    [InlineData("_abc")]
    [InlineData("Nàme")]
    [InlineData("a\nb")]
    [InlineData("a/*x*/")]
    public void Invalid_names_are_refused_everywhere(string name)
    {
        Assert.Throws<ArgumentException>(() => new SoqlField(name));
        Assert.Throws<ArgumentException>(() => new SoqlFrom(name));
        Assert.Throws<ArgumentException>(() => new SoqlFrom("Account", name));
        Assert.Throws<ArgumentException>(() => new SoqlRelatedObject(name, "x"));
        Assert.Throws<ArgumentException>(() => new SoqlSelectExpression(F("Id"), name));
        Assert.Throws<ArgumentException>(() => new SoqlFunctionCall(name, []));
        Assert.Throws<ArgumentException>(() => new SoqlSelectTypeOf(name, [new SoqlTypeOfWhen("Account", [F("Id")])]));
        Assert.Throws<ArgumentException>(() => new SoqlTypeOfWhen(name, [F("Id")]));
        Assert.Throws<ArgumentException>(() => new SoqlWithFilter(name, Num(1)));
        Assert.Throws<ArgumentException>(() => new SoqlWithParameters(name, [new SoqlNamedValue("a", Num(1))]));
        Assert.Throws<ArgumentException>(() => new SoqlWithIdentifier(name));
        Assert.Throws<ArgumentException>(() => new SoqlNamedValue(name, Num(1)));
        Assert.Throws<ArgumentException>(() => new SoqlDataCategoryFilter(name, SoqlDataCategorySelector.At, ["a__c"]));
        Assert.Throws<ArgumentException>(() => new SoqlDataCategoryFilter("Geo__c", SoqlDataCategorySelector.At, [name]));
        Assert.Throws<ArgumentException>(() => Q("Account", "Id") with { UsingScope = name });
    }

    [Fact]
    public void Names_longer_than_255_characters_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SoqlField("N" + new string('x', 255)));
        Assert.Equal(260, new SoqlField("N" + new string('x', 254) + ".Name").Path.Length);
    }

    [Theory]
    [InlineData("FROM")]
    [InlineData("from")]
    [InlineData("LIMIT")]
    [InlineData("Where")]
    [InlineData("AND")]
    [InlineData("NULLS")]
    [InlineData("FOR")]
    [InlineData("SELECT")]
    public void Reserved_words_are_refused_as_aliases(string alias)
    {
        var e = Assert.Throws<ArgumentException>(() => Sel("Name", alias));

        Assert.Contains("reserved", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SoqlFrom("Account", alias));
        Assert.Throws<ArgumentException>(() => new SoqlRelatedObject("c.Account", alias));
    }

    [Fact]
    public void Empty_lists_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SoqlQuery([], new SoqlFrom("Account")));
        Assert.Throws<ArgumentException>(() => Q("Account", "Id") with { Select = [] });
        Assert.Throws<ArgumentException>(() => new SoqlSetComparison(F("Id"), SoqlSetOperator.In, []));
        Assert.Throws<ArgumentException>(() => new SoqlAnd([]));
        Assert.Throws<ArgumentException>(() => new SoqlAnd([Eq("A", Num(1))]));
        Assert.Throws<ArgumentException>(() => new SoqlOr([Eq("A", Num(1))]));
        Assert.Throws<ArgumentException>(() => new SoqlGroupBy(SoqlGroupByKind.Plain, []));
        Assert.Throws<ArgumentException>(() => new SoqlSelectTypeOf("What", []));
        Assert.Throws<ArgumentException>(() => new SoqlSelectTypeOf("What", [new SoqlTypeOfWhen("Account", [F("Id")])], []));
        Assert.Throws<ArgumentException>(() => new SoqlTypeOfWhen("Account", []));
        Assert.Throws<ArgumentException>(() => new SoqlWithDataCategory([]));
        Assert.Throws<ArgumentException>(() => new SoqlWithParameters("P", []));
        Assert.Throws<ArgumentException>(() => new SoqlDataCategoryFilter("Geo__c", SoqlDataCategorySelector.At, []));
        Assert.Throws<ArgumentException>(() => SoqlList.Create<SoqlExpression>([F("A"), null!]));
    }

    [Fact]
    public void Out_of_range_values_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlComparison(F("A"), (SoqlComparisonOperator)99, Num(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlSetComparison(F("A"), (SoqlSetOperator)99, [Num(1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlArithmetic(F("A"), (SoqlArithmeticOperator)9, Num(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlOrderItem(F("A"), (SoqlSortDirection)5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlOrderItem(F("A"), nulls: (SoqlNullsOrder)5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlSelectFields((SoqlFieldsScope)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlWithSecurity((SoqlSecurityMode)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlGroupBy((SoqlGroupByKind)7, [F("A")]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Q("A", "Id") with { Limit = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Q("A", "Id") with { Offset = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlRelativeDate((SoqlDateLiteralKind)44));
        Assert.Throws<ArgumentException>(() => new SoqlRelativeDate(SoqlDateLiteralKind.Today, 3));
        Assert.Throws<ArgumentException>(() => new SoqlRelativeDate(SoqlDateLiteralKind.LastNDays));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlRelativeDate(SoqlDateLiteralKind.LastNDays, -1));
        Assert.Throws<ArgumentException>(() => new SoqlCurrency("US$", 1));
        Assert.Throws<ArgumentException>(() => new SoqlCurrency("USDX", 1));
        Assert.Throws<ArgumentException>(() => new SoqlCurrency("U1D", 1));
    }

    [Theory]
    [InlineData("ids) OR Name != (null")]
    [InlineData("x FROM Account")]
    [InlineData("x AND Name = 'y'")]
    [InlineData("x' OR ''='")]
    [InlineData("x; DELETE")]
    [InlineData("x /* c */")]
    [InlineData("x // c")]
    [InlineData("x, y")]
    [InlineData("x = 1")]
    [InlineData("x)")]
    [InlineData("x(")]
    [InlineData(" x")]
    [InlineData("x ")]
    [InlineData("a . b")]
    [InlineData("")]
    [InlineData("   ")]
    public void Bind_expressions_that_would_print_more_than_one_expression_are_refused(string expression)
    {
        Assert.ThrowsAny<ArgumentException>(() => new SoqlBind(expression));
    }

    [Theory]
    [InlineData("ids")]
    [InlineData("acc.Name")]
    [InlineData("accounts.keySet()")]
    [InlineData("names[0]")]
    [InlineData("m.get(k, v).Id")]
    [InlineData("new Set<Id>(ids)")]
    [InlineData("a(b OR c)")]
    public void Bind_expressions_as_the_parser_prints_them_are_accepted(string expression)
    {
        var tree = Q("Account", "Id") with { Where = Eq("Id", new SoqlBind(expression)) };

        Assert.Equal($"SELECT Id FROM Account WHERE Id = :{expression}", tree.ToString());
        Assert.Equal(tree, SoqlQuery.Parse(tree.ToString(), Apex));
    }

    [Fact]
    public void No_hand_built_name_or_string_can_end_the_literal_it_is_in()
    {
        var attacks = new[] { "' OR Id != '", "\\' OR Id != \\'", "x') OR (Id != 'y", "'\n--", "\\", "\\\\'" };
        foreach (var attack in attacks)
        {
            var tree = Q("Account", "Id") with
            {
                Where = new SoqlAnd([Eq("Name", Str(attack)), Cmp("Site", SoqlComparisonOperator.Like, Str(attack + "%"))]),
            };
            var parsed = SoqlQuery.Parse(tree.ToString());

            var and = Assert.IsType<SoqlAnd>(parsed.Where);
            Assert.Equal(2, and.Operands.Count);
            Assert.Equal(Eq("Name", Str(attack)), and.Operands[0]);
            Assert.IsType<SoqlComparison>(and.Operands[1]);
            Assert.Null(parsed.Limit);
            Assert.Equal(Q("Account", "Id").Select, parsed.Select);
        }
    }

    [Fact]
    public void A_parsed_string_moved_between_LIKE_and_equals_keeps_its_meaning()
    {
        var like = Assert.IsType<SoqlComparison>(SoqlQuery.Parse(@"SELECT Id FROM Account WHERE Name LIKE '50\%\\'").Where);
        var moved = new SoqlComparison(like.Left, SoqlComparisonOperator.Equal, like.Right);

        // The pattern's value is 50\%\\ (escapes kept); as a plain string that text is written with each backslash doubled.
        Assert.Equal(@"Name = '50\\%\\\\'", moved.ToString());
        Assert.Equal(moved, SoqlParser.ParseCondition(moved.ToString(), SoqlParseOptions.Default));
    }

    [Fact]
    public void A_currency_amount_cannot_be_negative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoqlCurrency("USD", -5));
    }
}
