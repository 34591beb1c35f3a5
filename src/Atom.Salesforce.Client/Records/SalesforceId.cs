using System.Diagnostics.CodeAnalysis;

namespace Atom.Salesforce.Client.Records;

/// <summary>
/// A Salesforce record id. Salesforce writes an id in two forms: 15 case-sensitive letters and digits (the user interface),
/// or 18 (the API), where the last 3 characters encode which of the first 15 are upper-case so that the id survives
/// case-insensitive tools. Both forms of one record parse to equal values; <see cref="ToString"/> gives the 18-character form.
/// </summary>
/// <remarks>
/// The first 3 characters are the object's key prefix (<c>001</c> Account, <c>003</c> Contact, <c>00Q</c> Lead). An 18-character
/// id is checked: its suffix must match its first 15 characters, so a mistyped or wrongly re-cased id is refused rather than
/// naming another record.
/// </remarks>
public readonly struct SalesforceId : IEquatable<SalesforceId>
{
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private readonly string? _value;

    private SalesforceId(string caseSafe) => _value = caseSafe;

    /// <summary>The object's key prefix: the first 3 characters (<c>001</c> for an account).</summary>
    public string KeyPrefix => Value[..3];

    /// <summary>The 18-character, case-safe form (what the API returns). Empty for <c>default(SalesforceId)</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Parses a 15- or 18-character id.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="FormatException">Not 15 or 18 letters and digits, or an 18-character id whose suffix does not match.</exception>
    public static SalesforceId Parse(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return TryParse(id, out var parsed)
            ? parsed
            : throw new FormatException($"'{(id.Length > 40 ? id[..40] + "…" : id)}' is not a Salesforce id: 15 or 18 letters and digits, the last 3 of 18 matching the first 15.");
    }

    /// <summary>Parses a 15- or 18-character id; false for anything else, or an 18-character id whose suffix does not match.</summary>
    public static bool TryParse([NotNullWhen(true)] string? id, out SalesforceId result)
    {
        result = default;
        if (id is null || id.Length is not (15 or 18))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        Span<char> caseSafe = stackalloc char[18];
        id.AsSpan(0, 15).CopyTo(caseSafe);
        WriteSuffix(caseSafe);
        if (id.Length == 18 && !id.AsSpan(15).Equals(caseSafe[15..], StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        result = new SalesforceId(new string(caseSafe));
        return true;
    }

    /// <summary>The 18-character, case-safe form of a 15- or 18-character id (Salesforce's <c>CASESAFEID</c>).</summary>
    /// <exception cref="FormatException">Not an id; see <see cref="Parse"/>.</exception>
    public static string ToCaseSafe(string id) => Parse(id).Value;

    /// <summary>The 15-character, case-sensitive form.</summary>
    public string To15() => Value.Length == 0 ? string.Empty : Value[..15];

    /// <summary>The 18-character, case-safe form.</summary>
    public override string ToString() => Value;

    /// <summary>
    /// True when both name the same record. The 18-character forms are compared ignoring case, as Salesforce compares them
    /// (their suffix carries the case of the first 15 characters, so ids differing only in case stay different).
    /// </summary>
    public bool Equals(SalesforceId other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SalesforceId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>True when both name the same record.</summary>
    public static bool operator ==(SalesforceId left, SalesforceId right) => left.Equals(right);

    /// <summary>True when they name different records.</summary>
    public static bool operator !=(SalesforceId left, SalesforceId right) => !left.Equals(right);

    /// <summary>For each block of 5 of the first 15 characters, the bits of its upper-case letters as one of A–Z, 0–5.</summary>
    private static void WriteSuffix(Span<char> id)
    {
        for (var block = 0; block < 3; block++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                bits |= char.IsAsciiLetterUpper(id[(block * 5) + i]) ? 1 << i : 0;
            }

            id[15 + block] = SuffixAlphabet[bits];
        }
    }
}
