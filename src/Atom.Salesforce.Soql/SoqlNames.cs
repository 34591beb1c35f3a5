namespace Atom.Salesforce.Soql;

/// <summary>Checks the names a syntax tree holds, so that no tree can print anything but a name where a name goes.</summary>
internal static partial class SoqlNames
{
    /// <summary>A Salesforce API name: letters, digits and underscores, starting with a letter.</summary>
    public static bool IsName(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > 255 || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    public static string RequireName(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        return IsName(name) ? name : throw new ArgumentException($"'{Excerpt(name)}' is not a SOQL name (letters, digits and underscores, starting with a letter).", parameterName);
    }

    public static string? RequireOptionalName(string? name, string parameterName) => name is null ? null : RequireName(name, parameterName);

    /// <summary>A dotted path of names: <c>Account.Owner.Name</c>.</summary>
    public static string RequirePath(string path, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(path, parameterName);
        var rest = path.AsSpan();
        while (true)
        {
            var dot = rest.IndexOf('.');
            if (!IsName(dot < 0 ? rest : rest[..dot]))
            {
                throw new ArgumentException($"'{Excerpt(path)}' is not a SOQL field path (names joined by dots).", parameterName);
            }

            if (dot < 0)
            {
                return path;
            }

            rest = rest[(dot + 1)..];
        }
    }

    /// <summary>An alias may be any name except the words SOQL reserves.</summary>
    public static string? RequireAlias(string? alias, string parameterName)
    {
        if (alias is null)
        {
            return null;
        }

        RequireName(alias, parameterName);
        return SoqlKeywords.IsReserved(alias)
            ? throw new ArgumentException($"'{alias}' is a reserved SOQL word and cannot be an alias.", parameterName)
            : alias;
    }

    public static string Excerpt(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    public static SoqlList<T> RequireNonEmpty<T>(SoqlList<T> list, string parameterName, string what)
    {
        ArgumentNullException.ThrowIfNull(list, parameterName);
        return list.Count > 0 ? list : throw new ArgumentException($"{what} needs at least one item.", parameterName);
    }
}

/// <summary>
/// The words SOQL reserves (reference §6.1): they cannot be aliases or field names. Other clause words (ORDER, OFFSET, FOR,
/// UPDATE, ...) are keywords only where a clause can start, so <c>FROM Account OFFSET</c> names an alias.
/// </summary>
internal static class SoqlKeywords
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "AND", "ASC", "DESC", "EXCLUDES", "FIRST", "FROM", "GROUP", "HAVING", "IN", "INCLUDES", "LAST", "LIKE", "LIMIT", "NOT",
        "NULL", "NULLS", "OR", "SELECT", "USING", "WHERE", "WITH",
        // Not in Salesforce's list, but `FROM Account FOR` is refused (corpus i0028): FOR is never a name.
        "FOR",
    };

    public static bool IsReserved(string word) => Reserved.Contains(word);

#if NET9_0_OR_GREATER
    public static bool IsReserved(ReadOnlySpan<char> word) => Reserved.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
#else
    public static bool IsReserved(ReadOnlySpan<char> word) => Reserved.Contains(word.ToString());
#endif
}
