using System.Text.Json;

namespace Atom.Salesforce.Client.Streaming.Avro;

/// <summary>The Avro types of the specification (1.11), primitive and complex.</summary>
internal enum AvroType : byte
{
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record,
    Enum,
    Array,
    Map,
    Union,
    Fixed,
}

/// <summary>The logical types of the specification that change how a value is presented (never how it is encoded).</summary>
internal enum AvroLogicalType : byte
{
    None,
    Decimal,
    Uuid,
    Date,
    TimeMillis,
    TimeMicros,
    TimestampMillis,
    TimestampMicros,
    LocalTimestampMillis,
    LocalTimestampMicros,
    Duration,
}

/// <summary>A field of a record schema: its name, position and schema, and its default as JSON when the schema gives one.</summary>
internal sealed class AvroField(string name, int position, AvroSchema schema, JsonElement? defaultValue, string? doc = null)
{
    /// <summary>
    /// The field's <c>doc</c>. Salesforce writes the field's Salesforce type there (<c>Data:DateTime</c>,
    /// <c>CreatedDate:DateTime</c>): its date/time fields are plain longs (epoch milliseconds) without a logical type.
    /// </summary>
    public string? Doc { get; } = doc;

    /// <summary>A Salesforce date/time field: a long whose doc names the DateTime type.</summary>
    public bool IsSalesforceDateTime { get; } = doc is not null && doc.EndsWith(":DateTime", StringComparison.Ordinal) && schema.NonNull().Type == AvroType.Long;

    public string Name { get; } = name;

    public int Position { get; } = position;

    public AvroSchema Schema { get; } = schema;

    public JsonElement? Default { get; } = defaultValue;
}

/// <summary>
/// A parsed Avro schema (the JSON form of the specification): parsed once per schema id, then used to read and write any
/// number of values. Named types (record, enum, fixed) may be referred to by name after their definition, recursion included.
/// </summary>
internal sealed class AvroSchema
{
    private static readonly AvroSchema[] NoBranches = [];

    private AvroSchema(AvroType type) => Type = type;

    public AvroType Type { get; }

    public AvroLogicalType LogicalType { get; private set; }

    /// <summary>The full name (namespace and name) of a record, enum or fixed; the type name otherwise.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>The short name (without namespace) of a record, enum or fixed.</summary>
    public string ShortName { get; private set; } = string.Empty;

    public AvroField[] Fields { get; private set; } = [];

    public string[] Symbols { get; private set; } = [];

    /// <summary>The items of an array, the values of a map.</summary>
    public AvroSchema? Items { get; private set; }

    public AvroSchema[] Branches { get; private set; } = NoBranches;

    /// <summary>The index of the union's <c>null</c> branch, or -1.</summary>
    public int NullBranch { get; private set; } = -1;

    public int Size { get; private set; }

    public int Precision { get; private set; }

    public int Scale { get; private set; }

    private Dictionary<string, int>? _fieldIndex;

    /// <summary>The position of a record field by its exact name, or -1.</summary>
    public int IndexOf(string fieldName)
    {
        if (_fieldIndex is null)
        {
            var index = new Dictionary<string, int>(Fields.Length, StringComparer.Ordinal);
            foreach (var field in Fields)
            {
                index[field.Name] = field.Position;
            }

            _fieldIndex = index;
        }

        return _fieldIndex.TryGetValue(fieldName, out var position) ? position : -1;
    }

    /// <summary>A union of <c>null</c> and one other type: that type; any other schema: itself.</summary>
    public AvroSchema NonNull()
    {
        if (Type != AvroType.Union)
        {
            return this;
        }

        AvroSchema? single = null;
        foreach (var branch in Branches)
        {
            if (branch.Type == AvroType.Null)
            {
                continue;
            }

            if (single is not null)
            {
                return this;
            }

            single = branch;
        }

        return single ?? this;
    }

