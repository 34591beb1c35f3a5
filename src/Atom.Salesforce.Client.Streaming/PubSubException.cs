using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// A Pub/Sub API call failed. <see cref="SalesforceException.ErrorCode"/> is Salesforce's error code (the <c>error-code</c>
/// trailer, for example <c>sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted</c>) or the gRPC status name
/// when Salesforce gave none; <see cref="SalesforceException.IsTransient"/> says whether trying again later may succeed.
/// </summary>
public sealed class PubSubException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="errorCode">Salesforce's error code, or the gRPC status name.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="rpcId">The RPC id Salesforce gave the call, for its support.</param>
    /// <param name="innerException">The transport's exception.</param>
    public PubSubException(string message, string errorCode, bool isTransient, string? rpcId = null, Exception? innerException = null)
        : base(message, innerException, isTransient)
    {
        ErrorCode = errorCode;
        RpcId = rpcId;
    }

    /// <summary>The RPC id Salesforce gave the failed call (quote it to Salesforce support), when known.</summary>
    public string? RpcId { get; }

    /// <summary>
    /// True when Salesforce refused the replay id a subscription started after (corrupt, from another topic, or older than the
    /// event bus keeps): start again at <see cref="ReplayStart.Earliest"/> or <see cref="ReplayStart.Latest"/> and
    /// resynchronise what may have been missed.
    /// </summary>
    public bool IsReplayIdRejected => ErrorCode.Contains("replayid", StringComparison.OrdinalIgnoreCase);
}
