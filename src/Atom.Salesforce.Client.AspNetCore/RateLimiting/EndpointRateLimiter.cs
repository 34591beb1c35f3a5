using System.Globalization;
using System.Threading.RateLimiting;
using Atom.Salesforce.Client.AspNetCore.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.RateLimiting;

/// <summary>
/// The pack's per-caller limit (<see cref="SalesforceEndpointOptions.RateLimitEnabled"/>): a fixed window per signed-in
/// user, or per client IP address for requests without one.
/// </summary>
internal sealed class EndpointRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext>? _limiter;

    public EndpointRateLimiter(IOptions<SalesforceEndpointOptions> options)
    {
        var o = options.Value;
        if (!o.RateLimitEnabled)
        {
            return;
        }

        var permits = o.RateLimitPermits;
        var window = o.RateLimitWindow;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetFixedWindowLimiter(
            PartitionKey(http, o),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>The partition: <c>user:</c> and the signed-in user, else <c>ip:</c> and the client address, else one shared one.</summary>
    internal static string PartitionKey(HttpContext http, SalesforceEndpointOptions options) =>
        UserResolver.SignedInUser(http.User, options) is { } user ? "user:" + user
        : http.Connection.RemoteIpAddress is { } address ? "ip:" + address
        : "anonymous";

    /// <summary>Takes one permit; false with the time to wait when the caller is over the limit.</summary>
    public bool TryAcquire(HttpContext http, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(http);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return false;
    }

    public static string RetryAfterHeader(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _limiter?.Dispose();
}
