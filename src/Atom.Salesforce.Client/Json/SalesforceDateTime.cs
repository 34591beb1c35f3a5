using System.Globalization;

namespace Atom.Salesforce.Client.Json;

/// <summary>
/// Salesforce's date and time wire formats. Datetimes are written as <c>2025-01-31T10:00:00.000+0000</c> (UTC, milliseconds,
/// no colon in the offset) and read in every form Salesforce accepts or sends: <c>Z</c>, <c>+0000</c>, <c>+00:00</c>, with or
/// without fractional seconds. Parsing works on UTF-8 bytes without allocating.
/// </summary>
internal static class SalesforceDateTime
{
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'+0000'";
    public const string DateFormat = "yyyy-MM-dd";
    public const string TimeFormat = "HH:mm:ss.fff'Z'";

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Writes the 28 bytes of <see cref="DateTimeFormat"/> into <paramref name="destination"/>.</summary>
    public static int Format(DateTimeOffset value, Span<byte> destination)
    {
        var utc = value.UtcDateTime;
        Write4(destination, 0, utc.Year);
        destination[4] = (byte)'-';
        Write2(destination, 5, utc.Month);
        destination[7] = (byte)'-';
        Write2(destination, 8, utc.Day);
        destination[10] = (byte)'T';
        Write2(destination, 11, utc.Hour);
        destination[13] = (byte)':';
        Write2(destination, 14, utc.Minute);
        destination[16] = (byte)':';
        Write2(destination, 17, utc.Second);
        destination[19] = (byte)'.';
        var ms = utc.Millisecond;
        destination[20] = (byte)('0' + ms / 100);
        destination[21] = (byte)('0' + ms / 10 % 10);
        destination[22] = (byte)('0' + ms % 10);
        "+0000"u8.CopyTo(destination[23..]);
        return 28;
    }

    public static bool TryParseDateTime(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 19 || !TryParseDate(s[..10], out var date) || s[10] != 'T'
            || !TryDigits2(s, 11, out var hour) || s[13] != ':' || !TryDigits2(s, 14, out var minute) || s[16] != ':'
            || !TryDigits2(s, 17, out var second))
        {
            return false;
        }

        var i = 19;
        long fractionTicks = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var start = i;
            long scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && IsDigit(s[i]))
            {
                scale /= 10;
                fractionTicks += (s[i] - '0') * scale;
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        TimeSpan offset;
        var rest = s[i..];
        if (rest.Length == 1 && (rest[0] == 'Z' || rest[0] == 'z'))
        {
            offset = TimeSpan.Zero;
        }
        else if (rest.Length is 5 or 6 && (rest[0] == '+' || rest[0] == '-'))
        {
            var colon = rest.Length == 6;
            if ((colon && rest[3] != ':') || !TryDigits2(rest, 1, out var oh) || !TryDigits2(rest, colon ? 4 : 3, out var om)
                || oh > 14 || om > 59)
            {
                return false;
            }

            offset = new TimeSpan(oh, om, 0);
            if (rest[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        try
        {
            var ticks = date.ToDateTime(new TimeOnly(hour, minute, second)).Ticks + fractionTicks;
            value = new DateTimeOffset(ticks, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    public static bool TryParseDate(ReadOnlySpan<byte> s, out DateOnly value)
    {
        value = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-'
            || !TryDigits2(s, 0, out var century) || !TryDigits2(s, 2, out var yearOfCentury)
            || !TryDigits2(s, 5, out var month) || !TryDigits2(s, 8, out var day))
        {
            return false;
        }

        var year = century * 100 + yearOfCentury;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        value = new DateOnly(year, month, day);
        return true;
    }

    public static bool TryParseTime(ReadOnlySpan<byte> s, out TimeOnly value)
    {
        value = default;
        if (s.Length > 0 && (s[^1] == 'Z' || s[^1] == 'z'))
        {
            s = s[..^1];
        }

        if (s.Length < 8 || !TryDigits2(s, 0, out var h) || s[2] != ':' || !TryDigits2(s, 3, out var m) || s[5] != ':'
            || !TryDigits2(s, 6, out var sec) || h > 23 || m > 59 || sec > 59)
        {
            return false;
        }

        long fraction = 0;
        if (s.Length > 8)
        {
            if (s[8] != '.' || s.Length == 9)
            {
                return false;
            }

            long scale = TimeSpan.TicksPerSecond;
            for (var i = 9; i < s.Length; i++)
            {
                if (!IsDigit(s[i]))
                {
                    return false;
                }

                scale /= 10;
                fraction += (s[i] - '0') * scale;
            }
        }

        value = new TimeOnly(new TimeOnly(h, m, sec).Ticks + fraction);
        return true;
    }

    private static bool TryDigits2(ReadOnlySpan<byte> s, int at, out int value)
    {
        value = 0;
        if (at + 1 >= s.Length || !IsDigit(s[at]) || !IsDigit(s[at + 1]))
        {
            return false;
        }

        value = (s[at] - '0') * 10 + (s[at + 1] - '0');
        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static void Write2(Span<byte> d, int at, int v)
    {
        d[at] = (byte)('0' + v / 10);
        d[at + 1] = (byte)('0' + v % 10);
    }

    private static void Write4(Span<byte> d, int at, int v)
    {
        d[at] = (byte)('0' + v / 1000);
        d[at + 1] = (byte)('0' + v / 100 % 10);
        d[at + 2] = (byte)('0' + v / 10 % 10);
        d[at + 3] = (byte)('0' + v % 10);
    }
}
