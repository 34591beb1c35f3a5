using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.AspNetCore.Health;

/// <summary>
/// What the health route and the ASP.NET health check report: the token store (the database behind it) answering, the
/// user's token being stored and usable, Salesforce answering with that token, and the daily API requests left. A user with
/// several logins names one (<c>username</c>); without it the store's <c>several_logins</c> refusal is thrown, as on every
/// route, and the report never falls back to another login.
/// </summary>
internal static class HealthProbe
{
    /// <summary>The user id the store is asked about when no user is named: it only proves that the store answers.</summary>
    internal const string ProbeUserId = "__atom_salesforce_health__";

    /// <summary>Below this share of the daily allocation left, the report is degraded.</summary>
    internal const double LowApiShare = 0.1;

    internal sealed record TokenCheck(string Status, string? InstanceUrl, DateTimeOffset? IssuedAt);

    internal sealed record DatabaseCheck(string Status);

    internal sealed record ApiUsageLeft(long Used, long Max, long Remaining);

    internal sealed record SalesforceCheck(string Status, string? ErrorCode, ApiUsageLeft? ApiUsage);

    internal sealed record Report(string Status, string? UserId, string? Username, TokenCheck Token, DatabaseCheck Database, SalesforceCheck Salesforce);

    /// <summary>Checks the login <paramref name="userId"/> / <paramref name="username"/> (null: the user's only login).</summary>
    /// <exception cref="SalesforceAuthenticationException"><c>several_logins</c>: the user has several logins and named none.</exception>
    public static async Task<Report> CheckAsync(
        Routing.EndpointServices services, string? userId, string? username, CancellationToken cancellationToken)
    {
        DatabaseCheck database;
        TokenCheck token;
        string? checkedUsername = userId is null ? null : username;
        try
        {
            var stored = await services.TokenStore.GetAsync(new Auth.SalesforceLogin(userId ?? ProbeUserId, userId is null ? null : username), cancellationToken)
                .ConfigureAwait(false);
            database = new DatabaseCheck("ok");
            checkedUsername = userId is null ? null : stored?.Username ?? username;
            token = userId is null ? new TokenCheck("skipped", null, null)
                : stored is null ? new TokenCheck("missing", null, null)
                : !stored.IsUsable ? new TokenCheck("revoked", stored.InstanceUrl.ToString(), stored.IssuedAt)
                : new TokenCheck("valid", stored.InstanceUrl.ToString(), stored.IssuedAt);
        }
        catch (Exception e) when (e is not OperationCanceledException
            && e is not SalesforceAuthenticationException { ErrorCode: SalesforceAuthenticationException.Codes.SeveralLogins })
        {
            database = new DatabaseCheck("error");
            token = new TokenCheck(userId is null ? "skipped" : "unknown", null, null);
        }

        var salesforce = new SalesforceCheck("skipped", null, null);
        if (userId is not null && token.Status == "valid")
        {
            try
            {
                var client = username is null ? services.ClientFactory.ForUser(userId) : services.ClientFactory.ForUser(userId, username);
                var limits = await client.Limits.GetAsync(cancellationToken).ConfigureAwait(false);
                var daily = limits.TryGetValue("DailyApiRequests", out var d) ? new ApiUsageLeft(d.Used, d.Max, d.Remaining) : null;
                salesforce = new SalesforceCheck("reachable", null, daily);
            }
            catch (SalesforceAuthenticationException e)
            {
                token = token with { Status = "rejected" };
                salesforce = new SalesforceCheck("reachable", e.ErrorCode, null);
            }
            catch (SalesforceApiException e) when (e.Status == System.Net.HttpStatusCode.Unauthorized)
            {
                token = token with { Status = "rejected" };
                salesforce = new SalesforceCheck("reachable", e.ErrorCode, null);
            }
            catch (SalesforceException e)
            {
                salesforce = new SalesforceCheck("unreachable", (e as SalesforceApiException)?.ErrorCode ?? "SALESFORCE_UNAVAILABLE", null);
            }
        }

        var status = database.Status != "ok" || salesforce.Status == "unreachable" ? "unhealthy"
            : token.Status is "missing" or "revoked" or "rejected" or "unknown"
              || salesforce.ApiUsage is { Max: > 0 } usage && usage.Remaining < usage.Max * LowApiShare ? "degraded"
            : "healthy";
        return new Report(status, userId, checkedUsername, token, database, salesforce);
    }
}
