namespace Atom.Salesforce.Client.Streaming;

/// <summary>What Salesforce answered for one published event.</summary>
public sealed class PublishResult
{
    internal PublishResult(string correlationKey, ReplayId replayId, string? errorCode, string? errorMessage)
    {
        CorrelationKey = correlationKey;
        ReplayId = replayId;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    /// <summary>The id the client gave the event (a new GUID per event), which Salesforce echoes.</summary>
    public string CorrelationKey { get; }

    /// <summary>True when the event was published.</summary>
    public bool IsSuccess => ErrorCode is null;

    /// <summary>The published event's replay id; empty when publishing failed.</summary>
    public ReplayId ReplayId { get; }

    /// <summary>Salesforce's error code when publishing failed (<c>PUBLISH</c>, <c>COMMIT</c>, <c>UNKNOWN</c>); null on success.</summary>
    public string? ErrorCode { get; }

    /// <summary>Salesforce's error message when publishing failed.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The outcome.</summary>
    public override string ToString() => IsSuccess ? $"Published {CorrelationKey} ({ReplayId})" : $"Failed {CorrelationKey}: {ErrorCode} {ErrorMessage}";
}
