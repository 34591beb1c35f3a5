using System.Globalization;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>What a value is compared as.</summary>
internal enum ValueKind
{
    Text,
    Id,
    Number,
    Boolean,
    Date,
    DateTime,
    Time,
    MultiPicklist,
}

/// <summary>Comparison of stored values with SOQL's rules: text case-insensitively, picklists in their defined order.</summary>
internal static class Values
{
    public static ValueKind KindOf(FieldDefinition field) => field.Type switch
    {
        FieldType.Id or FieldType.Reference => ValueKind.Id,
        FieldType.Boolean => ValueKind.Boolean,
        FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent => ValueKind.Number,
        FieldType.Date => ValueKind.Date,
        FieldType.DateTime => ValueKind.DateTime,
        FieldType.Time => ValueKind.Time,
        FieldType.MultiPicklist => ValueKind.MultiPicklist,
        _ => ValueKind.Text,
    };

    /// <summary>The type name Salesforce uses in filter errors.</summary>
    public static string TypeName(ValueKind kind) => kind switch
    {
        ValueKind.Id => "id",
        ValueKind.Number => "double",
        ValueKind.Boolean => "boolean",
        ValueKind.Date => "date",
        ValueKind.DateTime => "dateTime",
        ValueKind.Time => "time",
        _ => "string",
    };

    /// <summary>Long text areas cannot be filtered, grouped or sorted.</summary>
    public static bool IsLongText(FieldDefinition field) => field.Type == FieldType.TextArea && (field.Length ?? 32000) > 255;

    /// <summary>Orders two non-null values of the same kind; picklist values by their position in the field's list.</summary>
    public static int Compare(object a, object b, FieldDefinition? field = null)
    {
        if (field is { Type: FieldType.Picklist, PicklistValues.Count: > 0 } && a is string pa && b is string pb)
        {
            var ia = IndexOf(field.PicklistValues, pa);
            var ib = IndexOf(field.PicklistValues, pb);
            if (ia >= 0 && ib >= 0)
            {
                return ia.CompareTo(ib);
            }
        }

        return (a, b) switch
        {
            (string x, string y) => string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
            (decimal x, decimal y) => x.CompareTo(y),
            (DateOnly x, DateOnly y) => x.CompareTo(y),
            (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
            (DateOnly x, DateTimeOffset y) => ToDateTime(x).CompareTo(y),
            (DateTimeOffset x, DateOnly y) => x.CompareTo(ToDateTime(y)),
            (TimeOnly x, TimeOnly y) => x.CompareTo(y),
            (bool x, bool y) => x.CompareTo(y),
            _ => string.Compare(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase),
        };
    }

    public static bool Same(object? a, object? b) => a is null || b is null ? a is null && b is null : Compare(a, b) == 0;

    public static DateTimeOffset ToDateTime(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The selections of a multi-select picklist value (<c>'AAA;BBB'</c>).</summary>
    public static HashSet<string> Selections(string value) =>
        new(value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);

    /// <summary>Groups and distinct counts treat text case-insensitively, as SOQL compares it.</summary>
    public static readonly IEqualityComparer<object?> KeyComparer = new ValueComparer();

    public static int Hash(object? value) => value switch
    {
        null => 0,
        string s => StringComparer.OrdinalIgnoreCase.GetHashCode(s),
        _ => value.GetHashCode(),
    };

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private sealed class ValueComparer : IEqualityComparer<object?>
    {
        public new bool Equals(object? x, object? y) => Same(x, y);

        public int GetHashCode(object? obj) => Hash(obj);
    }
}

/// <summary>
/// A LIKE pattern: <c>%</c> any run, <c>_</c> one character, a backslash takes the next <c>%</c>, <c>_</c> or backslash
/// literally (the parser leaves those three escapes in the value). Case-insensitive.
/// </summary>
internal sealed class LikePattern
{
    private readonly char[] _chars;
    private readonly byte[] _kinds;

    private const byte Literal = 0;
    private const byte One = 1;
    private const byte Many = 2;

    public LikePattern(string pattern)
    {
        var chars = new List<char>(pattern.Length);
        var kinds = new List<byte>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '\\' or '%' or '_')
            {
                chars.Add(char.ToUpperInvariant(pattern[++i]));
                kinds.Add(Literal);
            }
            else
            {
                chars.Add(char.ToUpperInvariant(c));
                kinds.Add(c switch { '%' => Many, '_' => One, _ => Literal });
            }
        }

        _chars = [.. chars];
        _kinds = [.. kinds];
    }

    public bool IsMatch(string value)
    {
        int i = 0, j = 0, star = -1, mark = 0;
        while (i < value.Length)
        {
            if (j < _kinds.Length && (_kinds[j] == One || (_kinds[j] == Literal && _chars[j] == char.ToUpperInvariant(value[i]))))
            {
                i++;
                j++;
            }
            else if (j < _kinds.Length && _kinds[j] == Many)
            {
                star = j++;
                mark = i;
            }
            else if (star >= 0)
            {
                j = star + 1;
                i = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (j < _kinds.Length && _kinds[j] == Many)
        {
            j++;
        }

        return j == _kinds.Length;
    }
}
