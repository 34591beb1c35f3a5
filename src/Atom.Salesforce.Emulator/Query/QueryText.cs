namespace Atom.Salesforce.Emulator.Query;

/// <summary>Scans SOQL and SOSL text for words outside string literals, for error carets and for splitting RETURNING items.</summary>
internal static class QueryText
{
    /// <summary>Where the first of <paramref name="words"/> starts as a whole word outside quotes, case-insensitively; -1 if nowhere.</summary>
    public static int IndexOfWord(string text, params string[] words)
    {
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '\'')
                {
                    quoted = false;
                }

                continue;
            }

            if (c == '\'')
            {
                quoted = true;
                continue;
            }

            if ((i == 0 || !IsWordChar(text[i - 1])) && words.Any(w => StartsWord(text, i, w)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether <paramref name="word"/> starts at <paramref name="at"/> and ends at a word boundary, case-insensitively.</summary>
    public static bool StartsWord(string text, int at, string word) =>
        at + word.Length <= text.Length
        && string.Compare(text, at, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (at + word.Length == text.Length || !IsWordChar(text[at + word.Length]));

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
