using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// The one place where an error response becomes an exception. Understands Salesforce's JSON error array,
/// a single error object, the 300 list of candidate URLs, OAuth's error form, the XML error document and
/// anything else (an HTML page from a proxy or a deleted org) without ever failing to parse.
/// </summary>
internal static partial class ErrorResponseMapper
{
    private const int MaxBodyChars = 64 * 1024;
    private const int MaxExcerptChars = 300;

    public static async Task<SalesforceApiException> CreateAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        return Create(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, CopyAllowedHeaders(response));
    }

    public static SalesforceApiException Create(
        HttpStatusCode status, string body, string? mediaType, IReadOnlyDictionary<string, string> headers)
    {
        if (status == HttpStatusCode.MultipleChoices && TryParseUrlList(body) is { } urls)
        {
            return new SalesforceMultipleMatchesException(urls, headers);
        }

        var errors = ParseErrors(body, mediaType, status);
        var isLimit = status == HttpStatusCode.TooManyRequests
            || errors.Any(e => e.ErrorCode == SalesforceError.Codes.RequestLimitExceeded);
        return isLimit
            ? new SalesforceRateLimitException(status, errors, headers, ParseRetryAfter(headers))
            : new SalesforceApiException(status, errors, headers);
    }

    internal static IReadOnlyList<SalesforceError> ParseErrors(string body, string? mediaType, HttpStatusCode status)
    {
        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.Length > 0 && (trimmed[0] == '[' || trimmed[0] == '{') && TryParseJsonErrors(body) is { } jsonErrors)
        {
            return jsonErrors;
        }

        if (trimmed.StartsWith("<") && TryParseXmlErrors(body) is { } xmlErrors)
        {
            return xmlErrors;
        }

        return [Unexpected(body, mediaType, status)];
    }

    private static List<SalesforceError>? TryParseJsonErrors(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var errors = new List<SalesforceError>();
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in root.EnumerateArray())
                {
                    if (FromObject(item) is { } error)
                    {
                        errors.Add(error);
                    }
                }
            }
            else if (root.ValueKind == JsonValueKind.Object && FromObject(root) is { } single)
            {
                errors.Add(single);
            }

            return errors.Count > 0 ? errors : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SalesforceError? FromObject(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        // REST errors use errorCode; per-record results use statusCode; OAuth uses error / error_description.
        var code = GetString(item, "errorCode") ?? GetString(item, "statusCode") ?? GetString(item, "error");
        var message = GetString(item, "message") ?? GetString(item, "error_description") ?? string.Empty;
        if (code is null)
        {
            return null;
        }

        var fields = new List<string>();
        if (item.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array)
        {
            foreach (var field in f.EnumerateArray())
            {
                if (field.ValueKind == JsonValueKind.String)
                {
                    fields.Add(field.GetString()!);
                }
            }
        }

        return new SalesforceError { ErrorCode = code, Message = message, Fields = fields };
    }

    private static string? GetString(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string>? TryParseUrlList(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var urls = new List<string>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                urls.Add(item.GetString()!);
            }

            return urls;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<SalesforceError>? TryParseXmlErrors(string body)
    {
        try
        {
            // No DTDs: an error page is no place for entity definitions.
            using var reader = System.Xml.XmlReader.Create(
                new StringReader(body), new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null });
            var document = XDocument.Load(reader, LoadOptions.None);
            var errors = document.Descendants()
                .Where(e => e.Name.LocalName == "Error")
                .Select(e => new SalesforceError
                {
                    ErrorCode = e.Elements().FirstOrDefault(c => c.Name.LocalName == "errorCode")?.Value ?? SalesforceError.Codes.UnexpectedResponse,
                    Message = e.Elements().FirstOrDefault(c => c.Name.LocalName == "message")?.Value ?? string.Empty,
                    Fields = e.Elements().Where(c => c.Name.LocalName == "fields").Select(c => c.Value).ToList(),
                })
                .ToList();
            return errors.Count > 0 ? errors : null;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static SalesforceError Unexpected(string body, string? mediaType, HttpStatusCode status)
    {
        var kind = string.IsNullOrEmpty(mediaType) ? "a body without a content type"
            : "aeiou".Contains(char.ToLowerInvariant(mediaType[0]), StringComparison.Ordinal) ? $"an {mediaType} body" : $"a {mediaType} body";
        var excerpt = Excerpt(body);
        var message = string.IsNullOrWhiteSpace(body)
            ? $"Salesforce returned {(int)status} with an empty body."
            : excerpt.Length == 0
                ? $"Salesforce returned {(int)status} with {kind} instead of a Salesforce error."
                : $"Salesforce returned {(int)status} with {kind} instead of a Salesforce error: \"{excerpt}\"";
        return new SalesforceError { ErrorCode = SalesforceError.Codes.UnexpectedResponse, Message = message };
    }

    /// <summary>The readable text of a body: tags and repeated whitespace removed, cut to a few hundred characters.</summary>
    private static string Excerpt(string body)
    {
        var text = TagPattern().Replace(body, " ");
        text = WhitespacePattern().Replace(text, " ").Trim();
        return text.Length <= MaxExcerptChars ? text : text[..MaxExcerptChars] + "…";
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Read at most MaxBodyChars: an error page can be large and only its start is useful.
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[MaxBodyChars];
            var total = 0;
            int read;
            while (total < buffer.Length
                && (read = await reader.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return new string(buffer, 0, total);
        }
    }

    private static Dictionary<string, string> CopyAllowedHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in SalesforceApiException.AllowedHeaders)
        {
            if (TryGetHeader(response.Headers, name, out var value) || TryGetHeader(response.Content.Headers, name, out value))
            {
                headers[name] = value;
            }
        }

        return headers;
    }

    private static bool TryGetHeader(HttpHeaders headers, string name, out string value)
    {
        if (headers.TryGetValues(name, out var values))
        {
            value = string.Join(", ", values);
            return true;
        }

        value = string.Empty;
        return false;
    }

    internal static TimeSpan? ParseRetryAfter(IReadOnlyDictionary<string, string> headers)
    {
        if (!headers.TryGetValue("Retry-After", out var raw))
        {
            return null;
        }

        if (int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (headers.TryGetValue("Date", out var dateRaw)
            && DateTimeOffset.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            && DateTimeOffset.TryParse(dateRaw, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var now))
        {
            var wait = at - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
