using System.Globalization;
using System.Text;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>
/// SOSL (reference §6.8): <c>FIND {term} [IN ALL|NAME|EMAIL|PHONE|SIDEBAR FIELDS] [RETURNING Obj(fields WHERE ... ORDER BY
/// ... LIMIT n), ...] [WITH ...] [LIMIT n]</c>, answered as <c>{"searchRecords":[...]}</c>. Words match whole words of the
/// searched fields, case-insensitively; <c>*</c> and <c>?</c> are wildcards, quotes make a phrase, and AND, OR and
/// AND NOT combine terms. Each RETURNING item runs as a SOQL query over the records that match.
/// </summary>
internal static class SoslSearch
{
    private const int MaxLimit = 2000;

    private static readonly string[] ClauseWords = ["WHERE", "ORDER", "LIMIT", "OFFSET", "USING"];

    public static EmulatorResponse Run(Org org, string? sosl, string versionPath)
    {
        var search = Parse(sosl);
        var found = new List<(Selection Selection, Row Row)>();
        foreach (var target in search.Targets)
        {
            var obj = org.Schema.Find(target.Object) ?? throw new ApiException(400, "INVALID_TYPE", $"sObject type '{target.Object}' is not supported.");
            var fields = SearchedFields(obj, search.Scope);
            var soql = $"SELECT {target.Fields} FROM {target.Object} {target.Clauses}".TrimEnd();
            QueryResultSet result;
            try
            {
                var query = QueryCompiler.Parse(soql);
                result = QueryCompiler.Run(org, query, soql, includeDeleted: false, userId: null, r => search.Term.Matches(r, fields));
            }
            catch (ApiException e) when (e.Errors.Count == 1 && e.Errors[0].ErrorCode == "MALFORMED_QUERY")
            {
                throw Malformed(e.Errors[0].Message);
            }

            if (result.Selection is null)
            {
                throw Malformed($"Aggregate functions are not allowed in RETURNING {target.Object}");
            }

            found.AddRange(result.Rows.Select(r => (result.Selection, r)));
        }

        return EmulatorResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("searchRecords");
            foreach (var (selection, row) in found.Take(search.Limit))
            {
                selection.Write(w, row, versionPath);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static ApiException Malformed(string message) => new(400, "MALFORMED_SEARCH", message);

    private static IReadOnlyList<FieldDefinition> SearchedFields(ObjectSchema obj, string scope)
    {
        bool IsName(FieldDefinition f) => f.NameField || f.Name is "FirstName" or "LastName";
        return [.. obj.Fields.Where(f => scope switch
        {
            "NAME" or "SIDEBAR" => IsName(f),
            "EMAIL" => f.Type == FieldType.Email,
            "PHONE" => f.Type == FieldType.Phone,
            _ => IsName(f) || f.Type is FieldType.String or FieldType.Email or FieldType.Phone or FieldType.Url || (f.Type == FieldType.TextArea && !Values.IsLongText(f)),
        })];
    }

    private sealed record Target(string Object, string Fields, string Clauses);

    private sealed record Search(SearchTerm Term, string Scope, IReadOnlyList<Target> Targets, int Limit);

    private static Search Parse(string? sosl)
    {
        var text = (sosl ?? string.Empty).Trim();
        if (text.Length > 100_000)
        {
            throw Malformed("Search statement is too long: at most 100,000 characters are allowed");
        }

        var reader = new Reader(text);
        if (!reader.Keyword("FIND"))
        {
            throw Malformed(text.Length == 0 ? "No search term found. The search term must be enclosed in braces." : $"unexpected token: '{reader.Word()}'");
        }

        var term = reader.Braced() ?? throw Malformed("No search term found. The search term must be enclosed in braces.");
        var scope = "ALL";
        var targets = new List<Target>();
        var limit = MaxLimit;
        while (!reader.End)
        {
            if (reader.Keyword("IN"))
            {
                scope = reader.Word().ToUpperInvariant();
                if (scope is not ("ALL" or "NAME" or "EMAIL" or "PHONE" or "SIDEBAR") || !reader.Keyword("FIELDS"))
                {
                    throw Malformed($"unexpected token: '{scope}'");
                }
            }
            else if (reader.Keyword("RETURNING"))
            {
                do
                {
                    var name = reader.Word();
                    if (name.Length == 0)
                    {
                        throw Malformed("RETURNING needs an object name");
                    }

                    targets.Add(Returning(name, reader.Parenthesized()));
                }
                while (reader.Comma());
            }
            else if (reader.Keyword("WITH"))
            {
                // WITH SNIPPET, DIVISION, DATA CATEGORY, NETWORK, ...: nothing to filter on in the emulated org.
                reader.SkipUntil("LIMIT", "UPDATE", "RETURNING", "IN");
            }
            else if (reader.Keyword("LIMIT"))
            {
                if (!int.TryParse(reader.Word(), NumberStyles.None, CultureInfo.InvariantCulture, out limit))
                {
                    throw Malformed("LIMIT needs a number");
                }

                limit = Math.Min(limit, MaxLimit);
            }
            else if (reader.Keyword("UPDATE"))
            {
                reader.Word();
            }
            else
            {
                throw Malformed($"unexpected token: '{reader.Word()}'");
            }
        }

        if (targets.Count == 0)
        {
            targets.AddRange(SearchableObjects.Select(o => new Target(o, "Id", string.Empty)));
        }

        return new Search(SearchTerm.Parse(term), scope, targets, limit);
    }

    /// <summary>Without RETURNING, the objects a global search covers.</summary>
    private static readonly string[] SearchableObjects = ["Account", "Contact", "Lead", "Opportunity", "Campaign", "User"];

    /// <summary><c>Account(Id, Name WHERE Industry = 'Energy' ORDER BY Name LIMIT 5)</c> as the parts of a SOQL query.</summary>
    private static Target Returning(string name, string? inside)
    {
        if (string.IsNullOrWhiteSpace(inside))
        {
            return new Target(name, "Id", string.Empty);
        }

        var at = ClauseStart(inside);
        var fields = inside[..at].Trim();
        return new Target(name, fields.Length == 0 ? "Id" : fields, inside[at..].Trim());
    }

    /// <summary>Where the first WHERE / ORDER BY / LIMIT / OFFSET starts outside quotes, or the end.</summary>
    private static int ClauseStart(string text) => QueryText.IndexOfWord(text, ClauseWords) is var at and >= 0 ? at : text.Length;

    /// <summary>A forgiving cursor over the statement: words, the braced term, parenthesized RETURNING items.</summary>
    private sealed class Reader(string text)
    {
        private int _at;

        public bool End
        {
            get
            {
                SkipSpace();
                return _at >= text.Length;
            }
        }

        public bool Keyword(string word)
        {
            SkipSpace();
            if (QueryText.StartsWord(text, _at, word))
            {
                _at += word.Length;
                return true;
            }

            return false;
        }

        public string Word()
        {
            SkipSpace();
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] is '_' or '.'))
            {
                _at++;
            }

            if (start == _at && _at < text.Length)
            {
                _at++;
            }

            return text[start.._at];
        }