    /// <summary>Parses the JSON form of a schema.</summary>
    /// <exception cref="FormatException">The text is not a valid Avro schema.</exception>
    public static AvroSchema Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return new Parser().Parse(document.RootElement, enclosingNamespace: null);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The Avro schema is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"The Avro schema is not valid: {e.Message}", e);
        }
    }

    private static AvroType? Primitive(string name) => name switch
    {
        "null" => AvroType.Null,
        "boolean" => AvroType.Boolean,
        "int" => AvroType.Int,
        "long" => AvroType.Long,
        "float" => AvroType.Float,
        "double" => AvroType.Double,
        "bytes" => AvroType.Bytes,
        "string" => AvroType.String,
        _ => null,
    };

    private static readonly AvroSchema[] Primitives =
        [.. Enumerable.Range(0, (int)AvroType.String + 1).Select(t => new AvroSchema((AvroType)t) { Name = ((AvroType)t).ToString().ToLowerInvariant() })];

    private sealed class Parser
    {
        private readonly Dictionary<string, AvroSchema> _named = new(StringComparer.Ordinal);

        public AvroSchema Parse(JsonElement element, string? enclosingNamespace) => element.ValueKind switch
        {
            JsonValueKind.String => Reference(element.GetString()!, enclosingNamespace),
            JsonValueKind.Array => Union(element, enclosingNamespace),
            JsonValueKind.Object => Complex(element, enclosingNamespace),
            _ => throw new FormatException($"An Avro schema must be a string, an array or an object; got {element.ValueKind}."),
        };

        private AvroSchema Reference(string name, string? enclosingNamespace)
        {
            if (Primitive(name) is { } primitive)
            {
                return Primitives[(int)primitive];
            }

            if (!name.Contains('.', StringComparison.Ordinal) && !string.IsNullOrEmpty(enclosingNamespace)
                && _named.TryGetValue(enclosingNamespace + "." + name, out var inNamespace))
            {
                return inNamespace;
            }

            return _named.TryGetValue(name, out var named)
                ? named
                : throw new FormatException($"The Avro schema refers to the type '{name}', which is not defined before it.");
        }

        private AvroSchema Union(JsonElement element, string? enclosingNamespace)
        {
            var branches = new AvroSchema[element.GetArrayLength()];
            var i = 0;
            var nullBranch = -1;
            foreach (var item in element.EnumerateArray())
            {
                var branch = Parse(item, enclosingNamespace);
                if (branch.Type == AvroType.Union)
                {
                    throw new FormatException("An Avro union may not contain another union.");
                }

                if (branch.Type == AvroType.Null)
                {
                    nullBranch = i;
                }

                branches[i++] = branch;
            }

            return new AvroSchema(AvroType.Union) { Name = "union", Branches = branches, NullBranch = nullBranch };
        }

        private AvroSchema Complex(JsonElement element, string? enclosingNamespace)
        {
            if (!element.TryGetProperty("type", out var typeElement))
            {
                throw new FormatException("An Avro schema object has no 'type'.");
            }

            if (typeElement.ValueKind != JsonValueKind.String)
            {
                // {"type": {...}} or {"type": [...]}: the nested schema.
                return Parse(typeElement, enclosingNamespace);
            }

            var type = typeElement.GetString()!;
            var logical = element.TryGetProperty("logicalType", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            if (Primitive(type) is { } primitive)
            {
                var logicalType = Logical(logical, primitive);
                if (logicalType == AvroLogicalType.None)
                {
                    return Primitives[(int)primitive];
                }

                var schema = new AvroSchema(primitive) { Name = type, LogicalType = logicalType };
                ReadDecimal(schema, element);
                return schema;
            }

            switch (type)
            {
                case "record":
                case "error":
                    return Record(element, enclosingNamespace);
                case "enum":
                    {
                        var schema = Named(new AvroSchema(AvroType.Enum), element, enclosingNamespace);
                        schema.Symbols = [.. element.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()!)];
                        return schema;
                    }

                case "fixed":
                    {
                        var schema = Named(new AvroSchema(AvroType.Fixed), element, enclosingNamespace);
                        schema.Size = element.GetProperty("size").GetInt32();
                        schema.LogicalType = Logical(logical, AvroType.Fixed);
                        ReadDecimal(schema, element);
                        return schema;
                    }

                case "array":
                    return new AvroSchema(AvroType.Array) { Name = "array", Items = Parse(element.GetProperty("items"), enclosingNamespace) };
                case "map":
                    return new AvroSchema(AvroType.Map) { Name = "map", Items = Parse(element.GetProperty("values"), enclosingNamespace) };
                default:
                    // A named type given as {"type": "Name"}.
                    return Reference(type, enclosingNamespace);
            }
        }

        private AvroSchema Record(JsonElement element, string? enclosingNamespace)
        {
            var schema = Named(new AvroSchema(AvroType.Record), element, enclosingNamespace);
            var ns = Namespace(schema.Name);
            var fields = new List<AvroField>();
            foreach (var field in element.GetProperty("fields").EnumerateArray())
            {
                var name = field.GetProperty("name").GetString()!;
                var fieldSchema = Parse(field.GetProperty("type"), ns);
                JsonElement? defaultValue = field.TryGetProperty("default", out var d) ? d.Clone() : null;
                var doc = field.TryGetProperty("doc", out var docElement) && docElement.ValueKind == JsonValueKind.String ? docElement.GetString() : null;
                fields.Add(new AvroField(name, fields.Count, fieldSchema, defaultValue, doc));
            }

            schema.Fields = [.. fields];
            return schema;
        }

        /// <summary>Names the schema and registers it before its body is parsed, so that it can refer to itself.</summary>
        private AvroSchema Named(AvroSchema schema, JsonElement element, string? enclosingNamespace)
        {
            var name = element.GetProperty("name").GetString()!;
            string fullName;
            if (name.Contains('.', StringComparison.Ordinal))
            {
                fullName = name;
            }
            else
            {
                var ns = element.TryGetProperty("namespace", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : enclosingNamespace;
                fullName = string.IsNullOrEmpty(ns) ? name : ns + "." + name;
            }

            schema.Name = fullName;
            schema.ShortName = fullName[(fullName.LastIndexOf('.') + 1)..];
            _named[fullName] = schema;
            return schema;
        }

        private static string? Namespace(string fullName)
        {
            var dot = fullName.LastIndexOf('.');
            return dot < 0 ? null : fullName[..dot];
        }

        private static AvroLogicalType Logical(string? logical, AvroType type) => (logical, type) switch
        {
            ("decimal", AvroType.Bytes or AvroType.Fixed) => AvroLogicalType.Decimal,
            ("uuid", AvroType.String) => AvroLogicalType.Uuid,
            ("date", AvroType.Int) => AvroLogicalType.Date,
            ("time-millis", AvroType.Int) => AvroLogicalType.TimeMillis,
            ("time-micros", AvroType.Long) => AvroLogicalType.TimeMicros,
            ("timestamp-millis", AvroType.Long) => AvroLogicalType.TimestampMillis,
            ("timestamp-micros", AvroType.Long) => AvroLogicalType.TimestampMicros,
            ("local-timestamp-millis", AvroType.Long) => AvroLogicalType.LocalTimestampMillis,
            ("local-timestamp-micros", AvroType.Long) => AvroLogicalType.LocalTimestampMicros,
            ("duration", AvroType.Fixed) => AvroLogicalType.Duration,

            // The specification: an unknown or misplaced logical type is ignored, the underlying type is used.
            _ => AvroLogicalType.None,
        };

        private static void ReadDecimal(AvroSchema schema, JsonElement element)
        {
            if (schema.LogicalType != AvroLogicalType.Decimal)
            {
                return;
            }

            schema.Precision = element.TryGetProperty("precision", out var p) ? p.GetInt32() : 0;
            schema.Scale = element.TryGetProperty("scale", out var s) ? s.GetInt32() : 0;
        }
    }
}
