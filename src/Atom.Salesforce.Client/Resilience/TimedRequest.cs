namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// A request that can carry its call's timeout source from <see cref="SalesforceResilienceHandler"/> down to
/// <see cref="SalesforceAttemptHandler"/>: for a call sent once (no retries), the total and the attempt timeouts share one
/// reused source, whose timer the attempt handler moves to the attempt's deadline and back. The SDK's own requests are one.
/// </summary>
internal abstract class TimedRequest(HttpMethod method, Uri? requestUri) : HttpRequestMessage(method, requestUri)
{
    /// <summary>The call's timeout source while a call sent once is in flight; null otherwise.</summary>
    internal CancellationTokenSource? SharedTimeout { get; set; }

    /// <summary>When the total timeout runs out (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    internal long TotalDeadline { get; set; }

    /// <summary>The token the call was sent with: its cancellation is the caller's, never a timeout.</summary>
    internal CancellationToken CallerToken { get; set; }

    /// <summary>Where the call is counted (the user's connection); null when it is not sent through one.</summary>
    internal Telemetry.ICallUsage? Usage { get; set; }

    /// <summary>Where a request a caller built (not a <see cref="TimedRequest"/>) is counted.</summary>
    internal static readonly HttpRequestOptionsKey<Telemetry.ICallUsage> UsageOption = new("Atom.Salesforce.Usage");

    /// <summary>Where <paramref name="request"/> is counted, or null.</summary>
    internal static Telemetry.ICallUsage? UsageOf(HttpRequestMessage request) =>
        request is TimedRequest timed ? timed.Usage : request.Options.TryGetValue(UsageOption, out var usage) ? usage : null;
}
