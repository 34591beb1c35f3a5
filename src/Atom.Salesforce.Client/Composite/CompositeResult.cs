using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Composite;

/// <summary>The result of one subrequest: its status, its body, and its errors when it failed.</summary>
public sealed class CompositeSubresponse
{
    private readonly JsonSerializerOptions _readOptions;

    internal CompositeSubresponse(
        string referenceId, int statusCode, JsonElement? body, IReadOnlyDictionary<string, string> headers,
        IReadOnlyList<SalesforceError> errors, JsonSerializerOptions readOptions)
    {
        ReferenceId = referenceId;
        StatusCode = statusCode;
        Body = body;
        Headers = headers;
        Errors = errors;
        _readOptions = readOptions;
    }

    /// <summary>The subrequest's referenceId (for a batch, the one the builder generated).</summary>
    public string ReferenceId { get; }

    /// <summary>The subrequest's HTTP status, for example 201 for a create or 400 for a failure.</summary>
    public int StatusCode { get; }

    /// <summary>True for a 2xx status.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The subrequest's body; null when it had none (a 204).</summary>
    public JsonElement? Body { get; }

    /// <summary>The subrequest's response headers, for example <c>Location</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The errors of a failed subrequest (for example <c>PROCESSING_HALTED</c> for one rolled back); empty on success.</summary>
    public IReadOnlyList<SalesforceError> Errors { get; }

    /// <summary>The <c>id</c> (or <c>Id</c>) in the body, for example of a created record; null when the body holds none.</summary>
    [SuppressMessage("Maintainability", "CA1507:Use nameof to express symbol names", Justification = "\"Id\" is the JSON member Salesforce sends, not this property's name.")]
    public string? Id =>
        Body is { ValueKind: JsonValueKind.Object } body
        && (body.TryGetProperty("id", out var id) || body.TryGetProperty("Id", out id)) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    /// <summary>Reads the body as <typeparamref name="T"/>, for example a record or a query result; default when there is none.</summary>
    public T? Read<T>() => Body is { } body ? body.Deserialize((JsonTypeInfo<T>)_readOptions.GetTypeInfo(typeof(T))) : default;

    internal static CompositeSubresponse Parse(string referenceId, int status, JsonElement body, JsonElement headers, JsonSerializerOptions readOptions)
    {
        var headerMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                headerMap[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString()! : header.Value.GetRawText();
            }
        }

        var isSuccess = status is >= 200 and < 300;
        IReadOnlyList<SalesforceError> errors = isSuccess ? [] : ReadErrors(body, status);
        JsonElement? kept = body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : body.Clone();
        return new CompositeSubresponse(referenceId, status, kept, headerMap, errors, readOptions);
    }

    /// <summary>Reads an error array or object, whether the code is named <c>errorCode</c> or <c>statusCode</c>.</summary>
    internal static List<SalesforceError> ReadErrors(JsonElement body, int status)
    {
        var errors = new List<SalesforceError>();
        if (body.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in body.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    errors.Add(ReadError(item));
                }
            }
        }
        else if (body.ValueKind == JsonValueKind.Object)
        {
            errors.Add(ReadError(body));
        }

        if (errors.Count == 0)
        {
            errors.Add(new SalesforceError
            {
                ErrorCode = SalesforceError.Codes.UnexpectedResponse,
                Message = $"The subrequest failed with status {status}.",
            });
        }

        return errors;
    }

    internal static SalesforceError ReadError(JsonElement item)
    {
        string? Text(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var fields = new List<string>();
        if (item.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array)
        {
            fields.AddRange(f.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
        }

        return new SalesforceError
        {
            ErrorCode = Text("errorCode") ?? Text("statusCode") ?? SalesforceError.Codes.UnexpectedResponse,
            Message = Text("message") ?? string.Empty,
            Fields = fields,
        };
    }
}

/// <summary>The results of a composite or batch request, one per subrequest, in the order they were sent.</summary>
public sealed class CompositeResult
{
    internal CompositeResult(IReadOnlyList<CompositeSubresponse> responses, bool hasErrors)
    {
        Responses = responses;
        HasErrors = hasErrors;
    }

    /// <summary>Every subrequest's result, in request order.</summary>
    public IReadOnlyList<CompositeSubresponse> Responses { get; }

    /// <summary>True when at least one subrequest failed.</summary>
    public bool HasErrors { get; }

    /// <summary>The result of <paramref name="subrequest"/>.</summary>
    /// <exception cref="KeyNotFoundException">The subrequest was not part of this request.</exception>
    public CompositeSubresponse this[CompositeSubrequest subrequest]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(subrequest);
            return this[subrequest.ReferenceId];
        }
    }

    /// <summary>The result of the subrequest named <paramref name="referenceId"/>.</summary>
    /// <exception cref="KeyNotFoundException">No subrequest has that referenceId.</exception>
    public CompositeSubresponse this[string referenceId] =>
        Responses.FirstOrDefault(r => string.Equals(r.ReferenceId, referenceId, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"No subrequest named '{referenceId}' in this result.");
}

/// <summary>The result of one graph of a <c>/composite/graph</c> call.</summary>
public sealed class CompositeGraphResult
{
    internal CompositeGraphResult(string graphId, bool isSuccessful, CompositeResult result)
    {
        GraphId = graphId;
        IsSuccessful = isSuccessful;
        Result = result;
    }

    /// <summary>The graph's id.</summary>
    public string GraphId { get; }

    /// <summary>True when the whole graph was committed; false when it was rolled back.</summary>
    public bool IsSuccessful { get; }

    /// <summary>Every node's result; in a failed graph the failing node has the real error and the others <c>PROCESSING_HALTED</c>.</summary>
    public CompositeResult Result { get; }
}
