using Atom.Salesforce.Client.Streaming.Avro;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// Decodes the bitmap fields of a change event header into field names. Each entry is a hexadecimal number whose bit i
/// (counting from the least significant) stands for the field at position i of the event schema: <c>"0x…"</c> for the
/// top-level fields, <c>"N-0x…"</c> for the fields of the compound field at top-level position N (a record, possibly in a
/// union with null), named <c>Parent.Child</c>.
/// </summary>
internal static class ChangeEventBitmap
{
    public static IReadOnlyList<string> Decode(IReadOnlyList<string> entries, AvroSchema eventSchema)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        var names = new List<string>();
        foreach (var entry in entries)
        {
            if (string.IsNullOrEmpty(entry))
            {
                continue;
            }

            var dash = entry.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                AddFields(names, entry, eventSchema, prefix: null);
                continue;
            }

            if (!int.TryParse(entry.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parentPosition)
                || parentPosition >= eventSchema.Fields.Length)
            {
                throw new InvalidDataException($"The change event bitmap entry '{entry}' names no field of {eventSchema.Name}.");
            }

            var parent = eventSchema.Fields[parentPosition];
            var child = parent.Schema.NonNull();
            if (child.Type != AvroType.Record)
            {
                throw new InvalidDataException($"The change event bitmap entry '{entry}' names {parent.Name}, which is not a compound field.");
            }

            AddFields(names, entry[(dash + 1)..], child, parent.Name + ".");
        }

        return names;
    }

    private static void AddFields(List<string> names, string hex, AvroSchema schema, string? prefix)
    {
        if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"The change event bitmap '{hex}' is not a hexadecimal number (0x…).");
        }

        var digits = hex.AsSpan(2);
        var fields = schema.Fields;

        // Bit i of the number is field i: walk the hex digits from the least significant (the last) up.
        for (var d = 0; d < digits.Length; d++)
        {
            var nibble = Nibble(digits[digits.Length - 1 - d], hex);
            for (var b = 0; b < 4; b++)
            {
                if ((nibble & (1 << b)) == 0)
                {
                    continue;
                }

                var position = (d * 4) + b;
                if (position >= fields.Length)
                {
                    throw new InvalidDataException($"The change event bitmap '{hex}' names field {position}, but {schema.Name} has {fields.Length} fields.");
                }

                names.Add(prefix is null ? fields[position].Name : prefix + fields[position].Name);
            }
        }
    }

    private static int Nibble(char c, string hex) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => throw new InvalidDataException($"The change event bitmap '{hex}' is not a hexadecimal number."),
    };
}
