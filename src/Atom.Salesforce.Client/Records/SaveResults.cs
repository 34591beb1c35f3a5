using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Records;

/// <summary>The result of an upsert by external id.</summary>
/// <param name="Id">The id of the record created or updated. Null only for API versions before 46.0, which answered an update with 204 and no body.</param>
/// <param name="Created">True when no record matched and one was created; false when the matching record was updated.</param>
public sealed record UpsertResult(string? Id, bool Created);

/// <summary>The body Salesforce returns for a create or an upsert.</summary>
internal sealed class SaveResponse
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("success")]
    public bool Success { get; init; }

    [JsonPropertyName("created")]
    public bool? Created { get; init; }

    [JsonPropertyName("errors")]
    public IReadOnlyList<SaveError> Errors { get; init; } = [];
}

/// <summary>A per-record error inside a save result (Salesforce names the code <c>statusCode</c> there).</summary>
internal sealed class SaveError
{
    [JsonPropertyName("statusCode")]
    public string? StatusCode { get; init; }

    [JsonPropertyName("errorCode")]
    public string? ErrorCode { get; init; }

    [JsonPropertyName("message")]
    public string Message { get; init; } = string.Empty;

    [JsonPropertyName("fields")]
    public IReadOnlyList<string> Fields { get; init; } = [];

    public SalesforceError ToError() => new(StatusCode ?? ErrorCode ?? SalesforceError.Codes.UnexpectedResponse, Message, Fields);
}
