using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Caching;

/// <summary>
/// A query result as the cache keeps it: each page's JSON exactly as Salesforce returned it (read back into the caller's
/// record type on a hit, so one entry serves every record type), or the mark that the result was too large to keep.
/// </summary>
internal sealed class CachedQuery
{
    public static readonly CachedQuery TooLargeMark = new() { TooLarge = true };

    [JsonPropertyName("pages")]
    public List<byte[]> Pages { get; init; } = [];

    [JsonPropertyName("tooLarge")]
    public bool TooLarge { get; init; }

    /// <summary>The <c>done</c> and <c>nextRecordsUrl</c> of one query page, read without reading its records.</summary>
    public static (bool Done, string? NextRecordsUrl) ReadPaging(ReadOnlySpan<byte> page)
    {
        var reader = new Utf8JsonReader(page);
        bool done = true;
        string? next = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A query page is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("done"u8))
            {
                reader.Read();
                done = reader.TokenType != JsonTokenType.False;
            }
            else if (reader.ValueTextEquals("nextRecordsUrl"u8))
            {
                reader.Read();
                next = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (done || next is null, next);
    }

    /// <summary>
    /// The sObject type a SOQL statement queries: the name after its outermost <c>FROM</c> (not one inside a subquery or a
    /// string literal); null when there is none. Cheap enough to run on every cache hit.
    /// </summary>
    public static string? FromObject(string soql)
    {
        var depth = 0;
        for (var i = 0; i < soql.Length; i++)
        {
            var c = soql[i];
            if (c == '\'')
            {
                // Skip the literal, escapes included.
                for (i++; i < soql.Length && soql[i] != '\''; i++)
                {
                    if (soql[i] == '\\')
                    {
                        i++;
                    }
                }

                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (depth == 0 && (c == 'F' || c == 'f') && i + 4 < soql.Length && (i == 0 || !IsNamePart(soql[i - 1]))
                && soql.AsSpan(i, 4).Equals("FROM", StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(soql[i + 4]))
            {
                var start = i + 4;
                while (start < soql.Length && char.IsWhiteSpace(soql[start]))
                {
                    start++;
                }

                var end = start;
                while (end < soql.Length && IsNamePart(soql[end]))
                {
                    end++;
                }

                return end > start ? soql[start..end] : null;
            }
        }

        return null;
    }

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}

/// <summary>Source-generated metadata of what the SDK keeps in a distributed cache (trimming and NativeAOT safe).</summary>
[JsonSerializable(typeof(CachedQuery))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
