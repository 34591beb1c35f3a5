using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming;
using Atom.Salesforce.Client.Streaming.Consumer;

namespace Atom.Salesforce.Client.AspNetCore.Webhooks;

/// <summary>
/// The body of a webhook, the Standard Webhooks shape (<c>type</c>, <c>timestamp</c>, <c>data</c>):
/// <code>
/// {"type": "Account.UPDATE", "timestamp": "2026-06-30T12:00:00.000Z",
///  "data": {"org_id", "object", "change_type", "record_ids", "changed_fields", "diff_fields", "nulled_fields",
///           "commit_timestamp", "commit_user", "transaction_key", "sequence_number", "change_origin", "replay_id",
///           "fields": {"Id": "001...", "Industry": "Energy", ...}}}
/// </code>
/// Only the fields the endpoint's owner can read are in <c>fields</c> and the field lists; in an update only the changed
/// fields have values (a field set to null is in <c>nulled_fields</c> and in <c>fields</c> as null).
/// </summary>
internal static class WebhookPayload
{
    /// <summary>The event's <c>type</c>: the object and Salesforce's change type, <c>Account.UPDATE</c>.</summary>
    public static string TypeOf(ChangeEventHeader header) => $"{header.EntityName}.{header.ChangeTypeName}";

    /// <summary>
    /// What identifies the event whichever channel it was read from, so that the outbox holds it once per endpoint:
    /// its transaction key and sequence number (one event per transaction and entity), else its replay id.
    /// </summary>
    public static string EventKey(ChangeEventHeader header, ChangeEventContext context) =>
        header.TransactionKey.Length > 0
            ? string.Create(CultureInfo.InvariantCulture, $"tx:{header.TransactionKey}:{header.SequenceNumber}:{header.EntityName}")
            : "replay:" + context.Subscription.Topic + ":" + context.ReplayId.ToBase64();

    /// <summary>The body of <paramref name="change"/> for one endpoint.</summary>
    /// <param name="change">The event.</param>
    /// <param name="context">Where it was read: org, topic, replay id.</param>
    /// <param name="readable">Whether the owner may read a field (its top-level name: <c>BillingAddress</c> for <c>BillingAddress.City</c>).</param>
    public static string Build(ChangeEvent<SObject> change, ChangeEventContext context, Func<string, bool> readable)
    {
        var header = change.Header;
        bool Keep(string path) => readable(path.Split('.')[0]);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", TypeOf(header));
            writer.WriteString("timestamp", header.CommitTimestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteStartObject("data");
            writer.WriteString("org_id", context.Subscription.Org);
            writer.WriteString("object", header.EntityName);
            writer.WriteString("change_type", header.ChangeTypeName);
            WriteStrings(writer, "record_ids", header.RecordIds);
            WriteStrings(writer, "changed_fields", header.ChangedFields.Where(Keep));
            WriteStrings(writer, "diff_fields", header.DiffFields.Where(Keep));
            WriteStrings(writer, "nulled_fields", header.NulledFields.Where(Keep));
            writer.WriteString("commit_timestamp", header.CommitTimestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("commit_user", header.CommitUser);
            writer.WriteString("transaction_key", header.TransactionKey);
            writer.WriteNumber("sequence_number", header.SequenceNumber);
            if (header.ChangeOrigin is { } origin)
            {
                writer.WriteString("change_origin", origin);
            }
            else
            {
                writer.WriteNull("change_origin");
            }

            writer.WriteString("replay_id", context.ReplayId.ToBase64());
            writer.WritePropertyName("fields");
            var nulled = new HashSet<string>(header.NulledFields.Where(f => !f.Contains('.', StringComparison.Ordinal)), StringComparer.OrdinalIgnoreCase);
            WriteRecord(writer, change.Record, readable, nulled);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>The record's readable fields that have a value, and its readable nulled fields as null.</summary>
    private static void WriteRecord(Utf8JsonWriter writer, SObject record, Func<string, bool> readable, HashSet<string> nulled)
    {
        writer.WriteStartObject();
        if (record.Id is { } id)
        {
            writer.WriteString("Id", id);
        }

        foreach (var name in record.FieldNames)
        {
            var value = record[name];
            if (!readable(name) || (value is null && !nulled.Contains(name)))
            {
                continue;
            }

            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case long whole:
                writer.WriteNumberValue(whole);
                break;
            case int small:
                writer.WriteNumberValue(small);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case double real:
                writer.WriteNumberValue(real);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case SObject nested:
                writer.WriteStartObject();
                foreach (var name in nested.FieldNames)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, nested[name]);
                }

                writer.WriteEndObject();
                break;
            case IFormattable formattable:
                writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
