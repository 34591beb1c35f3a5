using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Limits;

/// <summary>One of the org's limits (<c>DailyApiRequests</c>, <c>DataStorageMB</c>, ...): its allocation and what is left.</summary>
[JsonConverter(typeof(OrganizationLimitConverter))]
public sealed class OrganizationLimit
{
    /// <summary>Creates a limit value (for tests and mocks).</summary>
    public OrganizationLimit(long max, long remaining, IReadOnlyDictionary<string, OrganizationLimit>? byApplication = null)
    {
        Max = max;
        Remaining = remaining;
        ByApplication = byApplication ?? new Dictionary<string, OrganizationLimit>();
    }

    /// <summary>The allocation.</summary>
    public long Max { get; }

    /// <summary>What is left of it.</summary>
    public long Remaining { get; }

    /// <summary>How much is used: <see cref="Max"/> − <see cref="Remaining"/>.</summary>
    public long Used => Max - Remaining;

    /// <summary>The same limit per connected app, where Salesforce reports it.</summary>
    public IReadOnlyDictionary<string, OrganizationLimit> ByApplication { get; }
}

/// <summary>
/// Reads <c>{"Max":15000,"Remaining":14980,"My App":{"Max":0,"Remaining":0}}</c> in any key order; every object-valued
/// key is a per-app figure.
/// </summary>
internal sealed class OrganizationLimitConverter : JsonConverter<OrganizationLimit>
{
    public override OrganizationLimit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a limit object but found {reader.TokenType}.");
        }

        long max = 0, remaining = 0;
        Dictionary<string, OrganizationLimit>? apps = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "Max" when reader.TokenType == JsonTokenType.Number:
                    max = reader.GetInt64();
                    break;
                case "Remaining" when reader.TokenType == JsonTokenType.Number:
                    remaining = reader.GetInt64();
                    break;
                default:
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        (apps ??= new Dictionary<string, OrganizationLimit>(StringComparer.Ordinal))[name] = Read(ref reader, typeToConvert, options);
                    }
                    else
                    {
                        reader.Skip();
                    }

                    break;
            }
        }

        return new OrganizationLimit(max, remaining, apps);
    }

    public override void Write(Utf8JsonWriter writer, OrganizationLimit value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("Max", value.Max);
        writer.WriteNumber("Remaining", value.Remaining);
        foreach (var (app, limit) in value.ByApplication)
        {
            writer.WritePropertyName(app);
            Write(writer, limit, options);
        }

        writer.WriteEndObject();
    }
}
