using System.Text.Json;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Data;

/// <summary>
/// The value of an address compound field, read from its components when it is selected. Written as Salesforce's
/// REST API writes an Address: <c>{"city", "country", "geocodeAccuracy", "latitude", "longitude", "postalCode",
/// "state", "street"}</c> (SOAP API guide, "Address Compound Fields"; REST query responses carry the same keys, with
/// <c>countryCode</c>/<c>stateCode</c> only when state and country picklists are on, which the emulator does not
/// model). A record with every component empty gives <c>null</c>, as Salesforce does for an empty address.
/// </summary>
internal sealed class CompoundValue
{
    private static readonly (string Key, string Suffix)[] AddressParts =
    [
        ("city", "City"), ("country", "Country"), ("geocodeAccuracy", "GeocodeAccuracy"), ("latitude", "Latitude"),
        ("longitude", "Longitude"), ("postalCode", "PostalCode"), ("state", "State"), ("street", "Street"),
    ];

    private readonly (string Key, FieldDefinition? Field, object? Value)[] _parts;

    private CompoundValue((string Key, FieldDefinition? Field, object? Value)[] parts) => _parts = parts;

    public static CompoundValue? Of(StoredRecord record, FieldDefinition compound)
    {
        var prefix = compound.Name[..^"Address".Length];
        var parts = AddressParts
            .Select(p => (p.Key, Field: record.Schema.Field(prefix + p.Suffix), Value: record[prefix + p.Suffix]))
            .ToArray();
        return parts.All(p => p.Value is null) ? null : new CompoundValue(parts);
    }

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (key, field, value) in _parts)
        {
            writer.WritePropertyName(key);
            FieldValues.Write(writer, field, value);
        }

        writer.WriteEndObject();
    }
}
