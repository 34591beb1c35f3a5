using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// The root of every exception the SDK throws for a failed Salesforce operation.
/// Caller cancellation is never wrapped: it stays a plain <see cref="OperationCanceledException"/>.
/// </summary>
public class SalesforceException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public SalesforceException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public SalesforceException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a message, the exception that caused it, and whether trying again may succeed.</summary>
    public SalesforceException(string message, Exception? innerException, bool isTransient) : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>
    /// True when the same call may succeed if tried again later (network failure, timeout, 429, 502–504,
    /// a locked row). The SDK has already retried safe requests before throwing.
    /// </summary>
    public virtual bool IsTransient { get; }

    /// <summary>
    /// What failed, as a code to compare with the constants of <see cref="SalesforceError.Codes"/> (and, for an OAuth failure,
    /// <see cref="SalesforceAuthenticationException.Codes"/>): Salesforce's own code (<c>INVALID_FIELD</c>, <c>invalid_grant</c>, ...)
    /// when it answered with one, otherwise the SDK's code for the failure (<see cref="SalesforceError.Codes.ConnectionFailed"/>,
    /// <see cref="SalesforceError.Codes.BulkJobFailed"/>, ...); <see cref="SalesforceError.Codes.UnexpectedResponse"/> when nothing more specific is known.
    /// </summary>
    public string ErrorCode { get; init; } = SalesforceError.Codes.UnexpectedResponse;
}
