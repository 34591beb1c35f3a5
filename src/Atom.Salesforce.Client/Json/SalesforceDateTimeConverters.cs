using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Json;

/// <summary>Reads every Salesforce datetime form; writes <c>2025-01-31T10:00:00.000+0000</c>.</summary>
internal sealed class SalesforceDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && SalesforceDateTime.TryParseDateTime(reader.ValueSpan, out var value))
        {
            return value;
        }

        if (reader.TokenType == JsonTokenType.String
            && SalesforceDateTime.TryParseDateTime(Encoding.UTF8.GetBytes(reader.GetString()!), out value))
        {
            return value;
        }

        throw new JsonException($"Expected a Salesforce datetime such as 2025-01-31T10:00:00.000+0000 but found {Describe(ref reader)}.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[28];
        writer.WriteStringValue(buffer[..SalesforceDateTime.Format(value, buffer)]);
    }

    internal static string Describe(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? $"\"{reader.GetString()}\"" : reader.TokenType.ToString();
}

/// <summary>
/// <see cref="DateTime"/> in Salesforce form. Reads as UTC; writes UTC and local times as the instant they denote and refuses
/// <see cref="DateTimeKind.Unspecified"/>, because the instant it means cannot be known.
/// </summary>
internal sealed class SalesforceDateTimeConverter : JsonConverter<DateTime>
{
    private static readonly SalesforceDateTimeOffsetConverter Inner = new();

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Inner.Read(ref reader, typeof(DateTimeOffset), options).UtcDateTime;

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        if (value.Kind == DateTimeKind.Unspecified)
        {
            throw new JsonException(
                "A DateTime with DateTimeKind.Unspecified cannot be sent to Salesforce: its instant is unknown. Use DateTimeOffset or a UTC DateTime.");
        }

        Inner.Write(writer, new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero), options);
    }
}

/// <summary>Salesforce date fields: <c>yyyy-MM-dd</c>, nothing else.</summary>
internal sealed class SalesforceDateOnlyConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && SalesforceDateTime.TryParseDate(reader.ValueSpan, out var value))
        {
            return value;
        }

        if (reader.TokenType == JsonTokenType.String
            && SalesforceDateTime.TryParseDate(Encoding.UTF8.GetBytes(reader.GetString()!), out value))
        {
            return value;
        }

        throw new JsonException($"Expected a Salesforce date such as 2025-01-31 but found {SalesforceDateTimeOffsetConverter.Describe(ref reader)}.");
    }

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(SalesforceDateTime.DateFormat, System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Salesforce time fields: <c>HH:mm:ss.fffZ</c>.</summary>
internal sealed class SalesforceTimeOnlyConverter : JsonConverter<TimeOnly>
{
    public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && SalesforceDateTime.TryParseTime(reader.ValueSpan, out var value))
        {
            return value;
        }

        if (reader.TokenType == JsonTokenType.String
            && SalesforceDateTime.TryParseTime(Encoding.UTF8.GetBytes(reader.GetString()!), out value))
        {
            return value;
        }

        throw new JsonException($"Expected a Salesforce time such as 10:00:00.000Z but found {SalesforceDateTimeOffsetConverter.Describe(ref reader)}.");
    }

    public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(SalesforceDateTime.TimeFormat, System.Globalization.CultureInfo.InvariantCulture));
}
