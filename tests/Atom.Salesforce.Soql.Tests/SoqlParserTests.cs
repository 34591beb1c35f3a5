using Atom.Salesforce.Soql.Errors;
using static Atom.Salesforce.Soql.Tests.SoqlAst;

namespace Atom.Salesforce.Soql.Tests;

/// <summary>One test or theory per production of the SOQL grammar (reference §6), each asserting the tree it reads.</summary>
public sealed class SoqlParserTests
{
    // ---- SELECT list ----------------------------------------------------------------------------------------------

    [Fact]
    public void Select_fields_and_from()
    {
        var query = ParseRoundTrip("SELECT Id, Name FROM Account");

        Assert.Equal(Q("Account", "Id", "Name"), query);
        Assert.Null(query.Where);
        Assert.Empty(query.OrderBy);
        Assert.Null(query.Limit);
        Assert.Equal("SELECT Id, Name FROM Account", query.ToString());
    }

    [Theory]
    [InlineData("Account.Name")]
    [InlineData("Account.Owner.Manager.Name")]
    [InlineData("Mother__r.Grandmother__r.Name__c")]
    public void Select_relationship_paths(string path)
    {
        var query = ParseRoundTrip($"SELECT {path} FROM Contact");

        Assert.Equal([Sel(path)], query.Select);
    }

    [Fact]
    public void Select_relationship_path_written_with_spaces_is_one_path()
    {
        var query = ParseRoundTrip("SELECT Account . Name FROM Contact");

        Assert.Equal([Sel("Account.Name")], query.Select);
        Assert.Equal("SELECT Account.Name FROM Contact", query.ToString());
    }

    [Fact]
    public void Select_aliases_on_fields_and_aggregates()
    {
        var query = ParseRoundTrip("SELECT Name n, MAX(Amount) max, COUNT(Id) cnt FROM Opportunity GROUP BY Name");

        Assert.Equal([Sel("Name", "n"), Sel(Call("MAX", F("Amount")), "max"), Sel(Call("COUNT", F("Id")), "cnt")], query.Select);
    }

    [Fact]
    public void A_reserved_word_is_not_an_alias()
    {
        var e = Fails("SELECT Name Limit FROM Account");

        Assert.Equal("Limit", e.Token);
        Assert.Equal("FROM", e.Expected);
    }

    [Fact]
    public void Clause_words_that_are_not_reserved_can_be_aliases()
    {
        var query = ParseRoundTrip("SELECT Name order FROM Account");

        Assert.Equal([Sel("Name", "order")], query.Select);
    }

    [Fact]
    public void Child_subquery()
    {
        var query = ParseRoundTrip("SELECT Name, (SELECT LastName FROM Contacts WHERE IsDeleted = false ORDER BY LastName LIMIT 5) FROM Account");

        var child = Q("Contacts", "LastName") with
        {
            Where = Eq("IsDeleted", SoqlBoolean.False),
            OrderBy = [new SoqlOrderItem(F("LastName"))],
            Limit = 5,
        };
        Assert.Equal([Sel("Name"), new SoqlSelectSubquery(child)], query.Select);
    }

    [Fact]
    public void Nested_child_subqueries()
    {
        var query = ParseRoundTrip("SELECT Name, (SELECT LastName, (SELECT Subject, (SELECT Body FROM Comments) FROM Cases) FROM Contacts) FROM Account");

        var comments = Q("Comments", "Body");
        var cases = new SoqlQuery([Sel("Subject"), new SoqlSelectSubquery(comments)], new SoqlFrom("Cases"));
        var contacts = new SoqlQuery([Sel("LastName"), new SoqlSelectSubquery(cases)], new SoqlFrom("Contacts"));
        Assert.Equal([Sel("Name"), new SoqlSelectSubquery(contacts)], query.Select);
    }

