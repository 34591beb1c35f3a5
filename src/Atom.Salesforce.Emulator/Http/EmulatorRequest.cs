using System.Text.Json;
using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Http;

/// <summary>A request to the emulated org, whether it came through Kestrel or the in-process handler.</summary>
internal sealed class EmulatorRequest
{
    public EmulatorRequest(string method, string path, string queryString, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Method = method.ToUpperInvariant();
        Path = path;
        QueryString = queryString;
        Headers = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        Body = body;
        Query = ParseQuery(queryString);
    }

    public string Method { get; }

    /// <summary>The path, percent-decoded segment by segment by the router.</summary>
    public string Path { get; }

    /// <summary>The raw query string, without the leading '?'.</summary>
    public string QueryString { get; }

    public IReadOnlyDictionary<string, string> Query { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public string? QueryValue(string name) => Query.GetValueOrDefault(name);

    /// <summary>The token of an <c>Authorization: Bearer</c> (or <c>OAuth</c>) header, or null.</summary>
    public string? BearerToken()
    {
        var header = Header("Authorization");
        if (header is null)
        {
            return null;
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return null;
        }

        var scheme = header[..space];
        return scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || scheme.Equals("OAuth", StringComparison.OrdinalIgnoreCase)
            ? header[(space + 1)..].Trim()
            : null;
    }

    /// <summary>The body as JSON, or 400 JSON_PARSER_ERROR as Salesforce answers malformed JSON.</summary>
    public JsonElement ReadJson()
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ApiException(400, "JSON_PARSER_ERROR", $"Unexpected character or end of input at [line:{(e.LineNumber ?? 0) + 1}, column:{(e.BytePositionInLine ?? 0) + 1}]");
        }
    }

    /// <summary>Form fields of an <c>application/x-www-form-urlencoded</c> body.</summary>
    public IReadOnlyDictionary<string, string> ReadForm() => ParseQuery(System.Text.Encoding.UTF8.GetString(Body));

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            values.TryAdd(name, value);
        }

        return values;
    }
}
