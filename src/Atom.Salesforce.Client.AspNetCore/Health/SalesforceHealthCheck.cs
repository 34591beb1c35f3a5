using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.Errors;
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

        return report.Status switch
        {
            "healthy" => HealthCheckResult.Healthy("Salesforce integration healthy.", data),
            "degraded" => HealthCheckResult.Degraded("Salesforce integration degraded: the token is not usable or the API allocation is nearly used up.", data: data),
            _ => HealthCheckResult.Unhealthy("Salesforce integration unhealthy: the token store or Salesforce is failing.", data: data),
        };
    }
}
