using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Composite;

/// <summary>
/// Writes records the way the composite family wants them: an <c>attributes</c> object with the type (and, for tree, the
/// referenceId), the <c>id</c> where an update needs it, then the fields the SDK's write options send. The record's own JSON
/// is serialized once with the shared write metadata and spliced after the attributes, so no per-record reflection happens.
/// </summary>
internal static class RecordJson
{
    /// <summary>Writes one record as a JSON value into <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, SalesforceSerializer serializer, object record, string type, string? id, string? referenceId = null)
    {
        var scratch = new ArrayBufferWriter<byte>(256);
        Append(scratch, serializer, record, type, id, referenceId, null);
        writer.WriteRawValue(scratch.WrittenSpan, skipInputValidation: true);
    }

    /// <summary>
    /// Appends one record object to <paramref name="output"/>: attributes, id, its fields, then whatever
    /// <paramref name="extraMembers"/> appends (each member preceded by a comma).
    /// </summary>
    public static void Append(
        ArrayBufferWriter<byte> output, SalesforceSerializer serializer, object record, string type, string? id, string? referenceId,
        Action<ArrayBufferWriter<byte>>? extraMembers)
    {
        var fields = JsonSerializer.SerializeToUtf8Bytes(record, serializer.WriteOptions.GetTypeInfo(record.GetType()));
        Append(output, "{\"attributes\":{\"type\":\""u8);
        Append(output, type);
        if (referenceId is not null)
        {
            Append(output, "\",\"referenceId\":\""u8);
            Append(output, referenceId);
        }

        Append(output, "\"}"u8);
        if (id is not null)
        {
            Append(output, ",\"id\":\""u8);
            Append(output, id);
            Append(output, "\""u8);
        }

        // fields is "{...}": splice its members after the attributes.
        if (fields.Length > 2)
        {
            Append(output, ","u8);
            Append(output, fields.AsSpan(1, fields.Length - 2));
        }

        extraMembers?.Invoke(output);
        Append(output, "}"u8);
    }

    /// <summary>The record's id: <see cref="SObject.Id"/>, or a POCO's <c>Id</c> property (any case).</summary>
    public static string? IdOf(SalesforceSerializer serializer, object record)
    {
        if (record is SObject sObject)
        {
            return sObject.Id;
        }

        var info = serializer.ReadOptions.GetTypeInfo(record.GetType());
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return null;
        }

        foreach (var property in info.Properties)
        {
            if (property.Get is not null && string.Equals(property.Name, "Id", StringComparison.OrdinalIgnoreCase))
            {
                return property.Get(record) as string;
            }
        }

        return null;
    }

    public static void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    // Names, ids and referenceIds are validated ASCII before they get here; nothing needs escaping.
    public static void Append(ArrayBufferWriter<byte> buffer, string ascii)
    {
        var span = buffer.GetSpan(ascii.Length);
        var written = Encoding.ASCII.GetBytes(ascii, span);
        buffer.Advance(written);
    }
}
