using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Json;

namespace Atom.Salesforce.Client.Tests.Json;

public sealed class SalesforceDateTimeTests
{
    private static JsonSerializerOptions ReadOptions => SalesforceJsonContext.Serializer.ReadOptions;

    private static JsonSerializerOptions WriteOptions => SalesforceJsonContext.Serializer.WriteOptions;

    public sealed class WithDateTimeOffset
    {
        public DateTimeOffset When { get; set; }
    }

    public sealed class WithNullableDateTimeOffset
    {
        public DateTimeOffset? When { get; set; }
    }

    public sealed class WithDateTime
    {
        public DateTime When { get; set; }
    }

    public sealed class WithDateOnly
    {
        public DateOnly Day { get; set; }
    }

    public sealed class WithTimeOnly
    {
        public TimeOnly At { get; set; }
    }

    // ---- parsing -------------------------------------------------------------------------------

    public static TheoryData<string, DateTimeOffset> ValidDateTimes => new()
    {
        { "2013-05-20T20:49:32.000+0000", new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero) },
        { "2013-05-20T20:49:32.000Z", new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero) },
        { "2013-05-20T20:49:32.000z", new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero) },
        { "2013-05-20T20:49:32.000+00:00", new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero) },
        { "2013-05-20T20:49:32.000+05:30", new DateTimeOffset(2013, 5, 20, 15, 19, 32, TimeSpan.Zero) },
        { "2013-05-20T20:49:32+0530", new DateTimeOffset(2013, 5, 20, 15, 19, 32, TimeSpan.Zero) },
        { "2013-05-20T20:49:32.000-08:00", new DateTimeOffset(2013, 5, 21, 4, 49, 32, TimeSpan.Zero) },
        { "2013-05-20T20:49:32-0800", new DateTimeOffset(2013, 5, 21, 4, 49, 32, TimeSpan.Zero) },
        { "2013-05-20T20:49:32Z", new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero) },
        { "2013-05-20T20:49:32.5Z", new DateTimeOffset(2013, 5, 20, 20, 49, 32, 500, TimeSpan.Zero) },
        { "2013-05-20T20:49:32.123+0000", new DateTimeOffset(2013, 5, 20, 20, 49, 32, 123, TimeSpan.Zero) },
        { "2013-05-20T20:49:32.1234567Z", new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero).AddTicks(1_234_567) },
        { "2024-02-29T23:59:59.999+0000", new DateTimeOffset(2024, 2, 29, 23, 59, 59, 999, TimeSpan.Zero) },
        { "0001-01-01T00:00:00.000+0000", DateTimeOffset.MinValue },
    };

    [Theory]
    [MemberData(nameof(ValidDateTimes))]
    public void TryParseDateTime_reads_every_Salesforce_form(string text, DateTimeOffset expected)
    {
        Assert.True(SalesforceDateTime.TryParseDateTime(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(expected.UtcTicks, value.UtcTicks);
    }

    [Theory]
    [InlineData("2013-05-20T20:49:32.000+05:30", 330)]
    [InlineData("2013-05-20T20:49:32.000-08:00", -480)]
    [InlineData("2013-05-20T20:49:32.000+0000", 0)]
    public void TryParseDateTime_keeps_the_offset(string text, int offsetMinutes)
    {
        Assert.True(SalesforceDateTime.TryParseDateTime(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), value.Offset);
        Assert.Equal(20, value.Hour);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("not a date at all, really")]
    [InlineData("2025-02-30T10:00:00.000+0000")]
    [InlineData("2025-13-01T10:00:00.000+0000")]
    [InlineData("2025-00-10T10:00:00.000+0000")]
    [InlineData("2025-01-00T10:00:00.000+0000")]
    [InlineData("2023-02-29T10:00:00.000+0000")]
    [InlineData("2025-01-31T24:00:00.000+0000")]
    [InlineData("2025-01-31T10:60:00.000+0000")]
    [InlineData("2025-01-31T10:00:60.000+0000")]
    [InlineData("2025-01-31T10:00:00.000")]
    [InlineData("2025-01-31T10:00:00")]
    [InlineData("2025-01-31")]
    [InlineData("2025-01-31 10:00:00.000+0000")]
    [InlineData("2025-01-31T10:00:00.+0000")]
    [InlineData("2025-01-31T10:00:00.000+000")]
    [InlineData("2025-01-31T10:00:00.000+00000")]
    [InlineData("2025-01-31T10:00:00.000+00-00")]
    [InlineData("2025-01-31T10:00:00.000+1500")]
    [InlineData("2025-01-31T10:00:00.000+0060")]
    [InlineData("2025-01-31T10:00:00.000 +0000")]
    [InlineData("2025-01-31T10:00:00.000ZZ")]
    [InlineData("2025-1-31T10:00:00.000+0000")]
    [InlineData("2025/01/31T10:00:00.000+0000")]
    [InlineData("20x5-01-31T10:00:00.000+0000")]
    [InlineData("2025-01-31T1a:00:00.000+0000")]
    [InlineData("0000-01-31T10:00:00.000+0000")]
    [InlineData("+025-01-31T10:00:00.000+0000")]
    [InlineData(" 2025-01-31T10:00:00.000+0000")]
    [InlineData("Fri Aug 01 21:15:46 GMT 2014")]
    public void TryParseDateTime_rejects_anything_else(string text)
    {
        Assert.False(SalesforceDateTime.TryParseDateTime(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(default, value);
    }

    [Fact]
    public void TryParseDateTime_rejects_an_instant_out_of_range() =>
        Assert.False(SalesforceDateTime.TryParseDateTime("0001-01-01T00:00:00.000+0100"u8, out _));

    [Theory]
    [InlineData("2025-01-31", 2025, 1, 31)]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData("9999-12-31", 9999, 12, 31)]
    [InlineData("0001-01-01", 1, 1, 1)]
    public void TryParseDate_reads_yyyy_MM_dd(string text, int year, int month, int day)
    {
        Assert.True(SalesforceDateTime.TryParseDate(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(new DateOnly(year, month, day), value);
    }

    [Theory]
    [InlineData("2025-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("2025-04-31")]
    [InlineData("2025-13-01")]
    [InlineData("2025-1-31")]
    [InlineData("2025-01-31Z")]
    [InlineData("2025-01-31T00:00:00Z")]
    [InlineData("31/01/2025")]
    [InlineData("")]
    [InlineData("0000-01-01")]
    [InlineData("+025-01-31")]
    [InlineData("-025-01-31")]
    [InlineData(" 025-01-31")]
    public void TryParseDate_rejects_anything_else(string text) =>
        Assert.False(SalesforceDateTime.TryParseDate(Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData("10:00:00.000Z", 10, 0, 0, 0)]
    [InlineData("23:59:59.999Z", 23, 59, 59, 999)]
    [InlineData("10:00:00Z", 10, 0, 0, 0)]
    [InlineData("10:00:00", 10, 0, 0, 0)]
    [InlineData("08:30:15.250", 8, 30, 15, 250)]
    public void TryParseTime_reads_HH_mm_ss_fff_Z(string text, int h, int m, int s, int ms)
    {
        Assert.True(SalesforceDateTime.TryParseTime(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(new TimeOnly(h, m, s, ms), value);
    }

    [Theory]
    [InlineData("24:00:00.000Z")]
    [InlineData("10:60:00.000Z")]
    [InlineData("10:00:00.Z")]
    [InlineData("10:00:00.0a0Z")]
    [InlineData("10:00Z")]
    [InlineData("10-00-00.000Z")]
    [InlineData("garbage")]
    [InlineData("")]
    public void TryParseTime_rejects_anything_else(string text) =>
        Assert.False(SalesforceDateTime.TryParseTime(Encoding.UTF8.GetBytes(text), out _));

    // ---- formatting ----------------------------------------------------------------------------

    [Fact]
    public void Format_writes_UTC_with_milliseconds_and_no_colon_in_the_offset()
    {
        var value = new DateTimeOffset(2025, 1, 31, 12, 0, 0, 7, TimeSpan.FromHours(2));
        Span<byte> buffer = stackalloc byte[28];

        var written = SalesforceDateTime.Format(value, buffer);

        Assert.Equal(28, written);
        Assert.Equal("2025-01-31T10:00:00.007+0000", Encoding.UTF8.GetString(buffer[..written]));
        Assert.Equal("2025-01-31T10:00:00.007+0000", SalesforceDateTime.Format(value));
    }

    // ---- converters: DateTimeOffset ------------------------------------------------------------

    [Theory]
    [InlineData("2013-05-20T20:49:32.000+0000")]
    [InlineData("2013-05-20T20:49:32.000Z")]
    [InlineData("2013-05-20T22:49:32.000+02:00")]
    [InlineData("2013-05-20T12:49:32-0800")]
    [InlineData("2013-05-20T20:49:32Z")]
    public void The_converter_reads_every_form_to_the_same_instant(string text)
    {
        var poco = JsonSerializer.Deserialize<WithDateTimeOffset>($$"""{"When":"{{text}}"}""", ReadOptions)!;

        Assert.Equal(new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero), poco.When);
    }

    [Fact]
    public void The_converter_reads_an_escaped_string()
    {
        var poco = JsonSerializer.Deserialize<WithDateTimeOffset>("""{"When":"2013-05-20T20:49:32.000\u002B0000"}""", ReadOptions)!;

        Assert.Equal(new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero), poco.When);
    }

    [Fact]
    public void A_datetime_read_and_written_again_is_the_same_text()
    {
        const string json = """{"When":"2025-01-31T10:00:00.000+0000"}""";

        var poco = JsonSerializer.Deserialize<WithDateTimeOffset>(json, ReadOptions)!;

        Assert.Equal(json, JsonSerializer.Serialize(poco, WriteOptions));
    }

    [Fact]
    public void A_datetime_with_an_offset_is_written_as_UTC()
    {
        var poco = new WithDateTimeOffset { When = new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.FromHours(2)) };

        Assert.Equal("""{"When":"2025-01-31T10:00:00.000+0000"}""", JsonSerializer.Serialize(poco, WriteOptions));
    }

    [Fact]
    public void Milliseconds_are_written_and_finer_ticks_dropped()
    {
        var poco = new WithDateTimeOffset { When = new DateTimeOffset(2025, 1, 31, 10, 0, 0, 123, TimeSpan.Zero).AddTicks(4567) };

        Assert.Equal("""{"When":"2025-01-31T10:00:00.123+0000"}""", JsonSerializer.Serialize(poco, WriteOptions));
    }

    [Fact]
    public void A_nullable_datetime_reads_null_and_is_omitted_when_written_null()
    {
        var poco = JsonSerializer.Deserialize<WithNullableDateTimeOffset>("""{"When":null}""", ReadOptions)!;

        Assert.Null(poco.When);
        Assert.Equal("{}", JsonSerializer.Serialize(poco, WriteOptions));
    }

    [Theory]
    [InlineData("""{"When":"garbage"}""")]
    [InlineData("""{"When":"2025-02-30T10:00:00.000+0000"}""")]
    [InlineData("""{"When":"2025-01-31T24:00:00.000+0000"}""")]
    [InlineData("""{"When":"2025-01-31T10:00:00.000"}""")]
    [InlineData("""{"When":12345}""")]
    [InlineData("""{"When":true}""")]
    public void The_converter_rejects_what_is_not_a_Salesforce_datetime(string json)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<WithDateTimeOffset>(json, ReadOptions));
        Assert.Contains("Salesforce datetime", e.Message, StringComparison.Ordinal);
    }

    // ---- converters: DateTime ------------------------------------------------------------------

    [Fact]
    public void A_DateTime_is_read_as_UTC()
    {
        var poco = JsonSerializer.Deserialize<WithDateTime>("""{"When":"2025-01-31T12:00:00.000+02:00"}""", ReadOptions)!;

        Assert.Equal(DateTimeKind.Utc, poco.When.Kind);
        Assert.Equal(new DateTime(2025, 1, 31, 10, 0, 0, DateTimeKind.Utc), poco.When);
    }

    [Fact]
    public void A_UTC_DateTime_is_written_in_Salesforce_form()
    {
        var poco = new WithDateTime { When = new DateTime(2025, 1, 31, 10, 0, 0, 250, DateTimeKind.Utc) };

        Assert.Equal("""{"When":"2025-01-31T10:00:00.250+0000"}""", JsonSerializer.Serialize(poco, WriteOptions));
    }

    [Fact]
    public void A_local_DateTime_is_written_as_the_instant_it_denotes()
    {
        var local = new DateTime(2025, 6, 15, 14, 30, 0, DateTimeKind.Local);
        var expected = local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'.000+0000'", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal($$"""{"When":"{{expected}}"}""", JsonSerializer.Serialize(new WithDateTime { When = local }, WriteOptions));
    }

    [Fact]
    public void An_unspecified_DateTime_refuses_to_serialize()
    {
        var poco = new WithDateTime { When = new DateTime(2025, 1, 31, 10, 0, 0, DateTimeKind.Unspecified) };

        var e = Assert.Throws<JsonException>(() => JsonSerializer.Serialize(poco, WriteOptions));
        Assert.Contains("Unspecified", e.Message, StringComparison.Ordinal);
    }

    // ---- converters: DateOnly, TimeOnly --------------------------------------------------------

    [Fact]
    public void A_date_round_trips_exactly()
    {
        const string json = """{"Day":"2025-01-31"}""";

        var poco = JsonSerializer.Deserialize<WithDateOnly>(json, ReadOptions)!;

        Assert.Equal(new DateOnly(2025, 1, 31), poco.Day);
        Assert.Equal(json, JsonSerializer.Serialize(poco, WriteOptions));
    }

    [Fact]
    public void Date_and_time_fields_read_escaped_strings()
    {
        var date = JsonSerializer.Deserialize<WithDateOnly>("""{"Day":"2025\u002D01-31"}""", ReadOptions)!;
        var time = JsonSerializer.Deserialize<WithTimeOnly>("""{"At":"10\u003A00:00.000Z"}""", ReadOptions)!;

        Assert.Equal(new DateOnly(2025, 1, 31), date.Day);
        Assert.Equal(new TimeOnly(10, 0), time.At);
    }

    [Theory]
    [InlineData("""{"Day":"2025-02-30"}""")]
    [InlineData("""{"Day":"2025-01-31T00:00:00.000+0000"}""")]
    [InlineData("""{"Day":"31.01.2025"}""")]
    [InlineData("""{"Day":20250131}""")]
    public void A_date_field_accepts_only_yyyy_MM_dd(string json)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<WithDateOnly>(json, ReadOptions));
        Assert.Contains("Salesforce date", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_round_trips_exactly()
    {
        const string json = """{"At":"10:00:00.000Z"}""";

        var poco = JsonSerializer.Deserialize<WithTimeOnly>(json, ReadOptions)!;

        Assert.Equal(new TimeOnly(10, 0), poco.At);
        Assert.Equal(json, JsonSerializer.Serialize(poco, WriteOptions));
    }

    [Fact]
    public void A_time_is_written_with_milliseconds_and_Z()
    {
        var poco = new WithTimeOnly { At = new TimeOnly(8, 5, 3, 42) };

        Assert.Equal("""{"At":"08:05:03.042Z"}""", JsonSerializer.Serialize(poco, WriteOptions));
    }

    [Theory]
    [InlineData("""{"At":"25:00:00.000Z"}""")]
    [InlineData("""{"At":"noon"}""")]
    public void A_time_field_rejects_garbage(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<WithTimeOnly>(json, ReadOptions));
}
