using System.Globalization;
using System.Text;

namespace Atom.Salesforce.Client.Analytics.Duplicates;

/// <summary>
/// Brings names, web domains, e-mail addresses and phone numbers to one spelling, so that "Crème Brûlée, Inc." and
/// "creme brulee incorporated", or "+1 (415) 555-0100" and "415.555.0100", compare equal.
/// </summary>
internal static class RecordNormalizer
{
    /// <summary>Legal-form words dropped from the end of a company name (after punctuation is gone, so "L.L.C." is "llc").</summary>
    private static readonly HashSet<string> CompanySuffixes = new(StringComparer.Ordinal)
    {
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "company", "plc", "gmbh",
        "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "ab", "as", "asa", "oy", "pty", "pte", "kk", "holdings",
        "group", "the",
    };

    /// <summary>
    /// Free e-mail providers: an address there says nothing about the company, so its domain is neither a blocking key nor
    /// a match.
    /// </summary>
    private static readonly HashSet<string> FreeMailDomains = new(StringComparer.Ordinal)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "hotmail.com",
        "hotmail.co.uk", "hotmail.fr", "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com",
        "protonmail.com", "proton.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "yandex.ru", "yandex.com",
        "qq.com", "163.com", "126.com", "zoho.com", "fastmail.com", "orange.fr", "free.fr", "libero.it", "t-online.de",
    };

    /// <summary>
    /// Two-digit ITU country codes; any other code starts with 1 or 7 (one digit) or is three digits long. Enough to strip
    /// the country code from an international number without a numbering-plan library.
    /// </summary>
    private static readonly HashSet<int> TwoDigitCountryCodes =
    [
        20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63,
        64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
    ];

    /// <summary>
    /// Lower case, accents removed, "&amp;" as "and", apostrophes and dots dropped, every other run of punctuation or
    /// space one space; null when nothing is left.
    /// </summary>
    public static string? Text(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // Most names are ASCII: only the others pay for decomposing accents.
        var ascii = System.Text.Ascii.IsValid(value);
        var decomposed = ascii ? value : value.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (c is '\'' or '’' or '.' || (!ascii && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark))
            {
                continue; // an accent, or punctuation inside a word: O'Brien, L.L.C.
            }

            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                pendingSpace = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c == '&')
            {
                if (builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append("and");
                pendingSpace = true;
            }
            else
            {
                pendingSpace = true;
            }
        }

        if (!ascii)
        {
            // Letters with no decomposition (ß, ø, æ, ł) spelled out in ASCII.
            builder.Replace("ß", "ss").Replace("ø", "o").Replace("æ", "ae").Replace("œ", "oe").Replace("ł", "l").Replace("đ", "d");
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>
    /// A company name as <see cref="Text"/>, with legal-form words (Inc, LLC, Ltd, GmbH, Corporation, ...) and a leading
    /// "the" removed; the name itself is kept even when it is only such words.
    /// </summary>
    public static string? CompanyName(string? value)
    {
        var text = Text(value);
        if (text is null)
        {
            return null;
        }

        var tokens = text.Split(' ');
        var first = 0;
        var last = tokens.Length - 1;
        while (last > first && CompanySuffixes.Contains(tokens[last]))
        {
            last--;
        }

        if (last > first && tokens[first] == "the")
        {
            first++;
        }

        return string.Join(' ', tokens, first, last - first + 1);
    }

    /// <summary>A web site's host: lower case, without scheme, "www.", port, path or trailing dot; null when there is none.</summary>
    public static string? WebDomain(string? website)
    {
        if (string.IsNullOrWhiteSpace(website))
        {
            return null;
        }

        var host = website.Trim().ToLowerInvariant();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var end = host.IndexOfAny(['/', '?', '#', ':']);
        if (end >= 0)
        {
            host = host[..end];
        }

        var at = host.LastIndexOf('@');
        if (at >= 0)
        {
            host = host[(at + 1)..];
        }

        host = host.TrimEnd('.');
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        return host.Length == 0 || !host.Contains('.') ? null : host;
    }

    /// <summary>The domain of an e-mail address, or null when there is none or it belongs to a free e-mail provider.</summary>
    public static string? CompanyEmailDomain(string? email)
    {
        var normalized = Email(email);
        if (normalized is null)
        {
            return null;
        }

        var domain = WebDomain(normalized[(normalized.LastIndexOf('@') + 1)..]);
        return domain is null || IsFreeMail(domain) ? null : domain;
    }

    /// <summary>True for the domains of free e-mail providers (gmail.com, outlook.com, ...).</summary>
    public static bool IsFreeMail(string domain) => FreeMailDomains.Contains(domain);

    /// <summary>An e-mail address trimmed and in lower case; null unless it has text on both sides of one "@".</summary>
    public static string? Email(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var trimmed = email.Trim().ToLowerInvariant();
        var at = trimmed.IndexOf('@');
        return at > 0 && at == trimmed.LastIndexOf('@') && at < trimmed.Length - 1 ? trimmed : null;
    }

    /// <summary>
    /// A phone number's national digits: digits only, an international prefix (+ or 00) and its country code removed,
    /// a national trunk 0 removed, and the 1 of an 11-digit North American number removed. Null with fewer than 7 digits
    /// left (an extension or a typo, not a number to match on).
    /// </summary>
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var trimmed = phone.AsSpan().Trim();
        // An extension is not part of the number.
        var extension = trimmed.IndexOfAny("xX#");
        if (extension > 0)
        {
            trimmed = trimmed[..extension];
        }

        var digits = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }

        var number = digits.ToString();
        var international = trimmed.Length > 0 && trimmed[0] == '+';
        if (!international && number.StartsWith("00", StringComparison.Ordinal))
        {
            international = true;
            number = number[2..];
        }

        if (international && number.Length > 0)
        {
            number = number[CountryCodeLength(number)..];
            if (number.StartsWith('0'))
            {
                number = number[1..]; // "+44 (0)20 ...": the trunk 0 written in brackets
            }
        }
        else if (number.Length == 11 && number[0] == '1')
        {
            number = number[1..];
        }
        else if (number.StartsWith('0'))
        {
            number = number[1..];
        }

        return number.Length >= 7 ? number : null;
    }

    private static int CountryCodeLength(string digits)
    {
        if (digits[0] is '1' or '7')
        {
            return 1;
        }

        if (digits.Length >= 2 && TwoDigitCountryCodes.Contains(((digits[0] - '0') * 10) + (digits[1] - '0')))
        {
            return 2;
        }

        return Math.Min(3, digits.Length);
    }
}
