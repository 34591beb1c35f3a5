using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Json;

namespace Atom.Salesforce.Client.Records;

/// <summary>
/// A Salesforce record whose fields are known only at run time. A field set to <c>null</c> is sent as null
/// (Salesforce clears it); a field never set is not sent (Salesforce leaves it as it is). A record read from Salesforce
/// remembers which fields you set afterwards and sends only those, so reading, changing one field and updating sends
/// that one field, never the system fields it was read with.
/// </summary>
/// <remarks>
/// Values read from Salesforce are kept as <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="decimal"/>,
/// a nested <see cref="SObject"/> (parent relationship), a <see cref="Query.QueryResult{T}"/> of <see cref="SObject"/> (child
/// subquery) or a <see cref="JsonElement"/> (compound fields such as addresses). <see cref="Get{T}(string)"/> converts them,
/// reading Salesforce's date and datetime strings as <see cref="DateOnly"/>, <see cref="DateTimeOffset"/> or <see cref="DateTime"/>.
/// </remarks>
[JsonConverter(typeof(SObjectConverter))]
public sealed class SObject
{
    private readonly Dictionary<string, object?> _fields;

    // Records read from Salesforce send only the fields set since (kept in _changed, made on first change);
    // records made in code send every field.
    private bool _tracking;
    private HashSet<string>? _changed;

    /// <summary>Creates an empty record of an sObject type.</summary>
    /// <param name="type">The sObject API name, for example <c>Account</c> or <c>Invoice__c</c>.</param>
    public SObject(string type)
    {
        RecordNames.ThrowIfInvalidName(type, nameof(type));
        Type = type;
        _fields = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
    }

    internal SObject(string type, int capacity)
    {
        Type = type;
        _fields = new Dictionary<string, object?>(capacity, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The sObject type, from the record's <c>attributes.type</c>; empty when Salesforce sent no attributes.</summary>
    public string Type { get; internal set; }

    /// <summary>The record id, or null for a record not yet created. Never sent in a create or update body.</summary>
    public string? Id { get; set; }

    /// <summary>The record's REST URL from <c>attributes.url</c>, when Salesforce sent one.</summary>
    public string? Url { get; internal set; }

    /// <summary>The names of the fields this record holds (not <c>Id</c>), in the order they were read or set.</summary>
    public IEnumerable<string> FieldNames => _fields.Keys;

    /// <summary>The number of fields this record holds, not counting <c>Id</c>.</summary>
    public int FieldCount => _fields.Count;

    /// <summary>Gets or sets a field. Getting a field the record does not hold returns null; setting null clears the field in Salesforce.</summary>
    /// <param name="field">The field API name (case-insensitive). <c>Id</c> reads and writes <see cref="Id"/>.</param>
    public object? this[string field]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(field);
            if (string.Equals(field, "Id", StringComparison.OrdinalIgnoreCase))
            {
                return Id;
            }

            return _fields.TryGetValue(field, out var value) ? value : null;
        }

        set
        {
            RecordNames.ThrowIfInvalidName(field, nameof(field));
            if (string.Equals(field, "Id", StringComparison.OrdinalIgnoreCase))
            {
                Id = value switch
                {
                    null => null,
                    string s => s,
                    _ => throw new ArgumentException("Id must be a string.", nameof(value)),
                };
                return;
            }

            _fields[field] = value;
            if (_tracking)
            {
                (_changed ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(field);
            }
        }
    }

    /// <summary>True when the record holds the field (even with a null value).</summary>
    public bool Contains(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return string.Equals(field, "Id", StringComparison.OrdinalIgnoreCase) ? Id is not null : _fields.ContainsKey(field);
    }

    /// <summary>Removes a field so that it is not sent at all. Returns false when the record did not hold it.</summary>
    public bool Remove(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        _changed?.Remove(field);
        return _fields.Remove(field);
    }

    /// <summary>
    /// The fields a create or update sends: every field for a record made in code, the fields set since reading for a
    /// record read from Salesforce.
    /// </summary>
    public IEnumerable<string> FieldsToSend => _fields.Keys.Where(ShouldSend);

    /// <summary>
    /// Reads a field as <typeparamref name="T"/>. A missing or null field gives <c>default</c> for reference and nullable types;
    /// asking a null field for a non-nullable value type throws, so ask for <c>int?</c> instead.
    /// A dotted path (<c>Account.Name</c>) follows parent relationships.
    /// </summary>
    /// <exception cref="InvalidCastException">The value cannot be read as <typeparamref name="T"/>.</exception>
    public T? Get<T>(string field)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        var dot = field.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && !_fields.ContainsKey(field))
        {
            var parent = this[field[..dot]];
            return parent switch
            {
                SObject record => record.Get<T>(field[(dot + 1)..]),
                null => SObjectValues.Convert<T>(null, field),
                _ => throw new InvalidCastException($"Field '{field[..dot]}' is not a relationship; cannot follow '{field}'."),
            };
        }

