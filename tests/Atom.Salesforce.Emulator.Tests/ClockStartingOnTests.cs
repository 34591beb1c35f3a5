using System.Net;
using Atom.Salesforce.Emulator.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Emulator.Tests;

/// <summary><see cref="SalesforceEmulatorOptions.ClockStartingOn"/>: an org whose today is a chosen date, with time still passing.</summary>
public sealed class ClockStartingOnTests
{
    private static readonly DateTimeOffset Noon = new(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void It_reads_noon_UTC_of_the_date_then_advances_as_the_underlying_clock_does()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2031, 11, 5, 17, 42, 13, TimeSpan.FromHours(-5)));

        var clock = SalesforceEmulatorOptions.ClockStartingOn(new DateOnly(2026, 6, 30), real);
        var atStart = clock.GetUtcNow();
        real.Advance(TimeSpan.FromMinutes(90));

        Assert.Equal(Noon, atStart);
        Assert.Equal(TimeSpan.Zero, atStart.Offset);
        Assert.Equal(Noon.AddMinutes(90), clock.GetUtcNow());
    }

    [Fact]
    public void Without_a_clock_it_follows_the_system_clock_from_that_noon()
    {
        var clock = SalesforceEmulatorOptions.ClockStartingOn(new DateOnly(2026, 6, 30));

        Assert.InRange(clock.GetUtcNow(), Noon, Noon.AddHours(1));
    }

    [Fact]
    public async Task The_org_answers_TODAY_with_the_date_and_its_sessions_still_expire()
    {
        var real = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new SalesforceEmulatorOptions { TimeProvider = SalesforceEmulatorOptions.ClockStartingOn(new DateOnly(2026, 6, 30), real), SessionTimeout = TimeSpan.FromMinutes(30) };
        await using var org = new EmulatedOrg(options);
        using var created = await org.Http.PostAsync(new Uri("/services/data/v66.0/sobjects/Account", UriKind.Relative), Json("""{"Name":"Dated"}"""), Ct);

        var today = await org.Http.GetStringAsync(new Uri("/services/data/v66.0/query?q=SELECT+Name,CreatedDate+FROM+Account+WHERE+CreatedDate+=+TODAY", UriKind.Relative), Ct);
        using var token = await org.Http.PostAsync(new Uri("/services/oauth2/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "emulator-client", ["client_secret"] = "emulator-secret",
        }), Ct);
        var accessToken = System.Text.Json.JsonDocument.Parse(await token.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("access_token").GetString();
        real.Advance(TimeSpan.FromMinutes(31));
        using var expired = new HttpRequestMessage(HttpMethod.Get, new Uri("/services/data/v66.0/limits", UriKind.Relative));
        expired.Headers.Authorization = new("Bearer", accessToken);
        using var afterTimeout = await org.Http.SendAsync(expired, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("\"Name\":\"Dated\",\"CreatedDate\":\"2026-06-30T12:00:", today, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterTimeout.StatusCode);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
