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
        if (compound.Type == FieldType.Location)
        {
            // A geolocation field: {"latitude", "longitude"} (SOAP API Developer Guide, "Geolocation Compound Field").
            var stem = compound.Name[..^3];
            (string Key, FieldDefinition? Field, object? Value)[] location =
            [
                ("latitude", record.Schema.Field(stem + "__Latitude__s"), record[stem + "__Latitude__s"]),
                ("longitude", record.Schema.Field(stem + "__Longitude__s"), record[stem + "__Longitude__s"]),
            ];
            return location.All(p => p.Value is null) ? null : new CompoundValue(location);
        }

        var prefix = compound.Name[..^"Address".Length];
        var parts = AddressParts
            .Select(p => (p.Key, Field: record.Schema.Field(prefix + p.Suffix), Value: record[prefix + p.Suffix]))
            .ToArray();
        return parts.All(p => p.Value is null) ? null : new CompoundValue(parts);
    }

    /// <summary>The latitude and longitude, when both are set (an address's geocode or a geolocation field).</summary>
    public (double Latitude, double Longitude)? Coordinates =>
        _parts.FirstOrDefault(p => p.Key == "latitude").Value is decimal latitude && _parts.FirstOrDefault(p => p.Key == "longitude").Value is decimal longitude
            ? ((double)latitude, (double)longitude)
            : null;

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
