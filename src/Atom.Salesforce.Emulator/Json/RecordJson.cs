using System.Text.Json;
using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Json;

/// <summary>Records as the REST API returns them: <c>attributes</c> first, then the fields.</summary>
internal static class RecordJson
{
    public static void WriteAttributes(Utf8JsonWriter writer, string type, string? url)
    {
        writer.WriteStartObject("attributes");
        writer.WriteString("type", type);
        if (url is not null)
        {
            writer.WriteString("url", url);
        }

        writer.WriteEndObject();
    }

    public static string Url(string versionPath, StoredRecord record) => $"{versionPath}/sobjects/{record.Schema.Name}/{record.Id}";

    /// <summary>The record with the given fields, or all its fields in describe order.</summary>
    public static void Write(Utf8JsonWriter writer, string versionPath, StoredRecord record, IReadOnlyList<string>? fields = null)
    {
        writer.WriteStartObject();
        WriteAttributes(writer, record.Schema.Name, Url(versionPath, record));
        foreach (var field in fields is null ? record.Schema.Fields : fields.Select(f => record.Schema.Field(f)!))
        {
            writer.WritePropertyName(field.Name);
            FieldValues.Write(writer, field, record[field.Name]);
        }

        writer.WriteEndObject();
    }
}
