using System.Globalization;
using System.Numerics;
using System.Text;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>
/// Change Data Capture: turns each committed unit of work of the org into the change events Salesforce publishes
/// (Change Data Capture Developer Guide, "Change Event Message Structure", "ChangeEventHeader Fields", "Change Event Body
/// Fields"). Per transaction, each record gives one event for its net change (created, updated, deleted or undeleted);
/// records of one object with the same change and the same values share one event whose recordIds lists them all. Every
/// event of the transaction carries the same transactionKey, commitNumber and commitTimestamp, and a sequenceNumber
/// from 1. A create or undelete carries every non-empty field; an update only the fields it changed (changedFields lists
/// them, including LastModifiedDate; nulledFields those it emptied); a delete only its header.
/// <para>
/// When Salesforce cannot deliver a change as such ("Gap Events", "Overflow Events"): an event larger than the 1 MB
/// message limit is sent as a gap event (<c>GAP_CREATE</c>, <c>GAP_UPDATE</c>, ...: its header with the record ids, no
/// fields); the changes of a transaction beyond the overflow threshold (100,000: a create, delete or undelete counts one,
/// an update one per changed field) are sent as one overflow event per object (<c>GAP_OVERFLOW</c>: the entity only, no
/// record ids, no fields).
/// </para>
/// </summary>
internal sealed class ChangeCapture(EventBus bus, EventCatalog catalog, TimeProvider time, int overflowThreshold = ChangeCapture.DefaultOverflowThreshold)
{
    /// <summary>Salesforce's overflow threshold: the changes of one transaction that generate change events.</summary>
    public const int DefaultOverflowThreshold = 100_000;

    /// <summary>The largest event Salesforce delivers (1 MB); a bigger change event becomes a gap event.</summary>
    public const int MaxEventBytes = 1024 * 1024;

    [ThreadStatic]
    private static string? t_origin;

    private long _commitNumber;

    /// <summary>
    /// The API a request on this thread came through, for changeOrigin: <c>com/salesforce/api/rest/62.0</c>. Set by the
    /// request pipeline for the request's duration.
    /// </summary>
    public static string? Origin
    {
        get => t_origin;
        set => t_origin = value;
    }

    /// <summary>The changeOrigin of a request path: <c>com/salesforce/api/{rest|soap|bulkapi}/{version}</c>, or empty.</summary>
    public static string OriginOf(string path)
    {
        var segments = path.Trim('/').Split('/');
        if (segments.Length >= 3 && segments[0] == "services")
        {
            if (segments[1] == "data" && segments[2].StartsWith('v'))
            {
                var api = segments.Length > 4 && segments[3] == "jobs" ? "bulkapi" : "rest";
                return $"com/salesforce/api/{api}/{segments[2][1..]}";
            }

            if (segments[1].Equals("Soap", StringComparison.OrdinalIgnoreCase) && segments.Length >= 4)
            {
                return $"com/salesforce/api/soap/{segments[3]}";
            }

            if (segments[1] == "async")
            {
                return $"com/salesforce/api/bulkapi/{segments[2]}";
            }
        }

        return string.Empty;
    }

    /// <summary>Publishes the change events of one committed unit of work.</summary>
    public void OnCommitted(IReadOnlyList<(StoredRecord? Before, StoredRecord After)> journal)
    {
        // The net change of each record: its state before the unit of work and after it.
        var net = new Dictionary<string, (StoredRecord? Before, StoredRecord After)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (before, after) in journal)
        {
            if (net.TryGetValue(after.Id, out var seen))
            {
                net[after.Id] = (seen.Before, after);
            }
            else
            {
                net[after.Id] = (before, after);
                order.Add(after.Id);
            }
        }

