using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Errors;
using Grpc.Core;

namespace Atom.Salesforce.Client.Streaming;

internal enum PubSubFailure
{
    Permanent,
    Transient,
    Authentication,
}

/// <summary>
/// Reads a failed call the way Salesforce documents it: the gRPC status, the <c>error-code</c> trailer (for example
/// <c>sfdc.platform.eventbus.grpc.service.auth.error</c>) and the <c>rpc-id</c>; and turns it into the SDK's exceptions, so
/// that no gRPC type reaches the caller.
/// </summary>
internal static class PubSubErrors
{
    public static string? ErrorCode(RpcException e) => e.Trailers.GetValue("error-code");

    public static PubSubFailure Classify(RpcException e)
    {
        var code = ErrorCode(e) ?? string.Empty;
        if (e.StatusCode == StatusCode.Unauthenticated || code.EndsWith("auth.error", StringComparison.OrdinalIgnoreCase))
        {
            return PubSubFailure.Authentication;
        }

        if (code.Contains("replayid", StringComparison.OrdinalIgnoreCase))
        {
            return PubSubFailure.Permanent;
        }

        return e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted or StatusCode.DeadlineExceeded
            || code.Contains("service.unavailable", StringComparison.OrdinalIgnoreCase)
            ? PubSubFailure.Transient
            : PubSubFailure.Permanent;
    }

    public static SalesforceException Map(RpcException e, string operation, SalesforceLogin login)
    {
        var code = ErrorCode(e);
        var rpcId = e.Trailers.GetValue("rpc-id");
        var detail = string.IsNullOrEmpty(e.Status.Detail) ? e.StatusCode.ToString() : e.Status.Detail;
        var failure = Classify(e);
        if (failure == PubSubFailure.Authentication)
        {
            return new SalesforceAuthenticationException(
                login.UserId, code ?? "UNAUTHENTICATED", $"The Pub/Sub API refused the session of user '{login}' ({operation}), after the token was renewed where the call allowed it: {detail}", e);
        }

        return new PubSubException(
            $"{operation} failed: {detail}" + (code is null ? string.Empty : $" ({code})"),
            code ?? e.StatusCode.ToString(),
            failure == PubSubFailure.Transient,
            rpcId,
            e);
    }
}
