using System.Globalization;
using System.Text;
using Atom.Salesforce.Soql.Errors;
using static Atom.Salesforce.Soql.Tests.SoqlAst;

namespace Atom.Salesforce.Soql.Tests;

/// <summary>
/// Syntax errors say where (line, column, offset), what was found and what was expected; Apex-only syntax is refused with a
/// pointer to the option; no input, however long or deep, crashes the parser.
/// </summary>
public sealed class SoqlErrorTests
{
    // ---- Position, token and expectation ---------------------------------------------------------------------------

    [Fact]
    public void Error_on_a_later_line_has_its_line_column_token_and_expectation()
    {
        const string soql = "SELECT Id,\n       Name\nFROM Account\nWHERE Name = 'x' AND OR";

        var e = Fails(soql);

        Assert.Equal(4, e.Line);
        Assert.Equal(22, e.Column);
        Assert.Equal(soql.LastIndexOf("OR", StringComparison.Ordinal), e.Position);
        Assert.Equal("OR", e.Token);
        Assert.Equal("a field name", e.Expected);
        Assert.Equal("SOQL syntax error at line 4, column 22 (at 'OR'): 'OR' is not expected here. Expected a field name.", e.Message);
    }

    [Fact]
    public void Crlf_line_breaks_count_as_one_line_each()
    {
        const string soql = "SELECT Id\r\nFROM Account\r\n\r\nWHERE Name = 'x' LIMT 5";

        var e = Fails(soql);

        Assert.Equal(4, e.Line);
        Assert.Equal(18, e.Column);
        Assert.Equal("LIMT", e.Token);
        Assert.StartsWith("a clause (WHERE, WITH", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_in_a_subquery_on_a_later_line()
    {
        const string soql = "SELECT Name,\n  (SELECT LastName\n   FROM Contacts\n   WHERE Email = )\nFROM Account";

        var e = Fails(soql);

        Assert.Equal(4, e.Line);
        Assert.Equal(18, e.Column);
        Assert.Equal(")", e.Token);
        Assert.StartsWith("a value", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_at_the_end_names_the_end()
    {
        const string soql = "SELECT Id\nFROM";

        var e = Fails(soql);

        Assert.Null(e.Token);
        Assert.Equal(soql.Length, e.Position);
        Assert.Equal(2, e.Line);
        Assert.Equal(5, e.Column);
        Assert.Equal("The query ends too soon.", e.Problem);
        Assert.Contains("(at the end of the query)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_token_is_cut_to_40_characters()
    {
        var word = new string('x', 100);

        var e = Fails($"SELECT Id FROM Account {word} {word}");

        Assert.Equal(new string('x', 40), e.Token);
        Assert.True(e.Message.Length < 400, e.Message);
    }

    [Theory]
    [InlineData("SELECT Id FROM Account WHERE Name = 'x' & Name = 'y'", "&")]
    [InlineData("SELECT Id FROM Account WHERE Name = 'x' && Name = 'y'", "&")]
    [InlineData("SELECT Id FROM Account WHERE Name = 'x' || Name = 'y'", "|")]
    [InlineData("SELECT Id FROM Account WHERE Amount * 2 > 5", "*")]
    [InlineData("SELECT [Id] FROM Account", "[")]
    [InlineData("SELECT Id FROM Account WHERE Name = 'x' ?", "?")]
    [InlineData("SELECT Id FROM Accöunt", "ö")]
    [InlineData("SELECT Id FROM Account WHERE Name = 'x' \u0000", "\u0000")]
    public void Unknown_characters_are_named(string soql, string character)
    {
        var e = Fails(soql);

        Assert.Equal(character, e.Token);
        Assert.Equal($"The character '{character}' cannot appear here.", e.Problem);
    }

    [Fact]
    public void The_exception_is_a_format_exception_with_a_readable_message()
    {
        var e = Fails("SELECT Id FROM Account WHERE Name = 'a' AND Amount > 5 OR Id = null");

        Assert.IsAssignableFrom<FormatException>(e);
        Assert.Equal("OR", e.Token);
        Assert.Equal(
            "SOQL syntax error at line 1, column 56 (at 'OR'): AND and OR cannot be mixed at one level: add parentheses to say which goes first.",
            e.Message);
    }

    [Fact]
    public void Every_corpus_syntax_error_reports_a_token_or_the_end_and_a_readable_message()
    {
        foreach (var query in SoqlCorpus.Invalid.Where(q => q.Level == "syntax"))
        {
            var e = Fails(query.Soql);

            Assert.StartsWith($"SOQL syntax error at line {e.Line}, column {e.Column} (at ", e.Message, StringComparison.Ordinal);
            Assert.True(e.Token is null ? e.Position == query.Soql.Length : query.Soql.AsSpan(e.Position).StartsWith(e.Token, StringComparison.Ordinal), query.Id);
            Assert.Equal(query.Soql.AsSpan(0, e.Position).Count('\n') + 1, e.Line);
            Assert.Equal(e.Position - (query.Soql.LastIndexOf('\n', Math.Max(0, e.Position - 1)) + 1) + 1, e.Column);
        }
    }

    [Theory]
    [InlineData("SELECT Name FROM Merchandise__c EUR5.10 ORDER BY Name", "EUR5.10", "'EUR5.10' is not a name.")]
    [InlineData("SELECT Name EUR5.10 FROM Account", "EUR5.10", "'EUR5.10' is not a name.")]
    [InlineData("SELECT Id FROM Account WITH EUR5.10 = 1", "EUR5.10", "'EUR5.10' is not a name.")]
    public void Identifier_tokens_that_are_not_names_are_syntax_errors(string soql, string token, string problem)
    {
        foreach (var options in new[] { SoqlParseOptions.Default, Apex })
        {
            var e = Fails(soql, options);

            Assert.Equal(token, e.Token);
            Assert.Equal(problem, e.Problem);
        }
    }

    [Theory]
    [InlineData("SELECT Name {0} FROM Account")]
    [InlineData("SELECT Name FROM Account {0}")]
    [InlineData("SELECT Name FROM Account c, c.Owner {0}")]
    [InlineData("SELECT Id FROM Account WITH {0} = 1")]
    [InlineData("SELECT Id FROM Account WITH {0}")]
    [InlineData("SELECT {0}(Id) FROM Account")]
    public void Names_longer_than_255_characters_are_syntax_errors(string template)
    {
        var name = "N" + new string('x', 299);
        var soql = string.Format(CultureInfo.InvariantCulture, template, name);

        foreach (var options in new[] { SoqlParseOptions.Default, Apex })
        {
            var e = Fails(soql, options);

            Assert.Equal(soql.IndexOf(name, StringComparison.Ordinal), e.Position);
            Assert.Equal(name[..40], e.Token);
        }

        Assert.Equal("A name can be at most 255 characters.", Fails(soql, Apex).Problem);
    }

    // ---- Apex-only syntax --------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("SELECT Id FROM Account WHERE Id IN :ids", ":")]
    [InlineData("SELECT Id FROM Account WHERE Name = :name", ":")]
    [InlineData("SELECT Id FROM Account WHERE Name LIKE :pattern", ":")]
    [InlineData("SELECT Id FROM Account LIMIT :n", ":")]
    [InlineData("SELECT Id FROM Account OFFSET :n", ":")]
    public void Binds_are_refused_by_default_naming_the_option(string soql, string token)
    {
        var e = Fails(soql);

        Assert.Equal(token, e.Token);
        Assert.Contains("Bind variables (:name) are Apex syntax", e.Problem, StringComparison.Ordinal);
        Assert.Contains(nameof(SoqlParseOptions.AllowApexSyntax), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("// the accounts\nSELECT Id FROM Account", "//")]
    [InlineData("SELECT Id /* the id */ FROM Account", "/*")]
    [InlineData("SELECT Id FROM Account -- comment", "-")]
    public void Comments_are_refused_by_default_naming_the_option(string soql, string token)
    {
        var e = Fails(soql);

        Assert.Equal(token, e.Token);
        if (token != "-")
        {
            Assert.Contains("Comments are Apex syntax", e.Problem, StringComparison.Ordinal);
            Assert.Contains(nameof(SoqlParseOptions.AllowApexSyntax), e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void All_rows_is_refused_by_default_naming_the_option_and_query_all()
    {
        var e = Fails("SELECT Id FROM Account ALL ROWS");

        Assert.Equal("ALL", e.Token);
        Assert.Contains("queryAll", e.Problem, StringComparison.Ordinal);
        Assert.Contains(nameof(SoqlParseOptions.AllowApexSyntax), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binds_are_read_with_the_option()
    {
        var query = ParseRoundTrip(
            "SELECT Id FROM Account WHERE Id IN :ids AND Name = :acc.Name AND Type NOT IN :types AND Site LIKE :pattern LIMIT :n OFFSET :m",
            Apex);

        Assert.Equal(
            new SoqlAnd(
            [
                new SoqlSetBind(F("Id"), SoqlSetOperator.In, new SoqlBind("ids")),
                Eq("Name", new SoqlBind("acc.Name")),
                new SoqlSetBind(F("Type"), SoqlSetOperator.NotIn, new SoqlBind("types")),
                Cmp("Site", SoqlComparisonOperator.Like, new SoqlBind("pattern")),
            ]),
            query.Where);
        Assert.Equal(new SoqlBind("n"), query.LimitBind);
        Assert.Equal(new SoqlBind("m"), query.OffsetBind);
        Assert.Null(query.Limit);
        Assert.EndsWith("LIMIT :n OFFSET :m", query.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_expressions_with_calls_and_indexers_with_the_option()
    {
        var condition = Where("Id IN :accounts.keySet() AND Name = :names[0] AND OwnerId = : UserInfo.getUserId()", Apex);

        Assert.Equal(
            new SoqlAnd(
            [
                new SoqlSetBind(F("Id"), SoqlSetOperator.In, new SoqlBind("accounts.keySet()")),
                Eq("Name", new SoqlBind("names[0]")),
                Eq("OwnerId", new SoqlBind("UserInfo.getUserId()")),
            ]),
            condition);
    }

    [Fact]
    public void Comments_are_skipped_with_the_option()
    {
        var query = ParseRoundTrip("// the accounts\nSELECT Id /* the id */, Name // the name\n FROM /**/Account//", Apex);

        Assert.Equal(Q("Account", "Id", "Name"), query);
        Assert.Equal("SELECT Id, Name FROM Account", query.ToString());
    }

    [Fact]
    public void An_unclosed_comment_is_refused_with_the_option()
    {
        var e = Fails("SELECT Id FROM Account /* never closed", Apex);

        Assert.Equal("/*", e.Token);
        Assert.Equal("*/", e.Expected);
    }

    [Fact]
    public void All_rows_is_read_with_the_option()
    {
        var query = ParseRoundTrip("SELECT Id FROM Account WHERE IsDeleted = true all rows", Apex);

        Assert.True(query.AllRows);
        Assert.EndsWith(" ALL ROWS", query.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_functions_are_apex_only()
    {
        var e = Fails("SELECT Id FROM Account WHERE Custom_Fn(Name) = 1");

        Assert.Equal("Custom_Fn", e.Token);
        Assert.Equal(new SoqlComparison(Call("Custom_Fn", F("Name")), SoqlComparisonOperator.Equal, Num(1)), Where("Custom_Fn(Name) = 1", Apex));
    }

    // ---- Bounds: length and depth ----------------------------------------------------------------------------------

    [Fact]
    public void A_statement_of_100000_characters_is_read()
    {
        const string prefix = "SELECT Id FROM Account WHERE Name = '";
        var soql = prefix + new string('a', 100_000 - prefix.Length - 1) + "'";

        Assert.Equal(100_000, soql.Length);
        Assert.Equal(100_000 - prefix.Length - 1, Assert.IsType<SoqlString>(Assert.IsType<SoqlComparison>(SoqlQuery.Parse(soql).Where).Right).Value.Length);
    }

    [Fact]
    public void A_longer_statement_is_refused_before_it_is_read()
    {
        var soql = "SELECT Id FROM Account WHERE Name = '" + new string('a', 100_000) + "'";

        var e = Fails(soql);

        Assert.Equal(100_000, e.Position);
        Assert.Equal($"A SOQL statement can be at most 100,000 characters; this one has {soql.Length.ToString("N0", CultureInfo.InvariantCulture)}.", e.Problem);
        Assert.Equal(1, e.Line);
        Assert.Throws<SoqlSyntaxException>(() => SoqlQuery.Parse(new string(' ', 100_001)));
        Assert.Throws<SoqlSyntaxException>(() => SoqlParser.ParseCondition(new string(' ', 100_001), SoqlParseOptions.Default));
    }

    [Fact]
    public void The_length_message_does_not_depend_on_the_current_culture()
    {
        var soql = new string(' ', 123_456);
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var e = Fails(soql);

            Assert.Equal("A SOQL statement can be at most 100,000 characters; this one has 123,456.", e.Problem);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    public static TheoryData<string, string> DeepInputs => new()
    {
        { "parentheses", "SELECT Id FROM Account WHERE " + Repeat("(", 10_000) + "Name = 'x'" + Repeat(")", 10_000) },
        { "unclosed parentheses", "SELECT Id FROM Account WHERE " + Repeat("(", 40_000) },
        { "NOT", "SELECT Id FROM Account WHERE " + Repeat("NOT ", 10_000) + "Name = 'x'" },
        { "NOT and parentheses", "SELECT Id FROM Account WHERE " + Repeat("NOT (", 10_000) + "Name = 'x'" + Repeat(")", 10_000) },
        { "date functions", "SELECT " + Repeat("CALENDAR_YEAR(", 5_000) + "CreatedDate" + Repeat(")", 5_000) + " FROM Account" },
        { "aggregates", "SELECT " + Repeat("MAX(", 10_000) + "Amount" + Repeat(")", 10_000) + " FROM Opportunity" },
        { "child subqueries", "SELECT Id" + Repeat(", (SELECT Id", 3_000) + Repeat(" FROM Contacts)", 3_000) + " FROM Account" },
        { "semi-joins", "SELECT Id FROM Account" + Repeat(" WHERE Id IN (SELECT Id FROM Account", 2_000) + Repeat(")", 2_000) },
        { "subquery openers", "SELECT Id" + Repeat(", (SELECT Id", 8_000) },
    };

    public static TheoryData<string, string> DeepApexInputs => new()
    {
        { "unknown functions", "SELECT " + Repeat("fn(", 10_000) + "Id" + Repeat(")", 10_000) + " FROM Account" },
        { "unknown functions in WHERE", "SELECT Id FROM Account WHERE " + Repeat("fn(", 10_000) + "Id" + Repeat(")", 10_000) + " = 1" },
        { "bind brackets", "SELECT Id FROM Account WHERE Id IN :x" + Repeat("(", 30_000) + Repeat(")", 30_000) },
        { "unclosed bind brackets", "SELECT Id FROM Account WHERE Id IN :x" + Repeat("([", 30_000) },
        { "comments", "SELECT Id " + Repeat("/* c */", 10_000) + "FROM Account" },
    };

    [Theory]
    [MemberData(nameof(DeepInputs))]
    public void Deep_nesting_is_refused_without_overflowing_the_stack(string what, string soql)
    {
        Assert.True(soql.Length <= 100_000, what);

        var e = Fails(soql);
        Assert.Contains(e.Problem, new[] { "The query nests parentheses, subqueries and functions more than 100 deep.", "CALENDAR_YEAR() cannot be nested in another function.", "MAX() cannot be nested in another function." });
        Assert.Throws<SoqlSyntaxException>(() => SoqlQuery.Parse(soql, Apex));
    }

    [Theory]
    [MemberData(nameof(DeepApexInputs))]
    public void Deep_apex_syntax_is_refused_or_read_without_overflowing_the_stack(string what, string soql)
    {
        Assert.True(soql.Length <= 100_000, what);

        try
        {
            ParseRoundTrip(soql, Apex);
        }
        catch (SoqlSyntaxException e)
        {
            Assert.InRange(e.Position, 0, soql.Length);
        }

        Fails(soql);
    }

    [Fact]
    public void Nesting_within_the_bound_is_read()
    {
        var query = ParseRoundTrip("SELECT Id FROM Account WHERE " + Repeat("(", 90) + "Name = 'x'" + Repeat(")", 90));

        SoqlCondition condition = query.Where!;
        for (var i = 0; i < 90; i++)
        {
            condition = Assert.IsType<SoqlParenthesized>(condition).Inner;
        }

        Assert.Equal(Eq("Name", Str("x")), condition);
    }

    [Fact]
    public void A_long_flat_condition_is_read()
    {
        var terms = Enumerable.Range(0, 5_000).Select(i => $"Name = 'n{i}'");
        var query = ParseRoundTrip("SELECT Id FROM Account WHERE " + string.Join(" OR ", terms));

        Assert.Equal(5_000, Assert.IsType<SoqlOr>(query.Where).Operands.Count);
    }

    [Fact]
    public void A_long_in_list_and_select_list_are_read()
    {
        var values = string.Join(", ", Enumerable.Range(0, 10_000).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        var fields = string.Join(", ", Enumerable.Range(0, 2_000).Select(i => $"F{i}__c"));
        var query = ParseRoundTrip($"SELECT {fields} FROM Account WHERE Amount IN ({values})");

        Assert.Equal(2_000, query.Select.Count);
        Assert.Equal(10_000, Assert.IsType<SoqlSetComparison>(query.Where).Values.Count);
    }

    [Fact]
    public void A_long_arithmetic_chain_is_refused_without_overflowing_the_stack()
    {
        // Each operator nests the tree one level deeper: a chain of 24,000 would print and compare by recursing 24,000 deep.
        var soql = "SELECT Id FROM Account WHERE A" + Repeat(" + A", 24_000) + " > 1";
        Assert.True(soql.Length <= 100_000);

        var e = Fails(soql);

        Assert.Equal("The query nests parentheses, subqueries and functions more than 100 deep.", e.Problem);
        Assert.Equal("+", e.Token);
    }

    [Fact]
    public void An_arithmetic_chain_within_the_bound_is_read()
    {
        var soql = "SELECT Id FROM Account WHERE A" + Repeat(" + A - 1", 40) + " > 1";

        var query = ParseRoundTrip(soql);

        Assert.Equal(soql, query.ToString());
        var left = Assert.IsType<SoqlComparison>(query.Where).Left;
        for (var i = 0; i < 80; i++)
        {
            left = Assert.IsType<SoqlArithmetic>(left).Left;
        }

        Assert.Equal(F("A"), left);
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();
}
