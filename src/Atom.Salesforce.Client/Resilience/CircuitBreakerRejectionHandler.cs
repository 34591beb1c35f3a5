using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Telemetry;
using Polly.CircuitBreaker;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// Sits on the outside of the per-host circuit breaker: a call the open breaker refused becomes a transient
/// <see cref="SalesforceException"/> with <see cref="SalesforceError.Codes.CircuitOpen"/> (never retried: the breaker says the
/// org is down) and is counted in the SDK's meter.
/// </summary>
internal sealed class CircuitBreakerRejectionHandler(SalesforceTelemetry telemetry, string appName) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            var host = request.RequestUri?.Authority ?? "?";
            telemetry.RecordCircuitRejected(host, appName);
            var app = appName.Length == 0 ? string.Empty : $" (connected app '{appName}')";
            throw new SalesforceException(
                $"Nothing was sent to Salesforce host {host}{app}: its circuit breaker is open after repeated transient failures. "
                + "Try again after the break (Salesforce:Resilience:CircuitBreaker:BreakDuration).", e, isTransient: true)
            {
                ErrorCode = SalesforceError.Codes.CircuitOpen,
            };
        }
    }
}
