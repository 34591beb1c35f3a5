using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

namespace Atom.Salesforce.Client.AspNetCore.Tests.RateLimiting;

/// <summary>
/// The pack limits each caller by default: over the limit a request is 429 <c>rate_limited</c> with Retry-After, and the
/// limit of one user does not touch another's.
/// </summary>
public sealed class RateLimitTests
{
    private static readonly SalesforceEndpointOptions Defaults = new();

    [Fact]
    public void The_limit_is_on_by_default()
    {
        Assert.True(Defaults.RateLimitEnabled);
        Assert.InRange(Defaults.RateLimitPermits, 1, 1_000);
        Assert.Equal(TimeSpan.FromMinutes(1), Defaults.RateLimitWindow);
    }

    [Fact]
    public async Task With_the_default_limit_the_request_after_the_last_permit_is_429_with_retry_after_and_other_users_go_on()
    {
        await using var host = await PackHost.StartAsync(o =>
        {
            o.RateLimitPermits = Defaults.RateLimitPermits;
            o.RateLimitWindow = Defaults.RateLimitWindow;
        });

        // A refused limit costs no Salesforce call: the requests are as cheap as requests get.
        for (var i = 0; i < Defaults.RateLimitPermits; i++)
        {
            (await host.PostAsync("accounts/list", PackHost.Alice, new { limit = 0 })).AssertError(400, "INVALID_LIMIT");
        }

        var limited = await host.PostAsync("accounts/list", PackHost.Alice, new { limit = 1 });
        limited.AssertError(429, "TOO_MANY_REQUESTS", SalesforceEndpointErrors.RateLimited);
        Assert.InRange(int.Parse(limited.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture), 1, 60);

        // Bob is another partition; so is nobody signed in (one partition per client address).
        (await host.PostAsync("accounts/list", PackHost.Bob, new { limit = 0 })).AssertError(400, "INVALID_LIMIT");
        (await host.PostAsync("accounts/list", signedInAs: null, new { })).AssertError(401, "NOT_AUTHENTICATED");
    }

    [Fact]
    public async Task Turned_off_nothing_is_limited()
    {
        await using var host = await PackHost.StartAsync(o =>
        {
            o.RateLimitEnabled = false;
            o.RateLimitPermits = 2;
        });
        for (var i = 0; i < 5; i++)
        {
            (await host.PostAsync("accounts/list", PackHost.Alice, new { limit = 0 })).AssertError(400, "INVALID_LIMIT");
        }
    }

    [Fact]
    public async Task Anonymous_callers_are_limited_too()
    {
        await using var host = await PackHost.StartAsync(o => o.RateLimitPermits = 3);
        for (var i = 0; i < 3; i++)
        {
            (await host.PostAsync("accounts/list", signedInAs: null, new { })).AssertError(401, "NOT_AUTHENTICATED");
        }

        (await host.PostAsync("accounts/list", signedInAs: null, new { })).AssertError(429, "TOO_MANY_REQUESTS");
        (await host.PostAsync("accounts/list", PackHost.Alice, new { limit = 1 })).Data.GetProperty("records");
    }
}
