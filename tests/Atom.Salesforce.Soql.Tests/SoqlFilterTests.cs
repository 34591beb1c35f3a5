using Atom.Salesforce.Soql.Errors;

namespace Atom.Salesforce.Soql.Tests;

public sealed class SoqlFilterTests
{
    private static readonly SoqlFilter Filter = new(["Name", "Industry", "AnnualRevenue", "CreatedDate", "Account.Name", "Tags__c"]);

    [Theory]
    [InlineData("Name = 'Acme'", "Name = 'Acme'")]
    [InlineData("name='Acme'", "Name = 'Acme'")]
    [InlineData("Industry IN ('Media', 'Energy') AND AnnualRevenue >= 1000000", "Industry IN ('Media', 'Energy') AND AnnualRevenue >= 1000000")]
    [InlineData("(Name LIKE 'Ac%' OR Name LIKE 'Ab\\_%') AND NOT Industry = null", "(Name LIKE 'Ac%' OR Name LIKE 'Ab\\_%') AND NOT Industry = NULL")]
    [InlineData("CreatedDate = LAST_N_DAYS:30 OR CreatedDate > 2024-01-01T00:00:00Z", "CreatedDate = LAST_N_DAYS:30 OR CreatedDate > 2024-01-01T00:00:00Z")]
    [InlineData("account.name != 'x' AND Tags__c INCLUDES ('a;b', 'c')", "Account.Name != 'x' AND Tags__c INCLUDES ('a;b', 'c')")]
    [InlineData("Name NOT IN ('a', 'b')", "Name NOT IN ('a', 'b')")]
    public void Accepts_comparisons_of_allowed_fields_and_prints_them_canonically(string input, string expected)
    {
        Assert.Equal(expected, Filter.Parse(input).ToString());
    }

    [Theory]
    [InlineData("Name = 'x'; DELETE FROM Account", "semicolon")]
    [InlineData("Name = 'x' LIMIT 1", "not expected")]
    [InlineData("Name = 'x' ORDER BY Name", "not expected")]
    [InlineData("Name = 'x' WITH SECURITY_ENFORCED", "not expected")]
    [InlineData("Name = 'x') OR (Name != null", "not expected")]
    [InlineData("Name = 'x' OR Id != null", "'Id' cannot be used")]
    [InlineData("Password__c = 'x'", "'Password__c' cannot be used")]
    [InlineData("Account.Owner.Email = 'x'", "cannot be used")]
    [InlineData("Name IN (SELECT Name FROM User)", "Subqueries")]
    [InlineData("Name = :secret", "Apex")]
    [InlineData("Name = 'x' /* comment */", "Apex")]
    [InlineData("Name = 'x' -- comment", "not expected")]
    [InlineData("Name = \"x\"", "single quotes")]
    [InlineData("Name = Industry", "is not a value")]
    [InlineData("toLabel(Name) = 'x'", "Functions")]
    [InlineData("CALENDAR_YEAR(CreatedDate) = 2024", "Functions")]
    [InlineData("AnnualRevenue + AnnualRevenue > 10", "plain fields")]
    [InlineData("Name = 'a' AND Name = 'b' OR Name = 'c'", "cannot be mixed")]
    [InlineData("Name = 'x' ALL ROWS", "not expected")]
    [InlineData("Name = 'x\\' OR Name != null", "never closed")]
    [InlineData("Name = 'x'' OR Name != ''", "not expected")]
    [InlineData("Name = 'x\\q'", "escape")]
    [InlineData("Name = 'x' \u0000", "cannot appear")]
    [InlineData("Name \u2018x\u2019", "cannot appear")]
    [InlineData("SELECT Id FROM Account", "not expected")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    public void Refuses_everything_else_with_a_clear_reason(string input, string reason)
    {
        var e = Assert.Throws<SoqlFilterException>(() => Filter.Parse(input));
        Assert.Contains(reason, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(Filter.TryParse(input, out var result, out var error));
        Assert.Null(result);
        Assert.Equal(e.Message, error);
    }

    [Fact]
    public void A_quote_smuggled_in_a_string_stays_inside_the_literal()
    {
        var condition = Filter.Parse(@"Name = 'x\' OR Name != \'y'");

        var comparison = Assert.IsType<SoqlComparison>(condition);
        Assert.Equal("x' OR Name != 'y", Assert.IsType<SoqlString>(comparison.Right).Value);
        Assert.Equal(condition, SoqlParser.ParseCondition(condition.ToString(), SoqlParseOptions.Default));
    }

    [Fact]
    public void ApplyTo_keeps_an_OR_in_the_filter_from_widening_the_query()
    {
        var query = SoqlQuery.Parse("SELECT Id FROM Account WHERE OwnerId = '005000000000001' OR Industry = 'x'");

        var filtered = Filter.ApplyTo(query, "Name = 'a' OR Name = 'b'");

        Assert.Equal(
            "SELECT Id FROM Account WHERE (OwnerId = '005000000000001' OR Industry = 'x') AND (Name = 'a' OR Name = 'b')",
            filtered.ToString());
        Assert.Equal(filtered, SoqlQuery.Parse(filtered.ToString()));
    }

    [Fact]
    public void ApplyTo_a_query_without_WHERE_adds_the_filter_in_parentheses()
    {
        var filtered = Filter.ApplyTo(SoqlQuery.Parse("SELECT Id FROM Account LIMIT 10"), "Name = 'a'");

        Assert.Equal("SELECT Id FROM Account WHERE (Name = 'a') LIMIT 10", filtered.ToString());
    }

    [Fact]
    public void Limits_length_and_number_of_comparisons()
    {
        var strict = new SoqlFilter(["Name"]) { MaxLength = 60, MaxComparisons = 2 };

        Assert.Contains("at most 60", Assert.Throws<SoqlFilterException>(() => strict.Parse($"Name = '{new string('x', 60)}'")).Message, StringComparison.Ordinal);
        Assert.Contains("more than 2", Assert.Throws<SoqlFilterException>(() => strict.Parse("Name = 'a' OR Name = 'b' OR Name = 'c'")).Message, StringComparison.Ordinal);
        Assert.Equal("Name = 'a' OR Name = 'b'", strict.Parse("Name = 'a' OR Name = 'b'").ToString());
    }

    [Fact]
    public void Deep_nesting_is_refused_without_overflowing_the_stack()
    {
        var deep = new string('(', 5000) + "Name = 'x'" + new string(')', 5000);
        var filter = new SoqlFilter(["Name"]) { MaxLength = 20_000 };

        Assert.Contains("deep", Assert.Throws<SoqlFilterException>(() => filter.Parse(deep)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_allow_list_must_hold_field_names()
    {
        Assert.Throws<ArgumentException>(() => new SoqlFilter(["Name; DROP"]));
        Assert.Throws<ArgumentException>(() => new SoqlFilter([]));
        Assert.Equal(["Name"], new SoqlFilter(["Name", "NAME"]).AllowedFields);
    }

    [Fact]
    public void Random_printable_input_is_either_refused_or_printed_from_a_checked_tree()
    {
        var random = new Random(20261124);
        const string Alphabet = "Name IndustryAnnualRevenue='\\\"();,.:%_*/-+<>=!ORANDNOTINLIKESELECTFROM0123456789 \n\t";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(1, 60)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            var input = new string(chars);
            if (Filter.TryParse(input, out var condition, out var error))
            {
                var printed = condition!.ToString();
                Assert.DoesNotContain(';', printed);
                Assert.Equal(condition, Filter.Parse(printed));
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error), input);
            }
        }
    }
}
