using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Atom.Salesforce.Client.Streaming.Avro;

/// <summary>
/// An event as Avro decoded it, field by field in schema order, without a .NET type: the generic view of any event. Values
/// are <see langword="null"/>, <see cref="bool"/>, <see cref="int"/>, <see cref="long"/>, <see cref="float"/>,
/// <see cref="double"/>, <see cref="string"/> (also enum symbols), <see cref="byte"/> arrays, nested
/// <see cref="AvroRecord"/>s, lists, string-keyed dictionaries, and for logical types <see cref="decimal"/>,
/// <see cref="DateOnly"/>, <see cref="TimeOnly"/>, <see cref="DateTimeOffset"/> and <see cref="Guid"/>.
/// </summary>
public sealed class AvroRecord
{
    private readonly object?[] _values;

    internal AvroRecord(AvroSchema schema, object?[] values)
    {
        Schema = schema;
        _values = values;
    }

    internal AvroSchema Schema { get; }

    /// <summary>The record schema's full name, for example <c>com.sforce.eventbus.AccountChangeEvent</c>.</summary>
    public string SchemaName => Schema.Name;

    /// <summary>The field names, in schema order.</summary>
    public IReadOnlyList<string> FieldNames => [.. Schema.Fields.Select(f => f.Name)];

    /// <summary>The number of fields.</summary>
    public int FieldCount => _values.Length;

    /// <summary>A field's value by its exact (case-sensitive) name.</summary>
    /// <exception cref="KeyNotFoundException">The schema has no such field.</exception>
    public object? this[string field]
    {
        get
        {
            var index = Schema.IndexOf(field);
            return index >= 0 ? _values[index] : throw new KeyNotFoundException($"The record {SchemaName} has no field '{field}'.");
        }
    }

    /// <summary>A field's value by its position in the schema.</summary>
    public object? this[int position] => _values[position];

    /// <summary>Whether the schema has the field.</summary>
    public bool Contains(string field) => Schema.IndexOf(field) >= 0;

    /// <summary>A field's value, when the schema has the field.</summary>
    public bool TryGetValue(string field, out object? value)
    {
        var index = Schema.IndexOf(field);
        value = index >= 0 ? _values[index] : null;
        return index >= 0;
    }

    /// <summary>
    /// A field's value as <typeparamref name="T"/>: the value itself when it is one, a number converted to another numeric
    /// type, or <c>default</c> when the value is null.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The schema has no such field.</exception>
    /// <exception cref="InvalidCastException">The value cannot become <typeparamref name="T"/>.</exception>
    public T? Get<T>(string field)
    {
        var value = this[field];
        return value switch
        {
            null => default,
            T typed => typed,
            IConvertible when Nullable.GetUnderlyingType(typeof(T)) is { } underlying && underlying.IsPrimitive || typeof(T).IsPrimitive || typeof(T) == typeof(decimal) =>
                (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture),
            _ => throw new InvalidCastException($"The field '{field}' of {SchemaName} holds a {value.GetType().Name}, not a {typeof(T).Name}."),
        };
    }

    /// <summary>The record as JSON: field names as written in the schema, unions as their value, bytes as base64.</summary>
    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            AvroJson.WriteRecord(writer, this, skipField: null, extra: null);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The record as JSON (<see cref="ToJson"/>).</summary>
    public override string ToString() => ToJson();
}