        return SObjectValues.Convert<T>(this[field], field);
    }

    internal Dictionary<string, object?> Fields => _fields;

    internal void SetRead(string field, object? value) => _fields[field] = value;

    /// <summary>From now on only fields set through the indexer are sent (called once a record has been read).</summary>
    internal void TrackChanges() => _tracking = true;

    internal bool ShouldSend(string field) => !_tracking || (_changed?.Contains(field) ?? false);

    /// <summary>A short description for debugging: type, id and field names. Never includes values.</summary>
    public override string ToString() =>
        $"{(Type.Length == 0 ? "SObject" : Type)} {Id ?? "(new)"} [{string.Join(", ", _fields.Keys)}]";
}

/// <summary>Conversions behind <see cref="SObject.Get{T}(string)"/>.</summary>
internal static class SObjectValues
{
    public static T? Convert<T>(object? value, string field)
    {
        if (value is null)
        {
            if (default(T) is not null)
            {
                throw new InvalidCastException(
                    $"Field '{field}' is null; read it as {typeof(T).Name}? instead of {typeof(T).Name}.");
            }

            return default;
        }

        if (value is T same)
        {
            return same;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            object? converted = value switch
            {
                string s when target == typeof(DateTimeOffset) => ParseDateTime(s, field),
                string s when target == typeof(DateTime) => ParseDateTime(s, field).UtcDateTime,
                string s when target == typeof(DateOnly) => ParseDate(s, field),
                string s when target == typeof(TimeOnly) => ParseTime(s, field),
                string s when target.IsEnum => Enum.Parse(target, s, ignoreCase: true),
                string s when target == typeof(Guid) => Guid.Parse(s),
                decimal or double when IsInteger(target) && !IsWhole(value) =>
                    throw new InvalidCastException($"Field '{field}' holds {value}, which has a fraction; read it as decimal or double."),
                IConvertible c when target.IsPrimitive || target == typeof(decimal) || target == typeof(string) =>
                    System.Convert.ChangeType(c, target, CultureInfo.InvariantCulture),
                JsonElement e => e.Deserialize(SalesforceSerializer.Default.ReadInfo<T>()),
                SObject s => SObjectConverter.ToElement(s, SalesforceSerializer.Default.ReadOptions)
                    .Deserialize(SalesforceSerializer.Default.ReadInfo<T>()),
                _ => throw new InvalidCastException(),
            };
            return (T?)converted;
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or JsonException or ArgumentException)
        {
            throw new InvalidCastException(
                $"Field '{field}' holds a {value.GetType().Name}; it cannot be read as {typeof(T).Name}.", e);
        }
    }

    private static bool IsInteger(Type t) =>
        t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte)
        || t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) || t == typeof(sbyte);

    private static bool IsWhole(object number) => number switch
    {
        decimal d => d == decimal.Truncate(d),
        double d => d == Math.Truncate(d),
        _ => true,
    };

    private static DateTimeOffset ParseDateTime(string s, string field) =>
        SalesforceDateTime.TryParseDateTime(Encoding.UTF8.GetBytes(s), out var v)
            ? v
            : throw new FormatException($"Field '{field}' is not a Salesforce datetime.");

    private static DateOnly ParseDate(string s, string field) =>
        SalesforceDateTime.TryParseDate(Encoding.UTF8.GetBytes(s), out var v)
            ? v
            : throw new FormatException($"Field '{field}' is not a Salesforce date.");

    private static TimeOnly ParseTime(string s, string field) =>
        SalesforceDateTime.TryParseTime(Encoding.UTF8.GetBytes(s), out var v)
            ? v
            : throw new FormatException($"Field '{field}' is not a Salesforce time.");
}
