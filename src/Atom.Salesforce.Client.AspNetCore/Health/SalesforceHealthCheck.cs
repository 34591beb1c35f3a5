using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Governance;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Health;

/// <summary>
/// The ASP.NET health check (<c>atom_salesforce</c>): the token store always, and Salesforce with
/// <see cref="SalesforceEndpointOptions.HealthCheckUserId"/>'s token when one is configured; with API governance
/// (<c>AddApiGovernance()</c>) the budget left, the queue and the refused calls too, degraded while background work is stopped.
/// Its data also reports the SDK's cache since the process started: <c>cache_hits</c>, <c>cache_misses</c> and
/// <c>cache_hit_ratio</c> (once anything was read), the figures of the <c>salesforce.client.cache.hit_ratio</c> metric.
/// </summary>
internal sealed class SalesforceHealthCheck(EndpointServices services, SalesforceTelemetry telemetry, IServiceProvider provider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        HealthProbe.Report report;
        try
        {
            report = await HealthProbe.CheckAsync(services, services.Options.HealthCheckUserId, null, cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceAuthenticationException e) when (e.ErrorCode == SalesforceAuthenticationException.Codes.SeveralLogins)
        {
            // The store answered; which of the user's logins to check is not configured.
            return HealthCheckResult.Degraded(
                "Salesforce integration degraded: the health check user has several Salesforce logins and none is picked.",
                data: new Dictionary<string, object> { ["database"] = "ok", ["token"] = "several_logins", ["salesforce"] = "skipped" });
        }

        var data = new Dictionary<string, object>
        {
            ["database"] = report.Database.Status,
            ["token"] = report.Token.Status,
            ["salesforce"] = report.Salesforce.Status,
        };
        if (report.Salesforce.ApiUsage is { } usage)
        {
            data["api_requests_remaining"] = usage.Remaining;
            data["api_requests_max"] = usage.Max;
        }

        var (hits, misses) = telemetry.CacheCounts;
        data["cache_hits"] = hits;
        data["cache_misses"] = misses;
        if (hits + misses > 0)
        {
            data["cache_hit_ratio"] = (double)hits / (hits + misses);
        }

        var status = report.Status;
        if (provider.GetService<ApiGovernor>() is { } governor)
        {
            var orgs = governor.GetStatus();
            data["governance_in_flight"] = orgs.Sum(o => o.InFlight);
            data["governance_queued"] = orgs.Sum(o => o.Queued);
            data["governance_throttled"] = orgs.Sum(o => o.Throttled);
            data["governance_refused"] = orgs.Sum(o => o.Refused);
            if (orgs.Where(o => o.RemainingShare is not null).MinBy(o => o.RemainingShare) is { } lowest)
            {
                data["governance_budget_remaining"] = lowest.Remaining!.Value;
                data["governance_budget_max"] = lowest.Max;
                var stop = provider.GetRequiredService<IOptionsMonitor<ApiGovernanceOptions>>().CurrentValue.BackgroundStopThreshold;
                if (status == "healthy" && lowest.RemainingShare <= stop)
                {
                    // Background work is stopped: interactive calls still go on to the hard reserve.
                    status = "degraded";
                }
            }
        }

        return status switch
        {
            "healthy" => HealthCheckResult.Healthy("Salesforce integration healthy.", data),
            "degraded" => HealthCheckResult.Degraded("Salesforce integration degraded: the token is not usable or the API allocation is nearly used up.", data: data),
            _ => HealthCheckResult.Unhealthy("Salesforce integration unhealthy: the token store or Salesforce is failing.", data: data),
        };
    }
}
