using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Microsoft.AspNetCore.Http;
using AnalyticsDateRange = Atom.Salesforce.Client.Analytics.DateRange;

namespace Atom.Salesforce.Client.AspNetCore.Requests;

/// <summary>
/// A route's JSON body, read within the size limit and checked against the route's properties before anything else runs:
/// malformed JSON, a property the route does not know, a wrong kind or a missing required property is a 400 envelope.
/// </summary>
internal sealed partial class RequestBody
{
    public const int MaxStringLength = 4_000;
    public const int MaxArrayItems = 200;

    /// <summary>The bounds of a fixed date range: the seed's documented spelling, and the pack's own as an alias.</summary>
    private static readonly AliasedName DateRangeStart = new("start_date", "start");

    private static readonly AliasedName DateRangeEnd = new("end_date", "end");

    /// <summary>The first and last dates Salesforce accepts (1700-01-01 to 4000-12-31).</summary>
    public static readonly DateOnly EarliestDate = new(1700, 1, 1);

    public static readonly DateOnly LatestDate = new(4000, 12, 31);

    private readonly Dictionary<string, JsonElement> _values;
    private readonly IReadOnlyList<BodyProperty> _properties;

    private RequestBody(Dictionary<string, JsonElement> values, IReadOnlyList<BodyProperty> properties)
    {
        _values = values;
        _properties = properties;
    }

    public static RequestBody Empty { get; } = new(new Dictionary<string, JsonElement>(StringComparer.Ordinal), []);

    /// <summary>Reads and checks the body. An empty body is an empty object when nothing is required.</summary>
    public static async Task<RequestBody> ReadAsync(HttpRequest request, IReadOnlyList<BodyProperty> properties, int maxBytes, CancellationToken cancellationToken)
    {
        CheckContentType(request);
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var bytes = await ReadLimitedAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0 || IsWhiteSpace(bytes))
        {
            return Check(new Dictionary<string, JsonElement>(StringComparer.Ordinal), properties);
        }

