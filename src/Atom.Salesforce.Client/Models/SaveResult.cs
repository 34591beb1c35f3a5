using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Models;

/// <summary>What happened to one input record of a save of many records, whatever route it took.</summary>
public sealed record SaveResult
{
    [JsonConstructor]
    internal SaveResult()
    {
    }

    /// <summary>The record's position in the input, from 0.</summary>
    public int Index { get; init; }

    /// <summary>
    /// The record id: the new id of a created record, the id of an updated or deleted one; null when Salesforce did not report one.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>True when the record was saved.</summary>
    public bool Success { get; init; }

    /// <summary>
    /// For inserts and upserts, true when a record was created and false when one was updated; null for other operations.
    /// </summary>
    public bool? Created { get; init; }

    /// <summary>
    /// Why the record was not saved (for example <c>REQUIRED_FIELD_MISSING</c>, or
    /// <see cref="SalesforceError.Codes.AllOrNoneOperationRolledBack"/> when another record's failure rolled it back); empty on success.
    /// </summary>
    public IReadOnlyList<SalesforceError> Errors { get; init; } = [];

    private readonly SaveRowOutcome? _outcome;

    /// <summary>
    /// What is known of the row: <see cref="SaveRowOutcome.Saved"/> or <see cref="SaveRowOutcome.Refused"/> when Salesforce
    /// answered for it (the default, from <see cref="Success"/>); <see cref="SaveRowOutcome.NotSent"/> or
    /// <see cref="SaveRowOutcome.Unknown"/> only in the results of a <see cref="Atom.Salesforce.Client.Errors.SalesforcePartialSaveException"/>.
    /// </summary>
    public SaveRowOutcome Outcome
    {
        get => _outcome ?? (Success ? SaveRowOutcome.Saved : SaveRowOutcome.Refused);
        init => _outcome = value;
    }
}

/// <summary>What is known of one input row of a save that sends several requests.</summary>
/// <remarks>
/// The four outcomes cover every row: Salesforce saved it, Salesforce answered that it did not, no request carried it, or a
/// request carried it and no usable answer came back. Only <see cref="Unknown"/> rows may be written without the caller
/// knowing: continue them with an upsert by external id or a lookup, never with a second create.
/// </remarks>
public enum SaveRowOutcome
{
    /// <summary>Salesforce saved the row; <see cref="SaveResult.Id"/> is its record id.</summary>
    Saved,

    /// <summary>
    /// Salesforce answered and did not save the row: the row's own errors, a row rolled back with its request
    /// (<c>allOrNone</c>), or the whole request refused (for example <c>SERVER_UNAVAILABLE</c> or <c>UNABLE_TO_LOCK_ROW</c>),
    /// in <see cref="SaveResult.Errors"/>. Nothing of the row was written.
    /// </summary>
    Refused,

    /// <summary>No request carried the row: an earlier failure stopped the save. Nothing of the row was written.</summary>
    NotSent,

    /// <summary>
    /// A request carried the row and no usable answer came back (the connection dropped, the attempt timed out, a gateway
    /// answered 502 or 504): Salesforce may or may not have saved it.
    /// </summary>
    Unknown,
}

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

    public SaveResult ToResult(int index, string? knownId = null) =>
        new()
        {
            Index = index,
            Id = Id ?? knownId,
            Success = Success,
            Created = Created,
            Errors = Errors.Count == 0 ? [] : Errors.Select(e => e.ToError()).ToList(),
        };
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

    public SalesforceError ToError() => new()
    {
        ErrorCode = StatusCode ?? ErrorCode ?? SalesforceError.Codes.UnexpectedResponse,
        Message = Message,
        Fields = Fields,
    };
}
