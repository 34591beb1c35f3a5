using Atom.Salesforce.Soql;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>
/// <c>DISTANCE(location, GEOLOCATION(latitude, longitude) | location, 'mi' | 'km')</c> in WHERE and ORDER BY (SOQL and SOSL
/// Reference, "Geolocation Functions" / "DISTANCE"): the great-circle (haversine) distance between a geolocation field
/// or an address's geocode and a point or another location; a record without coordinates gives null, so it matches no
/// comparison and sorts with the nulls. Salesforce does not document the earth radius it uses; the emulator uses the
/// mean radius (6,371.0088 km, 3,958.7613 mi), so distances may differ from an org's in the last digits.
/// </summary>
internal sealed partial class QueryCompiler
{
    private const double EarthRadiusKm = 6371.0088;
    private const double EarthRadiusMi = 3958.7613;

    private Operand<StoredRecord> Distance(SoqlFunctionCall call, ObjectSchema obj, Aliases aliases)
    {
        // The parser has checked the shape: a field, a GEOLOCATION() or field (or a bind), and a string unit.
        var from = Coordinates(call.Arguments[0], obj, aliases, call);
        var to = Coordinates(call.Arguments[1], obj, aliases, call);
        var unit = call.Arguments[2] is SoqlString { Value: var text } ? text : string.Empty;
        var radius = unit.ToLowerInvariant() switch
        {
            "mi" => EarthRadiusMi,
            "km" => EarthRadiusKm,
            _ => throw QueryErrors.Malformed($"DISTANCE() takes 'mi' or 'km' as its unit: '{unit}'"),
        };
        return new Operand<StoredRecord>(
            r => from(r) is { } a && to(r) is { } b ? (decimal)Math.Round(Haversine(a, b) * radius, 12) : null,
            ValueKind.Number,
            null,
            call.ToString());
    }

    private Func<StoredRecord, (double Latitude, double Longitude)?> Coordinates(SoqlExpression argument, ObjectSchema obj, Aliases aliases, SoqlFunctionCall call)
    {
        switch (argument)
        {
            case SoqlFunctionCall { Arguments: [SoqlNumber latitude, SoqlNumber longitude] } point when Is(point, "GEOLOCATION"):
                (double, double)? fixedPoint = ((double)latitude.Value, (double)longitude.Value);
                return _ => fixedPoint;
            case SoqlField field:
                var path = Path(obj, field.Path, aliases);
                if (path.Field is not { IsCompound: true })
                {
                    throw QueryErrors.Malformed($"DISTANCE() needs a geolocation or address field: {field.Path} in {call}");
                }

                var org = _org;
                return r => (path.Get(r, org) as CompoundValue)?.Coordinates;
            default:
                throw QueryErrors.Malformed($"DISTANCE() takes a location field and a GEOLOCATION(latitude, longitude) or location field: {call}");
        }
    }

    private static double Haversine((double Latitude, double Longitude) a, (double Latitude, double Longitude) b)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(b.Latitude - a.Latitude);
        var dLon = Radians(b.Longitude - a.Longitude);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(Radians(a.Latitude)) * Math.Cos(Radians(b.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