        if (request.ContentType is null)
        {
            // A body without a type is what a cross-site page can send without asking; JSON is declared.
            throw UnsupportedMediaType();
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, "The request body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            // The parser's message names the line and byte; it quotes nothing of the body.
            throw EndpointError.Validation(EndpointErrorCodes.MalformedJson, $"The request body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw EndpointError.Validation(EndpointErrorCodes.MalformedJson, "The request body must be a JSON object.");
            }

            CheckText(document.RootElement, depth: 0);
            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!values.TryAdd(property.Name, property.Value.Clone()))
                {
                    throw EndpointError.Validation(EndpointErrorCodes.MalformedJson, $"The property '{Excerpt(property.Name)}' appears twice.");
                }
            }

            return Check(values, properties);
        }
    }

    /// <summary>
    /// A declared content type other than JSON (<c>application/json</c> or <c>application/*+json</c>, in UTF-8) is 415:
    /// <c>text/plain</c> and forms are what a cross-site page can post without a preflight.
    /// </summary>
    private static void CheckContentType(HttpRequest request)
    {
        if (request.ContentType is not { } declared)
        {
            return;
        }

        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(declared, out var type)
            || !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || (type.MediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
            || (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            throw UnsupportedMediaType();
        }
    }

    private static EndpointError UnsupportedMediaType() => new(
        SalesforceEndpointErrors.ValidationError,
        415,
        EndpointErrorCodes.UnsupportedMediaType,
        "The request body must be JSON: send it with Content-Type: application/json (UTF-8).");

    /// <summary>
    /// Every name and string in the document is text: an escape that decodes to a lone surrogate (<c>\ud800</c>) is not.
    /// </summary>
    private static void CheckText(JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    CheckText(property, static p => p.Name);
                    CheckText(property.Value, depth + 1);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CheckText(item, depth + 1);
                }

                break;
            case JsonValueKind.String:
                CheckText(element, static e => e.GetString()!);
                break;
        }
    }

    private static void CheckText<T>(T value, Func<T, string> read)
    {
        string text;
        try
        {
            text = read(value);
        }
        catch (InvalidOperationException)
        {
            throw NotText();
        }

        if (HasLoneSurrogate(text))
        {
            throw NotText();
        }
    }

    internal static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static EndpointError NotText() =>
        EndpointError.Validation(EndpointErrorCodes.InvalidRequest, "The request body holds a string that is not valid Unicode (a lone surrogate or invalid UTF-8).");

    /// <summary>A body from query-string values (GET routes): each value is a string.</summary>
    public static RequestBody FromQuery(IQueryCollection query, IReadOnlyList<BodyProperty> properties)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in query)
        {
            if (HasLoneSurrogate(key) || HasLoneSurrogate(value.ToString()))
            {
                throw NotText();
            }

            values[key] = JsonSerializer.SerializeToElement(value.ToString(), EndpointJson.Info<string>());
        }

        return Check(values, properties);
    }

    public string? String(string name) => _values.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public int? Int(string name) => _values.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    public bool? Bool(string name) => _values.TryGetValue(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    public IReadOnlyList<string>? Strings(string name) =>
        _values.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(e => e.GetString()!)] : null;

    /// <summary>
    /// The values of one filter of a <see cref="BodyType.Filters"/> property, given by its name or its alias (the two were
    /// checked to agree); null when absent.
    /// </summary>
    public string[]? Filter(string property, string filter)
    {
        if (Element(property) is not { } filters)
        {
            return null;
        }

        var spelling = _properties.FirstOrDefault(p => p.Name == property)?.FilterNames.FirstOrDefault(f => f.Name == filter)
            ?? throw new InvalidOperationException($"'{property}' has no filter '{filter}'.");
        // The two spellings were checked to agree when the body was read.
        return Given(filters, spelling, sameAs: static (_, _) => true) is { ValueKind: JsonValueKind.Array } values ? [.. values.EnumerateArray().Select(v => v.GetString()!)] : null;
    }

    public JsonElement? Element(string name) => _values.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>The date range of a <see cref="BodyType.DateRange"/> property, or null when absent.</summary>
    public AnalyticsDateRange? DateRange(string name)
    {
        if (Element(name) is not { } value)
        {
            return null;
        }

        try
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                return AnalyticsDateRange.Relative(value.GetString()!);
            }

            var start = ParseDate(value, DateRangeStart);
            var end = ParseDate(value, DateRangeEnd);
            return AnalyticsDateRange.Between(start, end);
        }
        catch (ArgumentException e)
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidDateRange, $"'{name}': {FirstLine(e.Message)}");
        }

        static DateOnly ParseDate(JsonElement range, AliasedName part)
        {
            var given = Given(range, part) ?? default;
            if (given.ValueKind != JsonValueKind.String
                || !DateOnly.TryParseExact(given.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new ArgumentException($"'{part.Name}' (or '{part.Alias}') must be a date written yyyy-MM-dd.");
            }

            if (day < EarliestDate || day > LatestDate)
            {
                throw new ArgumentException($"'{part.Name}' (or '{part.Alias}') must be between {EarliestDate:yyyy-MM-dd} and {LatestDate:yyyy-MM-dd}, the dates Salesforce accepts.");
            }

            return day;
        }
    }

    /// <summary>The Salesforce id of a required <see cref="BodyType.Id"/> property.</summary>
    public string RequiredId(string name) => String(name) ?? throw Missing(name);

    private static RequestBody Check(Dictionary<string, JsonElement> values, IReadOnlyList<BodyProperty> properties)
    {
        foreach (var name in values.Keys)
        {
            if (!properties.Any(p => p.Name == name))
            {
                throw EndpointError.Validation(
                    EndpointErrorCodes.InvalidRequest,
                    $"Unknown property '{Excerpt(name)}'. This route accepts: {string.Join(", ", properties.Select(p => p.Name))}.");
            }
        }

        foreach (var property in properties)
        {
            if (!values.TryGetValue(property.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (property.Required)
                {
                    throw Missing(property.Name);
                }

                continue;
            }

            CheckValue(property, value);
        }

        return new RequestBody(values, properties);
    }

    private static void CheckValue(BodyProperty property, JsonElement value)
    {
        var name = property.Name;
        switch (property.Type)
        {
            case BodyType.String:
                CheckString(name, value);
                break;
            case BodyType.Id:
                CheckString(name, value);
                if (!SalesforceId().IsMatch(value.GetString()!))
                {
                    throw EndpointError.Validation(EndpointErrorCodes.InvalidId, $"'{name}' must be a Salesforce record id (15 or 18 letters and digits).");
                }

                break;
            case BodyType.Integer:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out _))
                {
                    throw WrongKind(name, "a whole number");
                }

                break;
            case BodyType.Boolean:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw WrongKind(name, "true or false");
                }

                break;
            case BodyType.FieldValues:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    throw WrongKind(name, "an object of field names and values");
                }

                if (!value.EnumerateObject().Any())
                {
                    throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'{name}' holds no fields.");
                }

                break;
            case BodyType.StringArray:
                CheckStringArray(name, value);
                break;
            case BodyType.DateRange:
                if (value.ValueKind == JsonValueKind.String)
                {
                    CheckString(name, value);
                }
                else if (value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var part in value.EnumerateObject())
                    {
                        if (part.Name is not ("start_date" or "end_date" or "start" or "end"))
                        {
                            throw EndpointError.Validation(
                                EndpointErrorCodes.InvalidDateRange, $"'{name}': unknown property '{Excerpt(part.Name)}'; use start_date and end_date.");
                        }
                    }

                    Given(value, DateRangeStart, name);
                    Given(value, DateRangeEnd, name);
                }
                else
                {
                    throw WrongKind(name, "a named range such as \"last_30_days\" or an object {\"start_date\": \"yyyy-MM-dd\", \"end_date\": \"yyyy-MM-dd\"}");
                }

                break;
            case BodyType.Filters:
                var names = string.Join(", ", property.FilterNames.Select(f => f.Name));
                if (value.ValueKind != JsonValueKind.Object)
                {
                    throw WrongKind(name, $"an object with any of the arrays {names}");
                }

                foreach (var filter in value.EnumerateObject())
                {
                    if (!property.FilterNames.Any(f => f.Name == filter.Name || f.Alias == filter.Name))
                    {
                        throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"Unknown filter '{Excerpt(filter.Name)}'; use {names}.");
                    }

                    if (filter.Value.ValueKind != JsonValueKind.Null)
                    {
                        CheckStringArray($"{name}.{filter.Name}", filter.Value);
                    }
                }

                foreach (var filter in property.FilterNames.Where(f => f.Alias is not null))
                {
                    Given(value, filter, name, sameAs: (a, b) => a.EnumerateArray().Select(v => v.GetString()).ToHashSet(StringComparer.Ordinal)
                        .SetEquals(b.EnumerateArray().Select(v => v.GetString())));
                }

                break;
        }
    }

    private static bool SameValue(JsonElement a, JsonElement b) =>
        a.ValueKind == b.ValueKind && (a.ValueKind == JsonValueKind.String ? a.GetString() == b.GetString() : a.GetRawText() == b.GetRawText());

    /// <summary>
    /// The value of <paramref name="spelling"/> in <paramref name="container"/> under its name or its alias; null when neither
    /// is given (or both are null). Both given with different values is a 400: the pack never picks one silently.
    /// </summary>
    private static JsonElement? Given(JsonElement container, AliasedName spelling, string? where = null, Func<JsonElement, JsonElement, bool>? sameAs = null)
    {
        JsonElement? named = container.TryGetProperty(spelling.Name, out var a) && a.ValueKind != JsonValueKind.Null ? a : null;
        JsonElement? aliased = spelling.Alias is not null && container.TryGetProperty(spelling.Alias, out var b) && b.ValueKind != JsonValueKind.Null ? b : null;
        if (named is { } first && aliased is { } second
            && !(sameAs ?? SameValue)(first, second))
        {
            var prefix = where is null ? string.Empty : where + ".";
            throw EndpointError.Validation(
                EndpointErrorCodes.InvalidRequest,
                $"'{prefix}{spelling.Name}' and '{prefix}{spelling.Alias}' are two spellings of one value and disagree; give one of them.");
        }

        return named ?? aliased;
    }

    private static void CheckString(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongKind(name, "a string");
        }

        var text = value.GetString()!;
        if (text.Length > MaxStringLength)
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'{name}' is longer than {MaxStringLength:N0} characters.");
        }

        if (text.Any(char.IsControl))
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'{name}' holds control characters.");
        }
    }

    private static void CheckStringArray(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongKind(name, "an array of strings");
        }

        if (value.GetArrayLength() > MaxArrayItems)
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'{name}' holds more than {MaxArrayItems} items.");
        }

        foreach (var item in value.EnumerateArray())
        {
            CheckString(name, item);
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsWhiteSpace(byte[] bytes) => bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n');

    private static EndpointError TooLarge(int maxBytes) =>
        new(SalesforceEndpointErrors.ValidationError, 413, EndpointErrorCodes.BodyTooLarge, $"The request body is larger than {maxBytes:N0} bytes.");

    internal static EndpointError Missing(string name) =>
        EndpointError.Validation(EndpointErrorCodes.MissingField, $"'{name}' is required.");

    private static EndpointError WrongKind(string name, string expected) =>
        EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'{name}' must be {expected}.");

    /// <summary>A caller's text quoted in a message: cut short, control characters dropped.</summary>
    internal static string Excerpt(string text)
    {
        var clean = new string([.. text.Where(c => !char.IsControl(c)).Take(64)]);
        return text.Length > 64 ? clean + "…" : clean;
    }

    private static string FirstLine(string message)
    {
        var cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    [GeneratedRegex("^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$")]
    private static partial Regex SalesforceId();
}
