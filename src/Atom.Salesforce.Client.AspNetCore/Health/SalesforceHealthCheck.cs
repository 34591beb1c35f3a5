using Atom.Salesforce.Client.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Atom.Salesforce.Client.AspNetCore.Health;

/// <summary>
/// The ASP.NET health check (<c>atom_salesforce</c>): the token store always, and Salesforce with
/// <see cref="SalesforceEndpointOptions.HealthCheckUserId"/>'s token when one is configured.
/// </summary>
internal sealed class SalesforceHealthCheck(EndpointServices services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await HealthProbe.CheckAsync(services, services.Options.HealthCheckUserId, cancellationToken).ConfigureAwait(false);
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

        return report.Status switch
        {
            "healthy" => HealthCheckResult.Healthy("Salesforce integration healthy.", data),
            "degraded" => HealthCheckResult.Degraded("Salesforce integration degraded: the token is not usable or the API allocation is nearly used up.", data: data),
            _ => HealthCheckResult.Unhealthy("Salesforce integration unhealthy: the token store or Salesforce is failing.", data: data),
        };
    }
}
