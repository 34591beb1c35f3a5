using System.Globalization;
using Atom.Salesforce.Soql;
using SoqlText = Atom.Salesforce.Client.Soql.Soql;

namespace Atom.Salesforce.Client.Tests.Soql;

public sealed class SoqlFormatTests
{
    private enum Stage
    {
        Prospecting,
        ClosedWon,
    }

    // ---- strings and escaping ----------------------------------------------------------------

    [Theory]
    [InlineData("Acme", "'Acme'")]
    [InlineData("", "''")]
    [InlineData("O'Brien", @"'O\'Brien'")]
    [InlineData(@"C:\temp", @"'C:\\temp'")]
    [InlineData(@"\'", @"'\\\''")]
    [InlineData("line1\nline2", @"'line1\nline2'")]
    [InlineData("a\rb", @"'a\rb'")]
    [InlineData("a\tb", @"'a\tb'")]
    [InlineData("a\bb", @"'a\bb'")]
    [InlineData("a\fb", @"'a\fb'")]
    [InlineData("say \"hi\"", @"'say \""hi\""'")]
    [InlineData("a\u0001b", @"'a\u0001b'")]
    [InlineData("a\u001fb", @"'a\u001fb'")]
    [InlineData("a\u007fb", @"'a\u007fb'")]
    [InlineData("a\0b", @"'a\u0000b'")]
    [InlineData("Müller 東京 ✓", "'Müller 東京 ✓'")]
    [InlineData("50% off_now", "'50% off_now'")]
    public void Strings_are_quoted_and_escaped(string value, string expected)
    {
        Assert.Equal(expected, SoqlText.Literal(value));
        Assert.Equal($"SELECT Id FROM Account WHERE Name = {expected}", SoqlText.Format($"SELECT Id FROM Account WHERE Name = {value}"));
    }

    [Fact]
    public void A_char_is_a_one_character_string()
    {
        Assert.Equal("'x'", SoqlText.Literal('x'));
        Assert.Equal(@"'\''", SoqlText.Literal('\''));
    }

    [Theory]
    [InlineData("' OR Name != '", @"SELECT Id FROM Account WHERE Name = '\' OR Name != \''")]
    [InlineData(@"\' OR 1=1 --", @"SELECT Id FROM Account WHERE Name = '\\\' OR 1=1 --'")]
    [InlineData(@"trailing\", @"SELECT Id FROM Account WHERE Name = 'trailing\\'")]
    [InlineData(@"\\", @"SELECT Id FROM Account WHERE Name = '\\\\'")]
    [InlineData("x' LIMIT 1) OR (Name LIKE '%", @"SELECT Id FROM Account WHERE Name = 'x\' LIMIT 1) OR (Name LIKE \'%'")]
    [InlineData("a'\nOR Name != '", @"SELECT Id FROM Account WHERE Name = 'a\'\nOR Name != \''")]
    public void Injection_attempts_stay_inside_one_literal(string attack, string expected)
    {
        var soql = SoqlText.Format($"SELECT Id FROM Account WHERE Name = {attack}");

        Assert.Equal(expected, soql);
        Assert.Equal(2, CountUnescapedQuotes(soql));
    }

    [Fact]
    public void Several_values_are_each_their_own_literal()
    {
        var name = "O'Brien";
        var city = @"back\slash";
        var soql = SoqlText.Format($"SELECT Id FROM Contact WHERE LastName = {name} AND MailingCity = {city} LIMIT {10}");

        Assert.Equal(@"SELECT Id FROM Contact WHERE LastName = 'O\'Brien' AND MailingCity = 'back\\slash' LIMIT 10", soql);
    }

    // ---- text around the values ----------------------------------------------------------------

    [Fact]
    public void Text_without_values_is_left_exactly_as_written()
    {
        const string text = "SELECT Id, Name FROM Account WHERE Name = 'Acme' ORDER BY Name";

        Assert.Equal(text, SoqlText.Format($"SELECT Id, Name FROM Account WHERE Name = 'Acme' ORDER BY Name"));
    }

    [Fact]
    public void Escaped_braces_come_out_as_single_braces()
    {
        var name = "Acme";

        Assert.Equal(
            "SELECT Id FROM Account WHERE Description = '{not a value}' AND Name = 'Acme'",
            SoqlText.Format($"SELECT Id FROM Account WHERE Description = '{{not a value}}' AND Name = {name}"));
    }

    [Fact]
    public void A_format_specifier_does_not_change_the_literal()
    {
        var amount = 1234.5m;
        var name = "Acme";

        Assert.Equal("Amount = 1234.5 AND Name = 'Acme'", SoqlText.Format($"Amount = {amount:N2} AND Name = {name:X}"));
    }

    [Fact]
    public void Format_refuses_a_null_query() =>
        Assert.Throws<ArgumentNullException>(() => SoqlText.Format(null!));

    // ---- null, bool, numbers -------------------------------------------------------------------

    [Fact]
    public void Null_is_the_null_keyword()
    {
        string? missing = null;

        Assert.Equal("SELECT Id FROM Account WHERE ParentId = null", SoqlText.Format($"SELECT Id FROM Account WHERE ParentId = {missing}"));
        Assert.Equal("null", SoqlText.Literal(null));
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public void Booleans(bool value, string expected) =>
        Assert.Equal($"IsDeleted = {expected}", SoqlText.Format($"IsDeleted = {value}"));

    public static TheoryData<object, string> Numbers => new()
    {
        { (byte)255, "255" },
        { (sbyte)-128, "-128" },
        { (short)-32768, "-32768" },
        { (ushort)65535, "65535" },
        { -42, "-42" },
        { 4294967295u, "4294967295" },
        { long.MinValue, "-9223372036854775808" },
        { ulong.MaxValue, "18446744073709551615" },
        { 1250000.50m, "1250000.50" },
        { -0.001m, "-0.001" },
        { 79228162514264337593543950335m, "79228162514264337593543950335" },
        { 3.5d, "3.5" },
        { -0.1d, "-0.1" },
        { 1e21d, "1E+21" },
        { 2.5f, "2.5" },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Numbers_are_written_in_invariant_form(object value, string expected)
    {
        Assert.Equal(expected, SoqlText.Literal(value));
        Assert.Equal($"Amount > {expected}", SoqlText.Format($"Amount > {value}"));
    }

    [Fact]
    public void Numbers_and_dates_ignore_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        var savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            var amount = 1234567.89m;
            var ratio = 0.25d;
            var small = 1.5f;
            var big = 1234567;
            var day = new DateOnly(2025, 1, 31);
            var at = new DateTimeOffset(2025, 1, 31, 10, 0, 0, 250, TimeSpan.Zero);

            Assert.Equal(
                "A = 1234567.89 AND B = 0.25 AND C = 1.5 AND D = 1234567 AND E = 2025-01-31 AND F = 2025-01-31T10:00:00.250Z",
                SoqlText.Format($"A = {amount} AND B = {ratio} AND C = {small} AND D = {big} AND E = {day} AND F = {at}"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_doubles_are_refused(double value)
    {
        var e = Assert.Throws<ArgumentException>(() => SoqlText.Format($"Amount = {value}"));
        Assert.Contains("NaN", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_floats_are_refused(float value) =>
        Assert.Throws<ArgumentException>(() => SoqlText.Literal(value));

    // ---- dates and times -----------------------------------------------------------------------

    [Fact]
    public void A_date_is_unquoted_yyyy_MM_dd()
    {
        var day = new DateOnly(2025, 1, 31);

        Assert.Equal("CloseDate = 2025-01-31", SoqlText.Format($"CloseDate = {day}"));
        Assert.Equal("0001-01-01", SoqlText.Literal(DateOnly.MinValue));
    }

    public static TheoryData<DateTimeOffset, string> DateTimeOffsets => new()
    {
        { new DateTimeOffset(2025, 1, 31, 10, 0, 0, TimeSpan.Zero), "2025-01-31T10:00:00Z" },
        { new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.FromHours(2)), "2025-01-31T10:00:00Z" },
        { new DateTimeOffset(2025, 1, 31, 1, 30, 0, TimeSpan.FromHours(5.5)), "2025-01-30T20:00:00Z" },
        { new DateTimeOffset(2024, 12, 31, 20, 0, 0, TimeSpan.FromHours(-8)), "2025-01-01T04:00:00Z" },
        { new DateTimeOffset(2025, 1, 31, 10, 0, 0, 7, TimeSpan.Zero), "2025-01-31T10:00:00.007Z" },
        { new DateTimeOffset(2025, 1, 31, 10, 0, 0, 120, TimeSpan.FromHours(1)), "2025-01-31T09:00:00.120Z" },
    };

    [Theory]
    [MemberData(nameof(DateTimeOffsets))]
    public void A_datetime_is_written_in_UTC_with_milliseconds_only_when_not_zero(DateTimeOffset value, string expected) =>
        Assert.Equal($"CreatedDate > {expected}", SoqlText.Format($"CreatedDate > {value}"));

    [Fact]
    public void A_UTC_DateTime_is_written_as_is()
    {
        var at = new DateTime(2025, 1, 31, 10, 0, 0, 500, DateTimeKind.Utc);

        Assert.Equal("CreatedDate > 2025-01-31T10:00:00.500Z", SoqlText.Format($"CreatedDate > {at}"));
    }

    [Fact]
    public void A_local_DateTime_is_written_as_the_instant_it_denotes()
    {
        var local = new DateTime(2025, 6, 15, 14, 30, 0, DateTimeKind.Local);
        var expected = local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        Assert.Equal($"CreatedDate > {expected}", SoqlText.Format($"CreatedDate > {local}"));
        Assert.EndsWith("Z", expected, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unspecified_DateTime_is_refused()
    {
        var unspecified = new DateTime(2025, 1, 31, 10, 0, 0, DateTimeKind.Unspecified);

        var e = Assert.Throws<ArgumentException>(() => SoqlText.Format($"CreatedDate > {unspecified}"));
        Assert.Contains("Unspecified", e.Message, StringComparison.Ordinal);
    }

    // ---- Guid, enum ----------------------------------------------------------------------------

    [Fact]
    public void A_guid_is_a_quoted_string()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        Assert.Equal("Ext_Id__c = '0f8fad5b-d9cb-469f-a165-70867728950e'", SoqlText.Format($"Ext_Id__c = {id}"));
    }

    [Fact]
    public void An_enum_is_its_name_as_a_quoted_string()
    {
        var stage = Stage.ClosedWon;

        Assert.Equal("StageName = 'ClosedWon'", SoqlText.Format($"StageName = {stage}"));
    }

    // ---- collections ---------------------------------------------------------------------------

    [Fact]
    public void A_collection_of_strings_is_a_parenthesised_list()
    {
        var names = new[] { "a", "b" };

        Assert.Equal("SELECT Id FROM Account WHERE Name IN ('a', 'b')", SoqlText.Format($"SELECT Id FROM Account WHERE Name IN {names}"));
    }

    [Fact]
    public void Items_of_a_collection_are_escaped()
    {
        var names = new List<string> { "O'Brien", @"a\b", "' OR Name != '" };

        Assert.Equal(@"Name IN ('O\'Brien', 'a\\b', '\' OR Name != \'')", SoqlText.Format($"Name IN {names}"));
    }

    [Fact]
    public void A_collection_can_mix_numbers_and_null()
    {
        var values = new object?[] { 1, 2.5m, -3L, 0.5d, null };

        Assert.Equal("Amount IN (1, 2.5, -3, 0.5, null)", SoqlText.Format($"Amount IN {values}"));
    }

    [Fact]
    public void A_collection_of_dates_and_enums()
    {
        var days = new HashSet<DateOnly> { new(2025, 1, 1) };
        var stages = new[] { Stage.Prospecting, Stage.ClosedWon };

        Assert.Equal("CloseDate IN (2025-01-01) AND StageName IN ('Prospecting', 'ClosedWon')",
            SoqlText.Format($"CloseDate IN {days} AND StageName IN {stages}"));
    }

    [Fact]
    public void A_single_item_collection()
    {
        IEnumerable<string> ids = ["001000000000001"];

        Assert.Equal("Id IN ('001000000000001')", SoqlText.Format($"Id IN {ids}"));
    }

    [Fact]
    public void An_empty_collection_is_refused()
    {
        var none = Array.Empty<string>();

        var e = Assert.Throws<ArgumentException>(() => SoqlText.Format($"Name IN {none}"));
        Assert.Contains("empty", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_nested_collection_is_refused()
    {
        var nested = new[] { new[] { "a" }, new[] { "b" } };

        var e = Assert.Throws<ArgumentException>(() => SoqlText.Format($"Name IN {nested}"));
        Assert.Contains("nested", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_collection_holding_an_unknown_type_is_refused()
    {
        var values = new object[] { "a", new object() };

        Assert.Throws<ArgumentException>(() => SoqlText.Format($"Name IN {values}"));
    }

    // ---- unknown types -------------------------------------------------------------------------

    public static TheoryData<object> UnknownValues => new()
    {
        new object(),
        new Uri("https://example.com/"),
        TimeSpan.FromMinutes(1),
        new Version(1, 2),
        new { Name = "x" },
    };

    [Theory]
    [MemberData(nameof(UnknownValues))]
    public void Values_of_other_types_are_refused(object value)
    {
        var e = Assert.Throws<ArgumentException>(() => SoqlText.Format($"Name = {value}"));
        Assert.Contains("no SOQL literal form", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dictionary_is_refused()
    {
        var map = new Dictionary<string, string> { ["a"] = "b" };

        Assert.Throws<ArgumentException>(() => SoqlText.Format($"Name IN {map}"));
    }

    // ---- LIKE ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("Acme", "'Acme%'")]
    [InlineData("50%", @"'50\%%'")]
    [InlineData("a_b", @"'a\_b%'")]
    [InlineData("O'Brien", @"'O\'Brien%'")]
    [InlineData(@"C:\", @"'C:\\%'")]
    [InlineData("", "'%'")]
    public void StartsWith_escapes_wildcards_and_quotes(string value, string expected)
    {
        Assert.Equal(expected, SoqlText.StartsWith(value).ToString());
        Assert.Equal($"Name LIKE {expected}", SoqlText.Format($"Name LIKE {SoqlText.StartsWith(value)}"));
    }

    [Theory]
    [InlineData("Inc", "'%Inc'")]
    [InlineData("100%", @"'%100\%'")]
    [InlineData("_x", @"'%\_x'")]
    public void EndsWith_escapes_wildcards(string value, string expected) =>
        Assert.Equal($"Name LIKE {expected}", SoqlText.Format($"Name LIKE {SoqlText.EndsWith(value)}"));

    [Theory]
    [InlineData("cme", "'%cme%'")]
    [InlineData("%_%", @"'%\%\_\%%'")]
    [InlineData("' OR Name != '", @"'%\' OR Name != \'%'")]
    public void Contains_escapes_wildcards_and_quotes(string value, string expected) =>
        Assert.Equal($"Name LIKE {expected}", SoqlText.Format($"Name LIKE {SoqlText.Contains(value)}"));

    [Theory]
    [InlineData("Acme", "'Acme'")]
    [InlineData("50%_off", @"'50\%\_off'")]
    [InlineData("it's", @"'it\'s'")]
    public void LikeExactly_takes_wildcards_literally(string value, string expected) =>
        Assert.Equal($"Name LIKE {expected}", SoqlText.Format($"Name LIKE {SoqlText.LikeExactly(value)}"));

    [Fact]
    public void Wildcards_are_not_escaped_in_a_plain_string()
    {
        var pattern = "Ac%me_";

        Assert.Equal("Name LIKE 'Ac%me_'", SoqlText.Format($"Name LIKE {pattern}"));
    }

    [Fact]
    public void Like_helpers_refuse_null()
    {
        Assert.Throws<ArgumentNullException>(() => SoqlText.StartsWith(null!));
        Assert.Throws<ArgumentNullException>(() => SoqlText.EndsWith(null!));
        Assert.Throws<ArgumentNullException>(() => SoqlText.Contains(null!));
        Assert.Throws<ArgumentNullException>(() => SoqlText.LikeExactly(null!));
    }

    // ---- identifiers ---------------------------------------------------------------------------

    [Theory]
    [InlineData("Account")]
    [InlineData("Owner.Name")]
    [InlineData("ns__Invoice__c")]
    [InlineData("Invoice__r.Account__r.Owner.Name")]
    [InlineData("a1")]
    public void Identifier_accepts_API_names(string name)
    {
        var identifier = SoqlText.Identifier(name);

        Assert.Equal(name, identifier.Name);
        Assert.Equal(name, identifier.ToString());
        Assert.Equal($"SELECT {name} FROM Account", SoqlText.Format($"SELECT {identifier} FROM Account"));
    }

    [Theory]
    [InlineData("Name; DELETE")]
    [InlineData("Name FROM Account")]
    [InlineData("1abc")]
    [InlineData("_Name")]
    [InlineData("Name,Id")]
    [InlineData("Name'")]
    [InlineData("Owner..Name")]
    [InlineData("Owner.")]
    [InlineData(".Name")]
    [InlineData("Name\n")]
    [InlineData("Name\r\n")]
    [InlineData("Name\nFROM User")]
    [InlineData(" Name")]
    [InlineData("Name ")]
    [InlineData("Nämé")]
    [InlineData("Name--")]
    public void Identifier_refuses_anything_but_a_dotted_API_name(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => SoqlText.Identifier(name));
        Assert.Equal("name", e.ParamName);
    }

    [Fact]
    public void Identifier_refuses_empty_and_null()
    {
        Assert.Throws<ArgumentException>(() => SoqlText.Identifier(string.Empty));
        Assert.Throws<ArgumentNullException>(() => SoqlText.Identifier(null!));
    }

    [Fact]
    public void Identifier_refuses_a_name_longer_than_80_characters()
    {
        Assert.Equal(new string('a', 80), SoqlText.Identifier(new string('a', 80)).Name);
        Assert.Throws<ArgumentException>(() => SoqlText.Identifier(new string('a', 81)));
    }

    /// <summary>Counts the quotes that open or close a literal (those not preceded by an odd number of backslashes).</summary>
    private static int CountUnescapedQuotes(string soql)
    {
        var count = 0;
        for (var i = 0; i < soql.Length; i++)
        {
            if (soql[i] == '\\')
            {
                i++;
            }
            else if (soql[i] == '\'')
            {
                count++;
            }
        }

        return count;
    }

    // ---- with the Atom.Salesforce.Soql parser ------------------------------------------------

    [Fact]
    public void Like_helpers_and_the_parser_agree()
    {
        var pattern = SoqlText.StartsWith("50%_off").ToString();
        var query = SoqlQuery.Parse($"SELECT Id FROM Account WHERE Name LIKE {pattern}");
        var condition = Assert.IsType<SoqlComparison>(query.Where);

        Assert.Equal(@"50\%\_off%", Assert.IsType<SoqlString>(condition.Right).Value);
        Assert.Equal($"Name LIKE {pattern}", condition.ToString());
    }

    [Fact]
    public void Formatted_text_parses_to_the_literals_it_was_given()
    {
        var since = new DateTimeOffset(2025, 1, 31, 10, 0, 0, TimeSpan.Zero);
        var query = SoqlQuery.Parse(SoqlText.Format($"SELECT Id FROM Account WHERE Name = {"O'Brien \\ Co"} AND CreatedDate > {since}"));
        var and = Assert.IsType<SoqlAnd>(query.Where);

        Assert.Equal("O'Brien \\ Co", Assert.IsType<SoqlString>(Assert.IsType<SoqlComparison>(and.Operands[0]).Right).Value);
        Assert.Equal("SELECT Id FROM Account WHERE Name = 'O\\'Brien \\\\ Co' AND CreatedDate > 2025-01-31T10:00:00Z", query.ToString());
    }
}