        var changes = new List<(ObjectSchema Object, string Type, string RecordId, Dictionary<string, object?> Values, List<string> Changed, List<string> Nulled, string Key)>();
        foreach (var id in order)
        {
            var (before, after) = net[id];
            if (!Captured(after.Schema))
            {
                continue;
            }

            var type = (before, after) switch
            {
                (null, { IsDeleted: false }) => "CREATE",
                (null, _) => null,
                ({ IsDeleted: false }, { IsDeleted: true }) => "DELETE",
                ({ IsDeleted: true }, { IsDeleted: false }) => "UNDELETE",
                ({ IsDeleted: false }, { IsDeleted: false }) => "UPDATE",
                _ => null,
            };
            if (type is null)
            {
                continue;
            }

            var schema = catalog.ChangeSchema(after.Schema);
            var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            var changed = new List<string>();
            var nulled = new List<string>();
            foreach (var field in Components(schema))
            {
                var value = after[field.Name];
                switch (type)
                {
                    case "CREATE" or "UNDELETE" when value is not null:
                        values[field.Name] = value;
                        break;
                    case "UPDATE" when !Equals(before![field.Name], value):
                        values[field.Name] = value;
                        changed.Add(field.Name);
                        if (value is null)
                        {
                            nulled.Add(field.Name);
                        }

                        break;
                }
            }

            if (type == "UPDATE" && changed.Count == 0)
            {
                continue;
            }

            var key = new StringBuilder(after.Schema.Name).Append('|').Append(type);
            foreach (var (name, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                key.Append('|').Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
            }

            changes.Add((after.Schema, type, id, values, changed, nulled, key.ToString()));
        }

        if (changes.Count == 0)
        {
            return;
        }

        var transactionKey = Guid.NewGuid().ToString("N")[..20];
        var commitNumber = Interlocked.Increment(ref _commitNumber);
        var commitTimestamp = time.GetUtcNow().ToUnixTimeMilliseconds();
        var commitUser = journal[^1].After["LastModifiedById"] as string ?? string.Empty;
        var origin = Origin ?? string.Empty;

        // The first changes up to the overflow threshold generate change events; the rest, one overflow event per object.
        var counted = 0L;
        var within = new List<(ObjectSchema Object, string Type, string RecordId, Dictionary<string, object?> Values, List<string> Changed, List<string> Nulled, string Key)>(changes.Count);
        var overflowed = new List<ObjectSchema>();
        foreach (var change in changes)
        {
            counted += change.Type == "UPDATE" ? change.Changed.Count : 1;
            if (counted <= overflowThreshold)
            {
                within.Add(change);
            }
            else if (!overflowed.Contains(change.Object))
            {
                overflowed.Add(change.Object);
            }
        }

        var sequence = 0;
        foreach (var group in within.GroupBy(c => c.Key))
        {
            var first = group.First();
            var schema = catalog.ChangeSchema(first.Object);
            var header = new ChangeHeader(
                first.Object.Name,
                [.. group.Select(c => c.RecordId)],
                first.Type,
                origin,
                transactionKey,
                ++sequence,
                commitTimestamp,
                commitNumber,
                commitUser,
                Bitmap(schema, first.Nulled),
                Bitmap(schema, first.Changed));
            var payload = schema.Encode(header, first.Values);
            if (payload.Length > MaxEventBytes)
            {
                // Too big to deliver: a gap event, the header with the record ids and nothing else.
                header = header with { ChangeType = "GAP_" + header.ChangeType, NulledFields = [], ChangedFields = [] };
                payload = schema.Encode(header, new Dictionary<string, object?>());
            }

            bus.Publish(EventCatalog.ChangeChannel(first.Object), schema, payload, header);
        }

        foreach (var obj in overflowed)
        {
            var schema = catalog.ChangeSchema(obj);
            var header = new ChangeHeader(obj.Name, [], "GAP_OVERFLOW", origin, transactionKey, ++sequence, commitTimestamp, commitNumber, commitUser, [], []);
            bus.Publish(EventCatalog.ChangeChannel(obj), schema, schema.Encode(header, new Dictionary<string, object?>()), header);
        }
    }

    /// <summary>
    /// Objects whose changes are published: those the API can write (Change Data Capture covers them), and users; not the
    /// setup objects UserRole and Group, which Change Data Capture does not support (Object Reference,
    /// "StandardObjectNameChangeEvent": the standard objects that support change events), so a replica polls them.
    /// </summary>
    public static bool Captured(ObjectSchema obj) => (obj.Writable && obj.Name is not ("UserRole" or "Group")) || obj.Name == "User";

    /// <summary>The stored fields a change event carries: plain fields and the components of compound fields.</summary>
    private static IEnumerable<FieldDefinition> Components(EventSchema schema) =>
        schema.Fields.SelectMany(f => f.IsCompound ? f.Components.Select(c => c.Field) : [f.Field!]);

    /// <summary>
    /// A bitmap field of the header (Pub/Sub API guide, "Event Deserialization Considerations"): its first string is a
    /// hexadecimal bitmap of the top-level fields, bit i for the Avro schema's field i (the header is field 0); then one
    /// <c>{i}-{bitmap}</c> string per compound field i with changed components, bit j for its nested field j. Empty when
    /// no field is named.
    /// </summary>
    public static IReadOnlyList<string> Bitmap(EventSchema schema, IReadOnlyCollection<string> fields)
    {
        if (fields.Count == 0)
        {
            return [];
        }

        var names = new HashSet<string>(fields, StringComparer.OrdinalIgnoreCase);
        var top = BigInteger.Zero;
        var nested = new List<string>();
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var field = schema.Fields[i];
            var position = i + 1;
            if (!field.IsCompound)
            {
                if (names.Contains(field.Field!.Name))
                {
                    top |= BigInteger.One << position;
                }

                continue;
            }

            var bits = BigInteger.Zero;
            for (var j = 0; j < field.Components.Count; j++)
            {
                if (names.Contains(field.Components[j].Field.Name))
                {
                    bits |= BigInteger.One << j;
                }
            }

            if (!bits.IsZero)
            {
                nested.Add($"{position}-{Hex(bits)}");
            }
        }

        return [Hex(top), .. nested];
    }

    private static string Hex(BigInteger bits)
    {
        var hex = bits.ToString("X", CultureInfo.InvariantCulture).TrimStart('0');
        hex = hex.Length == 0 ? "0" : hex;
        return "0x" + (hex.Length % 2 == 1 ? "0" + hex : hex);
    }
}