    [Fact]
    public void A_parenthesis_in_the_select_list_must_open_a_subquery()
    {
        var e = Fails("SELECT Name, (Id) FROM Account");

        Assert.Equal("Id", e.Token);
        Assert.Contains("subquery", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeOf_with_when_and_else()
    {
        var query = ParseRoundTrip(
            "SELECT Id, TYPEOF What WHEN Account THEN Phone, NumberOfEmployees WHEN Opportunity THEN Amount, CloseDate ELSE Name, Email END FROM Event");

        var typeOf = new SoqlSelectTypeOf(
            "What",
            [new SoqlTypeOfWhen("Account", [F("Phone"), F("NumberOfEmployees")]), new SoqlTypeOfWhen("Opportunity", [F("Amount"), F("CloseDate")])],
            [F("Name"), F("Email")]);
        Assert.Equal([Sel("Id"), typeOf], query.Select);
    }

    [Fact]
    public void TypeOf_without_else()
    {
        var query = ParseRoundTrip("select typeof Owner when User then Username end from Task");

        Assert.Equal([new SoqlSelectTypeOf("Owner", [new SoqlTypeOfWhen("User", [F("Username")])])], query.Select);
        Assert.Equal("SELECT TYPEOF Owner WHEN User THEN Username END FROM Task", query.ToString());
    }

    [Theory]
    [InlineData("SELECT TYPEOF What ELSE Name END FROM Event", "WHEN")]
    [InlineData("SELECT TYPEOF What WHEN Account THEN Phone FROM Event", "END")]
    [InlineData("SELECT TYPEOF What WHEN Account Phone END FROM Event", "THEN")]
    public void TypeOf_needs_when_then_and_end(string soql, string expected)
    {
        Assert.Equal(expected, Fails(soql).Expected);
    }

    [Theory]
    [InlineData("FIELDS(ALL)", SoqlFieldsScope.All)]
    [InlineData("FIELDS(STANDARD)", SoqlFieldsScope.Standard)]
    [InlineData("fields(custom)", SoqlFieldsScope.Custom)]
    public void Fields_function(string item, SoqlFieldsScope scope)
    {
        var query = ParseRoundTrip($"SELECT Id, {item}, (SELECT {item} FROM Contacts) FROM Account LIMIT 200");

        Assert.Equal(new SoqlSelectFields(scope), query.Select[1]);
        Assert.Equal(new SoqlSelectFields(scope), Assert.IsType<SoqlSelectSubquery>(query.Select[2]).Query.Select[0]);
    }

    [Fact]
    public void Fields_takes_only_all_standard_or_custom()
    {
        var e = Fails("SELECT FIELDS(SOME) FROM Account");

        Assert.Equal("SOME", e.Token);
        Assert.Equal("ALL, STANDARD or CUSTOM", e.Expected);
    }

    [Fact]
    public void A_field_named_fields_is_still_a_field()
    {
        Assert.Equal([Sel("Fields")], ParseRoundTrip("SELECT Fields FROM Account").Select);
    }

    // ---- Aggregates and functions ----------------------------------------------------------------------------------

    [Fact]
    public void Count_without_arguments()
    {
        var query = ParseRoundTrip("SELECT count() FROM Account LIMIT 10");

        Assert.Equal([Sel(Call("COUNT"))], query.Select);
        Assert.Equal("SELECT COUNT() FROM Account LIMIT 10", query.ToString());
    }

    [Fact]
    public void Count_must_be_the_only_item()
    {
        var e = Fails("SELECT Id, COUNT() FROM Account");

        Assert.Contains("COUNT()", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("COUNT")]
    [InlineData("COUNT_DISTINCT")]
    [InlineData("AVG")]
    [InlineData("SUM")]
    [InlineData("MIN")]
    [InlineData("MAX")]
    public void Aggregates_of_a_field(string function)
    {
        var query = ParseRoundTrip($"SELECT Name, {function.ToLowerInvariant()}(Amount) total FROM Opportunity GROUP BY Name HAVING {function}(Amount) > 1");

        Assert.Equal(Sel(Call(function, F("Amount")), "total"), query.Select[1]);
        Assert.Equal(function, ((SoqlFunctionCall)((SoqlSelectExpression)query.Select[1]).Expression).Name);
        Assert.Equal(new SoqlComparison(Call(function, F("Amount")), SoqlComparisonOperator.GreaterThan, Num(1)), query.Having);
    }

    [Theory]
    [InlineData("SELECT SUM() FROM Opportunity", "takes 1 argument")]
    [InlineData("SELECT SUM(Amount, Id) FROM Opportunity", "takes 1 argument")]
    [InlineData("SELECT COUNT(Id, Name) FROM Opportunity", "takes 1 argument")]
    [InlineData("SELECT SUM(1) FROM Opportunity", "takes a field")]
    [InlineData("SELECT SUM(MAX(Amount)) FROM Opportunity", "cannot be nested")]
    [InlineData("SELECT Id FROM Opportunity WHERE SUM(Amount) > 1", "HAVING")]
    [InlineData("SELECT Name FROM Opportunity GROUP BY COUNT(Id)", "GROUP BY")]
    [InlineData("SELECT NOSUCH(Name) FROM Opportunity", "no SOQL function")]
    public void Misused_aggregates_are_refused(string soql, string problem)
    {
        Assert.Contains(problem, Fails(soql).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CALENDAR_MONTH")]
    [InlineData("CALENDAR_QUARTER")]
    [InlineData("CALENDAR_YEAR")]
    [InlineData("DAY_IN_MONTH")]
    [InlineData("DAY_IN_WEEK")]
    [InlineData("DAY_IN_YEAR")]
    [InlineData("DAY_ONLY")]
    [InlineData("FISCAL_MONTH")]
    [InlineData("FISCAL_QUARTER")]
    [InlineData("FISCAL_YEAR")]
    [InlineData("HOUR_IN_DAY")]
    [InlineData("WEEK_IN_MONTH")]
    [InlineData("WEEK_IN_YEAR")]
    public void Date_functions_in_select_where_group_by_and_order_by(string function)
    {
        var query = ParseRoundTrip(
            $"SELECT {function.ToLowerInvariant()}(CreatedDate) d, COUNT(Id) FROM Account WHERE {function}(CreatedDate) > 1 GROUP BY {function}(CreatedDate) ORDER BY {function}(CreatedDate)");

        var call = Call(function, F("CreatedDate"));
        Assert.Equal([Sel(call, "d"), Sel(Call("COUNT", F("Id")))], query.Select);
        Assert.Equal(new SoqlComparison(call, SoqlComparisonOperator.GreaterThan, Num(1)), query.Where);
        Assert.Equal(new SoqlGroupBy(SoqlGroupByKind.Plain, [call]), query.GroupBy);
        Assert.Equal([new SoqlOrderItem(call)], query.OrderBy);
    }

    [Fact]
    public void ConvertTimezone_inside_a_date_function()
    {
        var query = ParseRoundTrip(
            "SELECT HOUR_IN_DAY(convertTimezone(CreatedDate)), SUM(Amount) FROM Opportunity WHERE HOUR_IN_DAY(CONVERTTIMEZONE(CreatedDate)) > 8 GROUP BY HOUR_IN_DAY(convertTimezone(CreatedDate))");

        var call = Call("HOUR_IN_DAY", Call("convertTimezone", F("CreatedDate")));
        Assert.Equal(Sel(call), query.Select[0]);
        Assert.Equal(new SoqlComparison(call, SoqlComparisonOperator.GreaterThan, Num(8)), query.Where);
        Assert.Contains("HOUR_IN_DAY(convertTimezone(CreatedDate)) > 8", query.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT convertTimezone(CreatedDate) FROM Opportunity")]
    [InlineData("SELECT Id FROM Opportunity WHERE convertTimezone(CreatedDate) > 2020-01-01T00:00:00Z")]
    [InlineData("SELECT MAX(convertTimezone(CreatedDate)) FROM Opportunity")]
    public void ConvertTimezone_outside_a_date_function_is_refused(string soql)
    {
        Assert.Contains("convertTimezone", Fails(soql).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertCurrency_in_select_alone_in_format_and_in_an_aggregate()
    {
        var query = ParseRoundTrip(
            "SELECT convertCurrency(Amount) a, FORMAT(convertCurrency(Amount)) b, MAX(convertCurrency(Amount)) c FROM Opportunity WHERE Amount > USD20");

        var convert = Call("convertCurrency", F("Amount"));
        Assert.Equal([Sel(convert, "a"), Sel(Call("FORMAT", convert), "b"), Sel(Call("MAX", convert), "c")], query.Select);
    }

    [Theory]
    [InlineData("SELECT Id FROM Opportunity WHERE convertCurrency(Amount) > 100")]
    [InlineData("SELECT Id FROM Opportunity ORDER BY convertCurrency(Amount)")]
    [InlineData("SELECT Id FROM Opportunity GROUP BY convertCurrency(Amount)")]
    [InlineData("SELECT toLabel(convertCurrency(Amount)) FROM Opportunity")]
    [InlineData("SELECT convertCurrency(SUM(Amount)) FROM Opportunity")]
    public void ConvertCurrency_elsewhere_is_refused(string soql)
    {
        Fails(soql);
    }

    [Fact]
    public void ToLabel_in_select_and_where()
    {
        var query = ParseRoundTrip("SELECT TOLABEL(Status) s FROM Case WHERE toLabel(Status) = 'le Draft'");

        Assert.Equal([Sel(Call("toLabel", F("Status")), "s")], query.Select);
        Assert.Equal(new SoqlComparison(Call("toLabel", F("Status")), SoqlComparisonOperator.Equal, Str("le Draft")), query.Where);
        Assert.Equal("SELECT toLabel(Status) s FROM Case WHERE toLabel(Status) = 'le Draft'", query.ToString());
    }

    [Theory]
    [InlineData("SELECT Id FROM Case ORDER BY toLabel(Status)")]
    [InlineData("SELECT Id FROM Case GROUP BY toLabel(Status)")]
    [InlineData("SELECT FORMAT(toLabel(Status)) FROM Case")]
    public void ToLabel_elsewhere_is_refused(string soql)
    {
        Assert.Contains("toLabel", Fails(soql).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_wraps_a_field_an_aggregate_or_a_date_function()
    {
        var query = ParseRoundTrip("SELECT format(Amount) a, FORMAT(MIN(CloseDate)) b, FORMAT(CALENDAR_YEAR(CloseDate)) c FROM Opportunity GROUP BY CALENDAR_YEAR(CloseDate)");

        Assert.Equal(
            [Sel(Call("FORMAT", F("Amount")), "a"), Sel(Call("FORMAT", Call("MIN", F("CloseDate"))), "b"), Sel(Call("FORMAT", Call("CALENDAR_YEAR", F("CloseDate"))), "c")],
            query.Select);
    }

    [Theory]
    [InlineData("SELECT Id FROM Opportunity WHERE FORMAT(Amount) = '1'")]
    [InlineData("SELECT Id FROM Opportunity ORDER BY FORMAT(Amount)")]
    [InlineData("SELECT MAX(FORMAT(Amount)) FROM Opportunity")]
    [InlineData("SELECT FORMAT(FORMAT(Amount)) FROM Opportunity")]
    public void Format_elsewhere_is_refused(string soql)
    {
        Assert.Contains("FORMAT", Fails(soql).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'mi'")]
    [InlineData("'km'")]
    [InlineData("'KM'")]
    public void Distance_with_geolocation_in_where_and_order_by(string unit)
    {
        var query = ParseRoundTrip(
            $"SELECT Name, DISTANCE(Location__c, GEOLOCATION(37.775, -122.418), {unit}) dist FROM Account WHERE distance(Location__c, geolocation(37.775, -122.418), {unit}) < 20 ORDER BY DISTANCE(Location__c, GEOLOCATION(37.775, -122.418), {unit}) LIMIT 10");

        var distance = Call("DISTANCE", F("Location__c"), Call("GEOLOCATION", Num(37.775m), Num(-122.418m)), Str(unit.Trim('\'')));
        Assert.Equal(Sel(distance, "dist"), query.Select[1]);
        Assert.Equal(new SoqlComparison(distance, SoqlComparisonOperator.LessThan, Num(20)), query.Where);
        Assert.Equal([new SoqlOrderItem(distance)], query.OrderBy);
    }

    [Fact]
    public void Distance_between_two_location_fields()
    {
        var condition = Where("DISTANCE(Location__c, Other__c, 'km') > 5");

        Assert.Equal(new SoqlComparison(Call("DISTANCE", F("Location__c"), F("Other__c"), Str("km")), SoqlComparisonOperator.GreaterThan, Num(5)), condition);
    }

    [Theory]
    [InlineData("DISTANCE(Location__c, GEOLOCATION(1, 2), 'ft') < 5")]
    [InlineData("DISTANCE(Location__c, GEOLOCATION(1, 2)) < 5")]
    [InlineData("DISTANCE(Location__c, GEOLOCATION(1, 2), 'mi', 'km') < 5")]
    [InlineData("DISTANCE(Location__c, GEOLOCATION('1', '2'), 'mi') < 5")]
    [InlineData("DISTANCE(Location__c, GEOLOCATION(1), 'mi') < 5")]
    [InlineData("DISTANCE(Location__c, 'here', 'mi') < 5")]
    [InlineData("DISTANCE(Location__c, GEOLOCATION(1, 2), mi) < 5")]
    [InlineData("GEOLOCATION(1, 2) = 5")]
    [InlineData("MAX(DISTANCE(Location__c, GEOLOCATION(1, 2), 'mi')) < 5")]
    public void Distance_arguments_and_units_are_checked(string condition)
    {
        Fails($"SELECT Id FROM Account WHERE {condition}");
    }

    [Fact]
    public void Grouping_in_select_having_and_order_by()
    {
        var query = ParseRoundTrip(
            "SELECT LeadSource, Rating, GROUPING(LeadSource) grpLS, COUNT(Name) cnt FROM Lead GROUP BY ROLLUP(LeadSource, Rating) HAVING GROUPING(Rating) = 0 ORDER BY GROUPING(LeadSource)");

        Assert.Equal(Sel(Call("GROUPING", F("LeadSource")), "grpLS"), query.Select[2]);
        Assert.Equal(new SoqlComparison(Call("GROUPING", F("Rating")), SoqlComparisonOperator.Equal, Num(0)), query.Having);
        Assert.Equal([new SoqlOrderItem(Call("GROUPING", F("LeadSource")))], query.OrderBy);
    }

    [Theory]
    [InlineData("SELECT Id FROM Lead WHERE GROUPING(Rating) = 0")]
    [InlineData("SELECT Id FROM Lead GROUP BY GROUPING(Rating)")]
    public void Grouping_elsewhere_is_refused(string soql)
    {
        Assert.Contains("GROUPING", Fails(soql).Problem, StringComparison.Ordinal);
    }

    // ---- FROM and USING SCOPE --------------------------------------------------------------------------------------

    [Fact]
    public void From_with_alias_and_related_aliases()
    {
        var query = ParseRoundTrip("SELECT count() FROM Contact c, c.Account a WHERE a.Name = 'MyriadPubs'");

        Assert.Equal(new SoqlFrom("Contact", "c") { Related = [new SoqlRelatedObject("c.Account", "a")] }, query.From);
        Assert.Equal(Eq("a.Name", Str("MyriadPubs")), query.Where);
        Assert.Equal("SELECT COUNT() FROM Contact c, c.Account a WHERE a.Name = 'MyriadPubs'", query.ToString());
    }

    [Fact]
    public void From_group_although_group_is_reserved()
    {
        var query = ParseRoundTrip("SELECT Id FROM Group WHERE Type = 'Queue'");

        Assert.Equal(new SoqlFrom("Group"), query.From);
    }

    [Theory]
    [InlineData("SELECT Id FROM")]
    [InlineData("SELECT Id FROM WHERE Name = 'x'")]
    [InlineData("SELECT Id FROM 'Account'")]
    [InlineData("SELECT Id FROM Account a b")]
    public void From_needs_an_object_name(string soql)
    {
        Fails(soql);
    }

    [Theory]
    [InlineData("mine")]
    [InlineData("Everything")]
    [InlineData("mine_and_my_groups")]
    [InlineData("scopingRule")]
    public void Using_scope(string scope)
    {
        var query = ParseRoundTrip($"SELECT Id FROM Account using scope {scope} WHERE Name = 'x'");

        Assert.Equal(scope, query.UsingScope);
        Assert.Equal($"SELECT Id FROM Account USING SCOPE {scope} WHERE Name = 'x'", query.ToString());
    }

    [Fact]
    public void Using_needs_scope_and_a_name()
    {
        Assert.Equal("SCOPE", Fails("SELECT Id FROM Account USING mine").Expected);
        Assert.Null(Fails("SELECT Id FROM Account USING SCOPE").Token);
    }

    // ---- WHERE -----------------------------------------------------------------------------------------------------

    [Fact]
    public void And_chain_is_one_node()
    {
        var condition = Where("A = 1 AND B = 2 and C = 3");

        Assert.Equal(new SoqlAnd([Eq("A", Num(1)), Eq("B", Num(2)), Eq("C", Num(3))]), condition);
    }

    [Fact]
    public void Or_chain_is_one_node()
    {
        var condition = Where("A = 1 OR B = 2 or C = 3");

        Assert.Equal(new SoqlOr([Eq("A", Num(1)), Eq("B", Num(2)), Eq("C", Num(3))]), condition);
    }

    [Fact]
    public void Parentheses_are_kept_and_group_and_inside_or()
    {
        var condition = Where("(A = 1 AND B = 2) OR (C = 3)");

        Assert.Equal(
            new SoqlOr([new SoqlParenthesized(new SoqlAnd([Eq("A", Num(1)), Eq("B", Num(2))])), new SoqlParenthesized(Eq("C", Num(3)))]),
            condition);
        Assert.Equal("(A = 1 AND B = 2) OR (C = 3)", condition.ToString());
    }

    [Fact]
    public void Not_negates_a_comparison_or_a_group()
    {
        Assert.Equal(new SoqlNot(Eq("A", Num(1))), Where("NOT A = 1"));
        Assert.Equal(
            new SoqlAnd([new SoqlNot(new SoqlParenthesized(new SoqlOr([Eq("A", Num(1)), Eq("B", Num(2))]))), Eq("C", Num(3))]),
            Where("not (A = 1 OR B = 2) AND C = 3"));
        Assert.Equal(new SoqlNot(new SoqlNot(Eq("A", Num(1)))), Where("NOT NOT A = 1"));
    }

    [Theory]
    [InlineData("A = 1 AND B = 2 OR C = 3", "OR")]
    [InlineData("A = 1 OR B = 2 AND C = 3", "AND")]
    [InlineData("(A = 1 AND B = 2 OR C = 3)", "OR")]
    public void Mixing_and_with_or_at_one_level_is_refused(string condition, string token)
    {
        var e = Fails($"SELECT Id FROM Account WHERE {condition}");

        Assert.Equal(token, e.Token);
        Assert.Contains("parentheses", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=", SoqlComparisonOperator.Equal)]
    [InlineData("!=", SoqlComparisonOperator.NotEqual)]
    [InlineData("<>", SoqlComparisonOperator.LessOrGreater)]
    [InlineData("<", SoqlComparisonOperator.LessThan)]
    [InlineData("<=", SoqlComparisonOperator.LessThanOrEqual)]
    [InlineData(">", SoqlComparisonOperator.GreaterThan)]
    [InlineData(">=", SoqlComparisonOperator.GreaterThanOrEqual)]
    public void Comparison_operators(string op, SoqlComparisonOperator expected)
    {
        var condition = Where($"Amount{op}100");

        Assert.Equal(Cmp("Amount", expected, Num(100)), condition);
        Assert.Equal($"Amount {op} 100", condition.ToString());
    }

    [Theory]
    [InlineData("= >")]
    [InlineData("=<")]
    [InlineData("! =")]
    [InlineData("==")]
    [InlineData("=>")]
    [InlineData("IS")]
    [InlineData("")]
    [InlineData("EQUALS")]
    public void Broken_operators_are_refused(string op)
    {
        Fails($"SELECT Id FROM Account WHERE Amount {op} 100");
    }

    [Fact]
    public void In_and_not_in_lists()
    {
        Assert.Equal(new SoqlSetComparison(F("Name"), SoqlSetOperator.In, [Str("a"), Str("b")]), Where("Name IN ('a', 'b')"));
        Assert.Equal(new SoqlSetComparison(F("Amount"), SoqlSetOperator.NotIn, [Num(1), Num(-2), SoqlNull.Value]), Where("Amount not in (1,-2,null)"));
        Assert.Equal("Name NOT IN ('x')", Where("Name NOT IN ('x')").ToString());
    }

    [Theory]
    [InlineData("Name IN ()")]
    [InlineData("Name IN ('a',)")]
    [InlineData("Name IN ('a' 'b')")]
    [InlineData("Name IN 'a'")]
    [InlineData("Name IN ('a'")]
    [InlineData("Name NOT ('a')")]
    public void Broken_in_lists_are_refused(string condition)
    {
        Fails($"SELECT Id FROM Account WHERE {condition}");
    }

    [Fact]
    public void Semi_join_and_anti_join()
    {
        var semi = Where("Id IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Closed Lost')");
        var anti = Where("Id NOT IN (SELECT AccountId FROM Opportunity WHERE IsClosed = false)");

        Assert.Equal(new SoqlSemiJoin(F("Id"), negated: false, Q("Opportunity", "AccountId") with { Where = Eq("StageName", Str("Closed Lost")) }), semi);
        Assert.Equal(new SoqlSemiJoin(F("Id"), negated: true, Q("Opportunity", "AccountId") with { Where = Eq("IsClosed", SoqlBoolean.False) }), anti);
        Assert.Equal("Id NOT IN (SELECT AccountId FROM Opportunity WHERE IsClosed = FALSE)", anti.ToString());
    }

    [Theory]
    [InlineData("SELECT Id FROM Account WHERE toLabel(Id) IN (SELECT AccountId FROM Opportunity)", "semi-join")]
    [InlineData("SELECT Name FROM Account GROUP BY Name HAVING Name IN (SELECT Name FROM Lead)", "HAVING")]
    [InlineData("SELECT Id FROM Account WHERE Id IN (SELECT AccountId, (SELECT Id FROM Contacts) FROM Opportunity)", "child subquery")]
    public void Semi_join_placement_is_checked(string soql, string problem)
    {
        Assert.Contains(problem, Fails(soql).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Like_keeps_the_pattern()
    {
        var condition = Where(@"Name LIKE 'Acme\_%'");

        Assert.Equal(Cmp("Name", SoqlComparisonOperator.Like, Str(@"Acme\_%")), condition);
        Assert.Equal(@"Name LIKE 'Acme\_%'", condition.ToString());
    }

    [Theory]
    [InlineData("Name LIKE 5")]
    [InlineData("Name LIKE Other__c")]
    [InlineData("Name LIKE")]
    public void Like_takes_a_string(string condition)
    {
        Assert.Equal("a string pattern ('Acme%')", Fails($"SELECT Id FROM Account WHERE {condition}").Expected);
    }

    [Fact]
    public void Includes_and_excludes()
    {
        Assert.Equal(
            new SoqlSetComparison(F("Sizes__c"), SoqlSetOperator.Includes, [Str("AAA;BBB"), Str("CCC")]),
            Where("Sizes__c INCLUDES ('AAA;BBB', 'CCC')"));
        Assert.Equal(
            new SoqlSetComparison(F("Sizes__c"), SoqlSetOperator.Excludes, [Str("AAA")]),
            Where("Sizes__c excludes('AAA')"));
        Fails("SELECT Id FROM Account WHERE Sizes__c INCLUDES (SELECT Id FROM Lead)");
    }

    [Fact]
    public void Arithmetic_on_the_left_of_a_comparison()
    {
        Assert.Equal(
            new SoqlComparison(new SoqlArithmetic(F("NumberOfEmployees"), SoqlArithmeticOperator.Add, F("AnnualRevenue")), SoqlComparisonOperator.GreaterThan, Num(27)),
            Where("NumberOfEmployees + AnnualRevenue > 27"));
        Assert.Equal(
            new SoqlComparison(
                new SoqlArithmetic(new SoqlArithmetic(F("A"), SoqlArithmeticOperator.Subtract, Num(5)), SoqlArithmeticOperator.Add, F("B")),
                SoqlComparisonOperator.LessThan,
                Num(0)),
            Where("A - 5 + B < 0"));
    }

    [Fact]
    public void A_bare_where_condition_parses_on_its_own()
    {
        var condition = SoqlParser.ParseCondition("Name = 'x' AND Amount > 5", SoqlParseOptions.Default);

        Assert.Equal(new SoqlAnd([Eq("Name", Str("x")), Cmp("Amount", SoqlComparisonOperator.GreaterThan, Num(5))]), condition);
        Assert.Throws<SoqlSyntaxException>(() => SoqlParser.ParseCondition("Name = 'x' LIMIT 5", SoqlParseOptions.Default));
    }

    [Theory]
    [InlineData("SELECT Id FROM Account WHERE")]
    [InlineData("SELECT Id FROM Account WHERE Name")]
    [InlineData("SELECT Id FROM Account WHERE Name =")]
    [InlineData("SELECT Id FROM Account WHERE (Name = 'x'")]
    [InlineData("SELECT Id FROM Account WHERE Name = 'x')")]
    [InlineData("SELECT Id FROM Account WHERE Name = 'x' AND")]
    [InlineData("SELECT Id FROM Account WHERE NOT")]
    [InlineData("SELECT Id FROM Account WHERE 'x' = Name")]
    public void Incomplete_conditions_are_refused(string soql)
    {
        Fails(soql);
    }

    // ---- WITH ------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("SECURITY_ENFORCED", SoqlSecurityMode.SecurityEnforced)]
    [InlineData("user_mode", SoqlSecurityMode.UserMode)]
    [InlineData("System_Mode", SoqlSecurityMode.SystemMode)]
    public void With_security(string word, SoqlSecurityMode mode)
    {
        var query = ParseRoundTrip($"SELECT Id FROM Account WHERE Name = 'x' WITH {word} ORDER BY Name");

        Assert.Equal([new SoqlWithSecurity(mode)], query.With);
        Assert.Contains($" WITH {word.ToUpperInvariant()} ORDER BY", query.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void With_data_category()
    {
        var query = ParseRoundTrip(
            "SELECT Title FROM KnowledgeArticleVersion WHERE PublishStatus = 'online' WITH DATA CATEGORY Geography__c AT (usa__c, uk__c) AND Product__c BELOW All__c AND Topic__c ABOVE x__c AND Region__c ABOVE_OR_BELOW y__c");

        var expected = new SoqlWithDataCategory(
        [
            new SoqlDataCategoryFilter("Geography__c", SoqlDataCategorySelector.At, ["usa__c", "uk__c"]),
            new SoqlDataCategoryFilter("Product__c", SoqlDataCategorySelector.Below, ["All__c"]),
            new SoqlDataCategoryFilter("Topic__c", SoqlDataCategorySelector.Above, ["x__c"]),
            new SoqlDataCategoryFilter("Region__c", SoqlDataCategorySelector.AboveOrBelow, ["y__c"]),
        ]);
        Assert.Equal([expected], query.With);
        Assert.EndsWith(
            "WITH DATA CATEGORY Geography__c AT (usa__c, uk__c) AND Product__c BELOW All__c AND Topic__c ABOVE x__c AND Region__c ABOVE_OR_BELOW y__c",
            query.ToString(),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT Title FROM KnowledgeArticleVersion WITH DATA CATEGORY Geography__c NEAR usa__c", "AT, ABOVE, BELOW or ABOVE_OR_BELOW")]
    [InlineData("SELECT Title FROM KnowledgeArticleVersion WITH DATA CATEGORY Geography__c AT ()", "a data category")]
    [InlineData("SELECT Title FROM KnowledgeArticleVersion WITH DATA CATEGORY Geography__c AT usa__c OR Product__c AT x__c", null)]
    public void Broken_data_category_filters_are_refused(string soql, string? expected)
    {
        var e = Fails(soql);

        if (expected is not null)
        {
            Assert.Equal(expected, e.Expected);
        }
    }

    [Fact]
    public void With_filters_and_parameters()
    {
        var query = ParseRoundTrip(
            "SELECT Id FROM Account WITH DIVISION = 'Global' WITH RecordVisibilityContext (maxDescriptorPerRecord=100, supportsDomains=true)");

        Assert.Equal(
            [
                new SoqlWithFilter("DIVISION", Str("Global")),
                new SoqlWithParameters("RecordVisibilityContext", [new SoqlNamedValue("maxDescriptorPerRecord", Num(100)), new SoqlNamedValue("supportsDomains", SoqlBoolean.True)]),
            ],
            query.With);
        Assert.EndsWith("WITH DIVISION = 'Global' WITH RecordVisibilityContext(maxDescriptorPerRecord = 100, supportsDomains = TRUE)", query.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_with_word_is_apex_only()
    {
        var e = Fails("SELECT Id FROM Account WITH Whatever");

        Assert.Equal("Whatever", e.Token);
        Assert.Equal([new SoqlWithIdentifier("Whatever")], ParseRoundTrip("SELECT Id FROM Account WITH Whatever", Apex).With);
    }

    // ---- GROUP BY, HAVING, ORDER BY, LIMIT, OFFSET ---------------------------------------------------------------

    [Theory]
    [InlineData("LeadSource, Rating", SoqlGroupByKind.Plain)]
    [InlineData("ROLLUP(LeadSource, Rating)", SoqlGroupByKind.Rollup)]
    [InlineData("cube(LeadSource, Rating)", SoqlGroupByKind.Cube)]
    public void Group_by_plain_rollup_and_cube(string groupBy, SoqlGroupByKind kind)
    {
        var query = ParseRoundTrip($"SELECT LeadSource, Rating, COUNT(Id) FROM Lead GROUP BY {groupBy}");

        Assert.Equal(new SoqlGroupBy(kind, [F("LeadSource"), F("Rating")]), query.GroupBy);
        Assert.EndsWith($"GROUP BY {groupBy.Replace("cube", "CUBE", StringComparison.Ordinal)}", query.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rollup_and_cube_are_field_names_without_parentheses()
    {
        Assert.Equal(new SoqlGroupBy(SoqlGroupByKind.Plain, [F("Rollup"), F("Cube")]), ParseRoundTrip("SELECT Rollup, Cube FROM Lead GROUP BY Rollup, Cube").GroupBy);
    }

    [Fact]
    public void Having()
    {
        var query = ParseRoundTrip("SELECT Name, COUNT(Id) FROM Account GROUP BY Name HAVING COUNT(Id) > 1 AND Name LIKE 'A%'");

        Assert.Equal(
            new SoqlAnd([new SoqlComparison(Call("COUNT", F("Id")), SoqlComparisonOperator.GreaterThan, Num(1)), Cmp("Name", SoqlComparisonOperator.Like, Str("A%"))]),
            query.Having);
    }

    [Fact]
    public void Having_without_group_by_is_refused()
    {
        Assert.Equal("HAVING", Fails("SELECT COUNT(Id) FROM Account HAVING COUNT(Id) > 1").Token);
    }

    [Fact]
    public void Order_by_directions_and_nulls()
    {
        var query = ParseRoundTrip("SELECT Id FROM Account ORDER BY Name, Industry asc, Rating DESC, Site NULLS FIRST, Phone desc nulls last, Account.Name ASC NULLS LAST");

        Assert.Equal(
            [
                new SoqlOrderItem(F("Name")),
                new SoqlOrderItem(F("Industry"), SoqlSortDirection.Ascending),
                new SoqlOrderItem(F("Rating"), SoqlSortDirection.Descending),
                new SoqlOrderItem(F("Site"), nulls: SoqlNullsOrder.First),
                new SoqlOrderItem(F("Phone"), SoqlSortDirection.Descending, SoqlNullsOrder.Last),
                new SoqlOrderItem(F("Account.Name"), SoqlSortDirection.Ascending, SoqlNullsOrder.Last),
            ],
            query.OrderBy);
        Assert.EndsWith("ORDER BY Name, Industry ASC, Rating DESC, Site NULLS FIRST, Phone DESC NULLS LAST, Account.Name ASC NULLS LAST", query.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT Id FROM Account ORDER BY")]
    [InlineData("SELECT Id FROM Account ORDER Name")]
    [InlineData("SELECT Id FROM Account ORDER BY Name NULLS")]
    [InlineData("SELECT Id FROM Account ORDER BY Name NULLS NONE")]
    [InlineData("SELECT Id FROM Account ORDER BY Name DESC ASC")]
    [InlineData("SELECT Id FROM Account ORDER BY Name,")]
    public void Broken_order_by_is_refused(string soql)
    {
        Fails(soql);
    }

    [Fact]
    public void Limit_and_offset()
    {
        var query = ParseRoundTrip("SELECT Id FROM Account ORDER BY Name LIMIT 100 OFFSET 2000");

        Assert.Equal(100, query.Limit);
        Assert.Equal(2000, query.Offset);
        Assert.Equal(0, ParseRoundTrip("SELECT Id FROM Account LIMIT 0").Limit);
        Assert.Equal(5, ParseRoundTrip("SELECT Id FROM Account OFFSET 5").Offset);
    }

    [Theory]
    [InlineData("LIMIT -1")]
    [InlineData("LIMIT 1.5")]
    [InlineData("LIMIT 'ten'")]
    [InlineData("LIMIT")]
    [InlineData("LIMIT 99999999999")]
    [InlineData("LIMIT 1e3")]
    [InlineData("OFFSET -1")]
    [InlineData("OFFSET 10 LIMIT 5")]
    [InlineData("LIMIT 5 LIMIT 5")]
    public void Limit_and_offset_take_whole_numbers_in_order(string clauses)
    {
        Fails($"SELECT Id FROM Account {clauses}");
    }

    [Fact]
    public void Bind_clause()
    {
        var query = ParseRoundTrip("SELECT Id FROM Account LIMIT 5 BIND name = 'Acme', size = 10");

        Assert.Equal([new SoqlNamedValue("name", Str("Acme")), new SoqlNamedValue("size", Num(10))], query.Bind);
        Assert.EndsWith("LIMIT 5 BIND name = 'Acme', size = 10", query.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("VIEW", SoqlForClause.View)]
    [InlineData("reference", SoqlForClause.Reference)]
    [InlineData("UPDATE", SoqlForClause.Update)]
    [InlineData("VIEW, REFERENCE", SoqlForClause.View | SoqlForClause.Reference)]
    public void For_view_reference_update(string words, SoqlForClause expected)
    {
        var query = ParseRoundTrip($"SELECT Id FROM Account LIMIT 1 FOR {words}");

        Assert.Equal(expected, query.For);
        Assert.EndsWith($"FOR {words.ToUpperInvariant()}", query.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TRACKING", SoqlUpdateClause.Tracking)]
    [InlineData("viewstat", SoqlUpdateClause.Viewstat)]
    [InlineData("TRACKING, VIEWSTAT", SoqlUpdateClause.Tracking | SoqlUpdateClause.Viewstat)]
    public void Update_tracking_and_viewstat(string words, SoqlUpdateClause expected)
    {
        var query = ParseRoundTrip($"SELECT Title FROM FAQ__kav WHERE Keyword = 'Apex' UPDATE {words}");

        Assert.Equal(expected, query.Update);
        Assert.EndsWith($"UPDATE {words.ToUpperInvariant()}", query.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT Id FROM Account FOR")]
    [InlineData("SELECT Id FROM Account FOR DELETE")]
    [InlineData("SELECT Id FROM Account UPDATE VIEWSTAT, DELETE")]
    [InlineData("SELECT Id FROM Account LIMIT 1 WHERE Name = 'x'")]
    [InlineData("SELECT Id FROM Account ORDER BY Name WHERE Name = 'x'")]
    [InlineData("SELECT Id FROM Account GROUP BY Id WITH SECURITY_ENFORCED")]
    public void Clauses_out_of_place_are_refused(string soql)
    {
        Fails(soql);
    }

    [Fact]
    public void Every_clause_at_once()
    {
        var query = ParseRoundTrip(
            "SELECT Name, COUNT(Id) c FROM Account a USING SCOPE mine WHERE a.Name != NULL WITH SECURITY_ENFORCED GROUP BY Name HAVING COUNT(Id) > 1 ORDER BY Name DESC NULLS LAST LIMIT 10 OFFSET 5 FOR VIEW");

        Assert.Equal(
            new SoqlQuery([Sel("Name"), Sel(Call("COUNT", F("Id")), "c")], new SoqlFrom("Account", "a"))
            {
                UsingScope = "mine",
                Where = Cmp("a.Name", SoqlComparisonOperator.NotEqual, SoqlNull.Value),
                With = [new SoqlWithSecurity(SoqlSecurityMode.SecurityEnforced)],
                GroupBy = new SoqlGroupBy(SoqlGroupByKind.Plain, [F("Name")]),
                Having = new SoqlComparison(Call("COUNT", F("Id")), SoqlComparisonOperator.GreaterThan, Num(1)),
                OrderBy = [new SoqlOrderItem(F("Name"), SoqlSortDirection.Descending, SoqlNullsOrder.Last)],
                Limit = 10,
                Offset = 5,
                For = SoqlForClause.View,
            },
            query);
    }

    // ---- Case and spacing ------------------------------------------------------------------------------------------

    [Fact]
    public void Keywords_are_case_insensitive_and_names_keep_their_case()
    {
        var lower = ParseRoundTrip("select id, count(name) from account where name like 'a%' and not amount in (1) group by id having count(name) > 1 order by id desc nulls last limit 5 offset 1 for view");
        var mixed = ParseRoundTrip("SeLeCt id, CoUnT(name) FrOm account WhErE name LiKe 'a%' AnD nOt amount In (1) GrOuP bY id HaVing count(name) > 1 OrDeR bY id DeSc NuLlS lAsT lImIt 5 OfFsEt 1 FoR vIeW");

        Assert.Equal(lower, mixed);
        Assert.Equal(
            "SELECT id, COUNT(name) FROM account WHERE name LIKE 'a%' AND NOT amount IN (1) GROUP BY id HAVING COUNT(name) > 1 ORDER BY id DESC NULLS LAST LIMIT 5 OFFSET 1 FOR VIEW",
            lower.ToString());
        Assert.NotEqual(lower, ParseRoundTrip("SELECT Id, COUNT(name) FROM account WHERE name LIKE 'a%' AND NOT amount IN (1) GROUP BY id HAVING COUNT(name) > 1 ORDER BY id DESC NULLS LAST LIMIT 5 OFFSET 1 FOR VIEW"));
    }

    [Fact]
    public void Whitespace_and_line_breaks_do_not_matter()
    {
        var spaced = ParseRoundTrip("\r\n\tSELECT\n  Id ,\tName\r\nFROM   Account\n WHERE Name='x'\n\n");

        Assert.Equal(ParseRoundTrip("SELECT Id, Name FROM Account WHERE Name = 'x'"), spaced);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("SELECT")]
    [InlineData("SELECT FROM Account")]
    [InlineData("SELECT Id,FROM Account")]
    [InlineData("SELECT Id Account")]
    [InlineData("Id FROM Account")]
    [InlineData("SELECT Id FROM Account;")]
    [InlineData("SELECT Id FROM Account WHERE Name = \"x\"")]
    [InlineData("SELECT Id FROM Account extra words")]
    public void Broken_queries_are_refused(string soql)
    {
        Fails(soql);
    }
}
