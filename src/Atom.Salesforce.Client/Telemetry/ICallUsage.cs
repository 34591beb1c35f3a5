namespace Atom.Salesforce.Client.Telemetry;

/// <summary>Where one call is counted (a user's connection): once per call, whatever its retries.</summary>
internal interface ICallUsage
{
    /// <summary>Counts an answered call of <paramref name="sent"/> request-body bytes.</summary>
    void RecordAnswered(long sent, HttpResponseMessage response);

    /// <summary>Counts a call that failed without an answer, unless nothing was sent; always false (for an exception filter).</summary>
    bool RecordFailed(long sent, Exception exception, CancellationToken cancellationToken);
}