        public bool Comma()
        {
            SkipSpace();
            if (_at < text.Length && text[_at] == ',')
            {
                _at++;
                return true;
            }

            return false;
        }

        /// <summary>The text between braces, with <c>\}</c> allowed inside; null when the next thing is not a brace.</summary>
        public string? Braced()
        {
            SkipSpace();
            if (_at >= text.Length || text[_at] != '{')
            {
                return null;
            }

            var term = new StringBuilder();
            for (_at++; _at < text.Length; _at++)
            {
                var c = text[_at];
                if (c == '\\' && _at + 1 < text.Length)
                {
                    term.Append(c).Append(text[++_at]);
                }
                else if (c == '}')
                {
                    _at++;
                    return term.ToString();
                }
                else
                {
                    term.Append(c);
                }
            }

            throw Malformed("Missing '}' at the end of the search term");
        }

        /// <summary>The text inside balanced parentheses (quotes respected), or null when none follow.</summary>
        public string? Parenthesized()
        {
            SkipSpace();
            if (_at >= text.Length || text[_at] != '(')
            {
                return null;
            }

            var start = ++_at;
            var depth = 1;
            var quoted = false;
            for (; _at < text.Length; _at++)
            {
                var c = text[_at];
                if (quoted)
                {
                    if (c == '\\')
                    {
                        _at++;
                    }
                    else if (c == '\'')
                    {
                        quoted = false;
                    }
                }
                else if (c == '\'')
                {
                    quoted = true;
                }
                else if (c == '(')
                {
                    depth++;
                }
                else if (c == ')' && --depth == 0)
                {
                    return text[start.._at++];
                }
            }

            throw Malformed("Missing ')' in RETURNING");
        }

