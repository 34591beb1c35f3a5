using System.Globalization;
using static Atom.Salesforce.Soql.Tests.SoqlAst;

namespace Atom.Salesforce.Soql.Tests;

/// <summary>Every literal kind and form of reference §6.3 and §6.4: what it reads as, how it prints, and what is refused.</summary>
public sealed class SoqlLiteralTests
{
    public static TheoryData<SoqlDateLiteralKind> DateLiteralKinds => new(Enum.GetValues<SoqlDateLiteralKind>());

    // ---- Strings ---------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(@"'plain'", "plain")]
    [InlineData(@"''", "")]
    [InlineData(@"'a\nb'", "a\nb")]
    [InlineData(@"'a\Nb'", "a\nb")]
    [InlineData(@"'a\rb'", "a\rb")]
    [InlineData(@"'a\Rb'", "a\rb")]
    [InlineData(@"'a\tb'", "a\tb")]
    [InlineData(@"'a\Tb'", "a\tb")]
    [InlineData(@"'a\bb'", "a\bb")]
    [InlineData(@"'a\Bb'", "a\bb")]
    [InlineData(@"'a\fb'", "a\fb")]
    [InlineData(@"'a\Fb'", "a\fb")]
    [InlineData(@"'say \""hi\""'", "say \"hi\"")]
    [InlineData(@"'say ""hi""'", "say \"hi\"")]
    [InlineData(@"'O\'Brien'", "O'Brien")]
    [InlineData(@"'C:\\temp'", @"C:\temp")]
    [InlineData(@"'\\\\'", @"\\")]
    [InlineData(@"'\\\''", @"\'")]
    [InlineData(@"'caf\u00e9'", "café")]
    [InlineData(@"'caf\u00E9'", "café")]
    [InlineData(@"'\u0041\u0042'", "AB")]
    [InlineData(@"'\u4e2d'", "中")]
    [InlineData("'Müller 東京 ✓ 🙂'", "Müller 東京 ✓ 🙂")]
    [InlineData("'50% off_now'", "50% off_now")]
    [InlineData("'multi\nline'", "multi\nline")]
    [InlineData("'; DROP -- /* */'", "; DROP -- /* */")]
    public void String_escapes(string literal, string value)
    {
        var parsed = Assert.IsType<SoqlString>(Value(literal));

        Assert.Equal(value, parsed.Value);
        Assert.Equal(Str(value), parsed);
        Assert.Equal(literal, parsed.ToString());
    }

    [Theory]
    [InlineData(@"'100\%'", @"100\%")]
    [InlineData(@"'a\_b'", @"a\_b")]
    [InlineData(@"'a\\b'", @"a\\b")]
    [InlineData(@"'it\'s%'", "it's%")]
    [InlineData(@"'%\n%'", "%\n%")]
    public void Like_patterns_keep_their_wildcard_escapes(string pattern, string value)
    {
        var condition = Assert.IsType<SoqlComparison>(Where($"Name LIKE {pattern}"));

        Assert.Equal(SoqlComparisonOperator.Like, condition.Operator);
        Assert.Equal(value, Assert.IsType<SoqlString>(condition.Right).Value);
        Assert.Equal($"Name LIKE {pattern}", condition.ToString());
    }

    [Theory]
    [InlineData(@"'100\%'", 4)]
    [InlineData(@"'a\_b'", 2)]
    public void Wildcard_escapes_outside_like_are_refused(string literal, int backslash)
    {
        var e = Fails($"SELECT Id FROM A WHERE N = {literal}");

        Assert.Contains("only allowed in a LIKE pattern", e.Problem, StringComparison.Ordinal);
        Assert.Equal(27 + backslash, e.Position);
        Assert.Equal(28 + backslash, e.Column);
        Assert.Equal('\\', e.Token![0]);
        Fails($"SELECT Id FROM A WHERE N IN ({literal})");
    }

    [Theory]
    [InlineData(@"'\x'", "not a SOQL escape sequence")]
    [InlineData(@"'\a'", "not a SOQL escape sequence")]
    [InlineData(@"'\0'", "not a SOQL escape sequence")]
    [InlineData(@"'\ '", "not a SOQL escape sequence")]
    [InlineData(@"'\/'", "not a SOQL escape sequence")]
    [InlineData(@"'\u12'", "four hexadecimal digits")]
    [InlineData(@"'\u'", "four hexadecimal digits")]
    [InlineData(@"'\u12G4'", "four hexadecimal digits")]
    [InlineData(@"'\u+123'", "four hexadecimal digits")]
    [InlineData(@"'\u 123'", "four hexadecimal digits")]
    public void Invalid_escapes_are_refused(string literal, string problem)
    {
        var e = Fails($"SELECT Id FROM A WHERE N = {literal}");

        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Equal(28, e.Position);
        Fails($"SELECT Id FROM A WHERE N LIKE {literal}");
    }

    [Theory]
    [InlineData("'abc")]
    [InlineData("'")]
    [InlineData(@"'abc\'")]
    [InlineData(@"'abc\")]
    [InlineData(@"'abc\\\'")]
    public void Unterminated_strings_are_refused(string literal)
    {
        var e = Fails($"SELECT Id FROM A WHERE N = {literal}");

        Assert.Contains("never closed", e.Problem, StringComparison.Ordinal);
        Assert.Equal(27, e.Position);
        Assert.Equal("'", e.Token);
        Assert.Equal("a closing '", e.Expected);
    }

    [Fact]
    public void Double_quoted_strings_are_refused()
    {
        var e = Fails("SELECT Id FROM A WHERE N = \"x\"");

        Assert.Contains("single quotes", e.Problem, StringComparison.Ordinal);
        Assert.Equal("\"", e.Token);
    }

    [Fact]
    public void A_bare_word_is_not_a_string()
    {
        var e = Fails("SELECT Id FROM A WHERE N = Acme");

        Assert.Equal("Acme", e.Token);
        Assert.Contains("single quotes", e.Problem, StringComparison.Ordinal);
    }

    // ---- Numbers ---------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("42", "42", "42")]
    [InlineData("0", "0", "0")]
    [InlineData("15.0", "15.0", "15.0")]
    [InlineData("5.10", "5.10", "5.10")]
    [InlineData("-3.5", "-3.5", "-3.5")]
    [InlineData("-0", "0", "0")]
    [InlineData("0.001", "0.001", "0.001")]
    [InlineData("1.5e3", "1500", "1500")]
    [InlineData("1E+2", "100", "100")]
    [InlineData("2.5e-2", "0.025", "0.025")]
    [InlineData("-1.5E3", "-1500", "-1500")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335", "79228162514264337593543950335")]
    public void Numbers(string literal, string value, string printed)
    {
        var number = Assert.IsType<SoqlNumber>(Value(literal));

        Assert.Equal(decimal.Parse(value, CultureInfo.InvariantCulture), number.Value);
        Assert.Equal(printed, number.Value.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(printed, number.ToString());
    }

    [Fact]
    public void A_number_keeps_its_scale_when_printed()
    {
        var query = ParseRoundTrip("SELECT Id FROM Opportunity WHERE Amount IN (15.0, 15, 15.00)");

        Assert.Equal("SELECT Id FROM Opportunity WHERE Amount IN (15.0, 15, 15.00)", query.ToString());
    }

    [Theory]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("100abc")]
    [InlineData("1.5.2")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("--1")]
    [InlineData("+1")]
    [InlineData("1e400")]
    [InlineData("99999999999999999999999999999999")]
    [InlineData("0x1F")]
    [InlineData("1_000")]
    public void Malformed_numbers_are_refused(string literal)
    {
        Fails($"SELECT Id FROM A WHERE N = {literal}");
    }

    // ---- Dates, dateTimes and times --------------------------------------------------------------------------------

    [Theory]
    [InlineData("2024-01-31", 2024, 1, 31)]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData("1700-01-01", 1700, 1, 1)]
    [InlineData("4000-12-31", 4000, 12, 31)]
    public void Dates(string literal, int year, int month, int day)
    {
        var date = Assert.IsType<SoqlDate>(Value(literal));

        Assert.Equal(new DateOnly(year, month, day), date.Value);
        Assert.Equal(literal, date.ToString());
    }

    [Theory]
    [InlineData("2023-02-29")]
    [InlineData("2024-02-30")]
    [InlineData("2024-04-31")]
    [InlineData("2024-13-01")]
    [InlineData("2024-00-10")]
    [InlineData("2024-01-00")]
    [InlineData("0000-01-01")]
    public void Invalid_dates_are_refused(string literal)
    {
        var e = Fails($"SELECT Id FROM A WHERE D = {literal}");

        Assert.Equal(literal, e.Token);
        Assert.Equal("yyyy-MM-dd", e.Expected);
    }

    [Theory]
    [InlineData("2024-1-01")]
    [InlineData("24-01-01")]
    [InlineData("2024-01-01x")]
    [InlineData("'2024-01-01'x")]
    public void Malformed_dates_are_refused(string literal)
    {
        Fails($"SELECT Id FROM A WHERE D = {literal}");
    }

    [Theory]
    [InlineData("2024-01-01T23:01:01Z", 23, 1, 1, 0, 0)]
    [InlineData("2024-01-01T23:01:01+01:00", 23, 1, 1, 0, 60)]
    [InlineData("2024-01-01T23:01:01-08:00", 23, 1, 1, 0, -480)]
    [InlineData("2024-01-01T23:01:01+0530", 23, 1, 1, 0, 330)]
    [InlineData("2024-01-01T23:01:01-0930", 23, 1, 1, 0, -570)]
    [InlineData("2024-01-01T00:00:00+14:00", 0, 0, 0, 0, 840)]
    [InlineData("2010-09-20T22:16:30.000Z", 22, 16, 30, 0, 0)]
    [InlineData("2010-09-20T22:16:30.5Z", 22, 16, 30, 500, 0)]
    [InlineData("2010-09-20T22:16:30.123+02:00", 22, 16, 30, 123, 120)]
    public void DateTimes(string literal, int hour, int minute, int second, int millisecond, int offsetMinutes)
    {
        var dateTime = Assert.IsType<SoqlDateTime>(Value(literal));

        Assert.Equal(new TimeOnly(hour, minute, second, millisecond), TimeOnly.FromTimeSpan(dateTime.Value.TimeOfDay));
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), dateTime.Value.Offset);
        Assert.Equal(literal, dateTime.Text);
        Assert.Equal(literal, dateTime.ToString());
    }

    [Fact]
    public void Fractional_seconds_beyond_ticks_are_cut_not_refused()
    {
        var dateTime = Assert.IsType<SoqlDateTime>(Value("2010-09-20T22:16:30.123456789Z"));

        Assert.Equal(new DateTimeOffset(2010, 9, 20, 22, 16, 30, TimeSpan.Zero).AddTicks(1234567), dateTime.Value);
    }

    [Theory]
    [InlineData("2024-01-01T23:01:01", "time zone")]
    [InlineData("2024-01-01T23:01:01.000", "time zone")]
    [InlineData("2024-01-01T23:01Z", "not a valid dateTime")]
    [InlineData("2024-01-01T23Z", "not a valid dateTime")]
    [InlineData("2024-01-01T24:00:00Z", "out of range")]
    [InlineData("2024-01-01T23:60:00Z", "out of range")]
    [InlineData("2024-01-01T23:00:60Z", "out of range")]
    [InlineData("2024-01-01T23:00:00+15:00", "out of range")]
    [InlineData("2024-01-01T23:00:00+01:60", "out of range")]
    [InlineData("2024-01-01T23:00:00+01", "offset")]
    [InlineData("2024-02-30T00:00:00Z", "not a valid date")]
    [InlineData("2024-01-01T23:00:00ZZ", "not a valid number")]
    public void Invalid_dateTimes_are_refused(string literal, string problem)
    {
        var e = Fails($"SELECT Id FROM A WHERE D = {literal}");

        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Equal(27, e.Position);
    }

    [Theory]
    [InlineData("01:00:00.000Z", 1, 0, 0, 0)]
    [InlineData("23:59:59Z", 23, 59, 59, 0)]
    [InlineData("12:30:15.250Z", 12, 30, 15, 250)]
    public void Times(string literal, int hour, int minute, int second, int millisecond)
    {
        var time = Assert.IsType<SoqlTime>(Value(literal));

        Assert.Equal(new TimeOnly(hour, minute, second, millisecond), time.Value);
        Assert.Equal(literal, time.ToString());
    }

    [Theory]
    [InlineData("01:00:00")]
    [InlineData("01:00:00.000")]
    [InlineData("24:00:00Z")]
    [InlineData("01:60:00Z")]
    [InlineData("01:00Z")]
    [InlineData("1:00:00Z")]
    public void Invalid_times_are_refused(string literal)
    {
        Fails($"SELECT Id FROM A WHERE T = {literal}");
    }

    // ---- Currency, booleans, null ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("USD5000", "USD", "5000")]
    [InlineData("EUR5.10", "EUR", "5.10")]
    [InlineData("usd20", "usd", "20")]
    [InlineData("JPY0", "JPY", "0")]
    public void Currency_amounts(string literal, string isoCode, string amount)
    {
        var currency = Assert.IsType<SoqlCurrency>(Value(literal));

        Assert.Equal(new SoqlCurrency(isoCode, decimal.Parse(amount, CultureInfo.InvariantCulture)), currency);
        Assert.Equal(literal, currency.ToString());
    }

    [Fact]
    public void Currency_amounts_in_a_list()
    {
        var condition = Where("Amount IN (USD5000, EUR5.10)");

        Assert.Equal(new SoqlSetComparison(F("Amount"), SoqlSetOperator.In, [new SoqlCurrency("USD", 5000), new SoqlCurrency("EUR", 5.10m)]), condition);
    }

    [Theory]
    [InlineData("US5000")]
    [InlineData("USDX5000")]
    [InlineData("USD5000.")]
    [InlineData("USD5.1.2")]
    [InlineData("USD")]
    [InlineData("USD99999999999999999999999999999999")]
    public void Malformed_currency_amounts_are_refused(string literal)
    {
        Fails($"SELECT Id FROM A WHERE Amount = {literal}");
    }

    [Theory]
    [InlineData("TRUE", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("tRuE", true)]
    [InlineData("FALSE", false)]
    [InlineData("false", false)]
    [InlineData("fAlSe", false)]
    public void Booleans_in_any_case(string literal, bool value)
    {
        var boolean = Assert.IsType<SoqlBoolean>(Value(literal));

        Assert.Equal(value, boolean.Value);
        Assert.Equal(value ? "TRUE" : "FALSE", boolean.ToString());
    }

    [Theory]
    [InlineData("NULL")]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("nUlL")]
    public void Null_in_any_case(string literal)
    {
        Assert.Same(SoqlNull.Value, Value(literal));
        Assert.Equal("Field__c = NULL", Where($"Field__c = {literal}").ToString());
    }

    [Fact]
    public void Quoted_true_and_null_are_strings()
    {
        Assert.Equal(Str("true"), Value("'true'"));
        Assert.Equal(Str("null"), Value("'null'"));
    }

    // ---- Date literals ---------------------------------------------------------------------------------------------

    [Fact]
    public void There_are_44_date_literals()
    {
        Assert.Equal(44, Enum.GetValues<SoqlDateLiteralKind>().Length);
        Assert.Equal(44, SoqlDateLiterals.Count);
        Assert.Equal(21, Enum.GetValues<SoqlDateLiteralKind>().Count(SoqlDateLiterals.TakesCount));
    }

    [Theory]
    [MemberData(nameof(DateLiteralKinds))]
    public void Every_date_literal(SoqlDateLiteralKind kind)
    {
        var name = SoqlDateLiterals.Name(kind);
        if (SoqlDateLiterals.TakesCount(kind))
        {
            Assert.Equal(new SoqlRelativeDate(kind, 7), Value($"{name}:7"));
            Assert.Equal(new SoqlRelativeDate(kind, 0), Value($"{name.ToLowerInvariant()}:0"));
            Assert.Equal(new SoqlRelativeDate(kind, 2000), Value($"{name} : 2000"));
            Assert.Equal($"{name}:7", Value($"{name}:7").ToString());

            var missing = Fails($"SELECT Id FROM A WHERE D = {name}");
            Assert.Equal(":n", missing.Expected);
            Assert.Equal(name, missing.Token);
            Assert.Contains("needs a count", missing.Problem, StringComparison.Ordinal);
            foreach (var badCount in new[] { ":", ":-1", ":1.5", ":x", ":'3'", ":99999999999", ":TODAY" })
            {
                var e = Fails($"SELECT Id FROM A WHERE D = {name}{badCount}");
                Assert.Equal("a whole number", e.Expected);
            }
        }
        else
        {
            Assert.Equal(new SoqlRelativeDate(kind), Value(name));
            Assert.Equal(new SoqlRelativeDate(kind), Value(name.ToLowerInvariant()));
            Assert.Equal(name, Value(name.ToLowerInvariant()).ToString());
            Fails($"SELECT Id FROM A WHERE D = {name}:3");
        }
    }

    [Theory]
    [InlineData("LAST_N_CENTURIES:3")]
    [InlineData("LAST_91_DAYS")]
    [InlineData("TODAYS")]
    public void Unknown_date_literals_are_refused(string literal)
    {
        Fails($"SELECT Id FROM A WHERE D = {literal}");
    }

    [Fact]
    public void Date_literals_in_lists_and_ranges()
    {
        var condition = Where("CloseDate IN (TODAY, LAST_N_DAYS:30) OR CreatedDate > N_FISCAL_YEARS_AGO:2");

        Assert.Equal(
            new SoqlOr(
            [
                new SoqlSetComparison(F("CloseDate"), SoqlSetOperator.In, [new SoqlRelativeDate(SoqlDateLiteralKind.Today), new SoqlRelativeDate(SoqlDateLiteralKind.LastNDays, 30)]),
                Cmp("CreatedDate", SoqlComparisonOperator.GreaterThan, new SoqlRelativeDate(SoqlDateLiteralKind.NFiscalYearsAgo, 2)),
            ]),
            condition);
    }
}
