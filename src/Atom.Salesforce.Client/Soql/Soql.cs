using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Atom.Salesforce.Client.Soql;

/// <summary>
/// Builds SOQL text from an interpolated string with every value turned into a safe SOQL literal:
/// <code>Soql.Format($"SELECT Id FROM Account WHERE Name = {name} AND CreatedDate &gt; {since}")</code>
/// Strings are quoted and escaped, dates and datetimes written in SOQL form, collections become <c>('a', 'b')</c>, null
/// becomes <c>null</c>. Values of other types are refused rather than guessed at. Pass the text to
/// <see cref="Query.QueryClient.QueryAsync{T}(string, Query.QueryOptions?, CancellationToken)"/>; the syntax tree, the
/// typed builder and the filter guard are in the <c>Atom.Salesforce.Soql</c> package, which this one references.
/// </summary>
public static partial class Soql
{
    /// <summary>Formats <paramref name="query"/>, turning each interpolated value into a SOQL literal.</summary>
    /// <exception cref="ArgumentException">A value cannot be written as a SOQL literal (unknown type, NaN, empty collection, unspecified DateTime).</exception>
    public static string Format(FormattableString query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var arguments = query.GetArguments();
        var literals = new object?[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            literals[i] = new Verbatim(Literal(arguments[i]));
        }

        return string.Format(CultureInfo.InvariantCulture, query.Format, literals);
    }

    /// <summary>One value as a SOQL literal: <c>'O\'Brien'</c>, <c>2025-01-31</c>, <c>2025-01-31T10:00:00Z</c>, <c>42</c>, <c>null</c>, <c>('a', 'b')</c>.</summary>
    public static string Literal(object? value)
    {
        var builder = new StringBuilder();
        AppendLiteral(builder, value, allowCollection: true);
        return builder.ToString();
    }

    /// <summary>A LIKE pattern matching values that start with <paramref name="value"/>: <c>'value%'</c>, with <c>%</c> and <c>_</c> inside escaped.</summary>
    public static SoqlLikePattern StartsWith(string value) => new(value, leading: false, trailing: true);

    /// <summary>A LIKE pattern matching values that end with <paramref name="value"/>: <c>'%value'</c>.</summary>
    public static SoqlLikePattern EndsWith(string value) => new(value, leading: true, trailing: false);

    /// <summary>A LIKE pattern matching values that contain <paramref name="value"/>: <c>'%value%'</c>.</summary>
    public static SoqlLikePattern Contains(string value) => new(value, leading: true, trailing: true);

    /// <summary>A LIKE pattern matching <paramref name="value"/> exactly, its <c>%</c> and <c>_</c> taken literally.</summary>
    public static SoqlLikePattern LikeExactly(string value) => new(value, leading: false, trailing: false);

    /// <summary>
    /// A field or object name to put into a query where names vary at run time (<c>Account</c>, <c>Owner.Name</c>,
    /// <c>Invoice__c</c>). Anything but a dotted API name is refused, so a name cannot carry SOQL in.
    /// </summary>
    public static SoqlIdentifier Identifier(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!IdentifierPattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a SOQL field or object name.", nameof(name));
        }

        return new SoqlIdentifier(name);
    }

    /// <summary>Escapes a string for use inside SOQL quotes: backslash first, then quotes and control characters.</summary>
    internal static void AppendEscaped(StringBuilder builder, string value, bool like)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\'': builder.Append(@"\'"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\b': builder.Append(@"\b"); break;
                case '\f': builder.Append(@"\f"); break;
                case '%' when like: builder.Append(@"\%"); break;
                case '_' when like: builder.Append(@"\_"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }
    }

    private static void AppendLiteral(StringBuilder builder, object? value, bool allowCollection)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                return;
            case string s:
                builder.Append('\'');
                AppendEscaped(builder, s, like: false);
                builder.Append('\'');
                return;
            case char c:
                AppendLiteral(builder, c.ToString(), allowCollection);
                return;
            case SoqlLikePattern like:
                like.AppendTo(builder);
                return;
            case SoqlIdentifier identifier:
                builder.Append(identifier.Name);
                return;
            case bool b:
                builder.Append(b ? "true" : "false");
                return;
            case DateOnly date:
                builder.Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset dto:
                AppendDateTime(builder, dto);
                return;
            case DateTime dt:
                if (dt.Kind == DateTimeKind.Unspecified)
                {
                    throw new ArgumentException(
                        "A DateTime with DateTimeKind.Unspecified has no known instant; pass a DateTimeOffset, a UTC DateTime, or a DateOnly.");
                }

                AppendDateTime(builder, new DateTimeOffset(dt.ToUniversalTime(), TimeSpan.Zero));
                return;
            case Guid g:
                AppendLiteral(builder, g.ToString("D"), allowCollection);
                return;
            case Enum e:
                AppendLiteral(builder, e.ToString(), allowCollection);
                return;
            case double d when !double.IsFinite(d):
            case float f when !float.IsFinite(f):
                throw new ArgumentException("NaN and infinity have no SOQL literal.");
            case byte or sbyte or short or ushort or int or uint or long or ulong or decimal or double or float:
                builder.Append(((IFormattable)value).ToString(value is double or float ? "R" : null, CultureInfo.InvariantCulture));
                return;
            case IEnumerable items when allowCollection:
                AppendList(builder, items);
                return;
            case IEnumerable:
                throw new ArgumentException("Collections cannot be nested in a SOQL literal.");
            default:
                throw new ArgumentException(
                    $"A {value.GetType().Name} has no SOQL literal form; pass a string, number, bool, DateOnly, DateTimeOffset, DateTime, Guid, enum or a collection of them.");
        }
    }

    private static void AppendList(StringBuilder builder, IEnumerable items)
    {
        builder.Append('(');
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            AppendLiteral(builder, item, allowCollection: false);
            first = false;
        }

        if (first)
        {
            throw new ArgumentException("An empty collection has no SOQL form: IN () is not valid SOQL. Skip the condition instead.");
        }

        builder.Append(')');
    }

    private static void AppendDateTime(StringBuilder builder, DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        builder.Append(utc.ToString(utc.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]{0,79}(\.[A-Za-z][A-Za-z0-9_]{0,79}){0,5}\z")]
    private static partial Regex IdentifierPattern();

    /// <summary>Text already made safe, passed through string.Format untouched.</summary>
    private sealed class Verbatim(string text) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) => text;

        public override string ToString() => text;
    }
}

/// <summary>A LIKE pattern with the value's own <c>%</c> and <c>_</c> escaped; made by <see cref="Soql.StartsWith(string)"/> and its siblings.</summary>
public readonly struct SoqlLikePattern
{
    private readonly string _value;
    private readonly bool _leading;
    private readonly bool _trailing;

    internal SoqlLikePattern(string value, bool leading, bool trailing)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
        _leading = leading;
        _trailing = trailing;
    }

    internal void AppendTo(StringBuilder builder)
    {
        builder.Append('\'');
        if (_leading)
        {
            builder.Append('%');
        }

        Soql.AppendEscaped(builder, _value ?? string.Empty, like: true);
        if (_trailing)
        {
            builder.Append('%');
        }

        builder.Append('\'');
    }

    /// <summary>The quoted pattern, for example <c>'Acme\_%'</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }
}

/// <summary>A checked field or object name; made by <see cref="Soql.Identifier(string)"/>.</summary>
public readonly struct SoqlIdentifier
{
    internal SoqlIdentifier(string name) => Name = name;

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override string ToString() => Name ?? string.Empty;
}