        public void SkipUntil(params string[] words)
        {
            while (!End && !words.Any(w => QueryText.StartsWord(text, _at, w)))
            {
                if (text[_at] == '\'')
                {
                    var close = text.IndexOf('\'', _at + 1);
                    _at = close < 0 ? text.Length : close + 1;
                }
                else
                {
                    Word();
                }
            }
        }

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }
    }
}

/// <summary>
/// A search term: alternatives joined by OR, each a set of phrases that must all match (AND, or just a space) or must not
/// (AND NOT). A phrase is one or more words that must follow each other in one field.
/// </summary>
internal sealed class SearchTerm
{
    private readonly List<List<(bool Negated, string[] Words)>> _alternatives;

    private SearchTerm(List<List<(bool Negated, string[] Words)>> alternatives) => _alternatives = alternatives;

    public static SearchTerm Parse(string term)
    {
        var alternatives = new List<List<(bool, string[])>> { new() };
        var negate = false;
        foreach (var (token, quoted) in Tokens(term))
        {
            if (!quoted && token.Equals("OR", StringComparison.OrdinalIgnoreCase))
            {
                alternatives.Add([]);
                negate = false;
            }
            else if (!quoted && token.Equals("AND", StringComparison.OrdinalIgnoreCase))
            {
                negate = false;
            }
            else if (!quoted && token.Equals("NOT", StringComparison.OrdinalIgnoreCase))
            {
                negate = true;
            }
            else if (Words(token) is { Length: > 0 } words)
            {
                alternatives[^1].Add((negate, words));
                negate = false;
            }
        }

        alternatives.RemoveAll(a => !a.Any(p => !p.Item1));
        var significant = alternatives.SelectMany(a => a).SelectMany(p => p.Item2).Sum(w => w.Count(c => c is not ('*' or '?')));
        if (alternatives.Count == 0 || significant < 2)
        {
            throw new ApiException(400, "MALFORMED_SEARCH", "search term must be longer than one character");
        }

        return new SearchTerm(alternatives);
    }

    public bool Matches(StoredRecord record, IReadOnlyList<FieldDefinition> fields)
    {
        var texts = fields.Select(f => record[f.Name] as string).OfType<string>().Select(Words).ToList();
        return _alternatives.Any(all => all.All(p => p.Negated != texts.Any(t => Contains(t, p.Words))));
    }

    private static bool Contains(string[] text, string[] phrase)
    {
        for (var start = 0; start + phrase.Length <= text.Length; start++)
        {
            var all = true;
            for (var i = 0; i < phrase.Length && all; i++)
            {
                all = Wildcard(text[start + i], phrase[i]);
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>*</c> any run of characters, <c>?</c> one; both sides already lower-case.</summary>
    private static bool Wildcard(string word, string pattern)
    {
        int i = 0, j = 0, star = -1, mark = 0;
        while (i < word.Length)
        {
            if (j < pattern.Length && (pattern[j] == '?' || pattern[j] == word[i]))
            {
                i++;
                j++;
            }
            else if (j < pattern.Length && pattern[j] == '*')
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

        while (j < pattern.Length && pattern[j] == '*')
        {
            j++;
        }

        return j == pattern.Length;
    }

    /// <summary>Words of a text, lower-cased: runs of letters, digits and the wildcards.</summary>
    private static string[] Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '*' or '?')
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return [.. words];
    }

    /// <summary>The term's tokens: quoted phrases whole, other text split on spaces and parentheses; backslash escapes undone.</summary>
    private static IEnumerable<(string Token, bool Quoted)> Tokens(string term)
    {
        var token = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < term.Length; i++)
        {
            var c = term[i];
            if (c == '\\' && i + 1 < term.Length)
            {
                token.Append(term[++i]);
            }
            else if (c == '"')
            {
                if (quoted || token.Length > 0)
                {
                    yield return (token.ToString(), quoted);
                    token.Clear();
                }

                quoted = !quoted;
            }
            else if (!quoted && (char.IsWhiteSpace(c) || c is '(' or ')'))
            {
                if (token.Length > 0)
                {
                    yield return (token.ToString(), false);
                    token.Clear();
                }
            }
            else
            {
                token.Append(c);
            }
        }

        if (token.Length > 0)
        {
            yield return (token.ToString(), quoted);
        }
    }
}
