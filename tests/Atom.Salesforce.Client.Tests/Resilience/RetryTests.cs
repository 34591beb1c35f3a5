using System.Net;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Resilience;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Resilience;

public sealed class RetryTests
{
    private const string Id = "001D000000IRFmaIAH";
    private static readonly string RecordUrl = SalesforceTestHost.Api("sobjects/Account/" + Id);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpResponseMessage Status(HttpStatusCode status, string? retryAfter = null)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent("""[{"message":"try later","errorCode":"SERVER_UNAVAILABLE"}]""", System.Text.Encoding.UTF8, "application/json"),
        };
        if (retryAfter is not null)
        {
            response.Headers.Add("Retry-After", retryAfter);
        }

        return response;
    }

    private static HttpResponseMessage Record() =>
        new(HttpStatusCode.OK) { Content = new StringContent($$"""{"attributes":{"type":"Account"},"Id":"{{Id}}"}""", System.Text.Encoding.UTF8, "application/json") };

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task A_GET_is_retried_on_transient_statuses(HttpStatusCode status)
    {
        await using var host = new SalesforceTestHost();
        var attempts = 0;
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ => ++attempts < 3 ? Status(status, "0") : Record());

        var record = await host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct);

        Assert.Equal(Id, record.Id);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_GET_is_retried_after_a_network_failure()
    {
        await using var host = new SalesforceTestHost();
        var attempts = 0;
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ => ++attempts == 1 ? throw new HttpRequestException("connection reset") : Record());

        await host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct);

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_DELETE_is_retried()
    {
        await using var host = new SalesforceTestHost();
        var attempts = 0;
        host.Http.When(HttpMethod.Delete, RecordUrl).Respond(_ => ++attempts == 1 ? Status(HttpStatusCode.ServiceUnavailable) : new HttpResponseMessage(HttpStatusCode.NoContent));

        await host.Client.SObjects.DeleteAsync("Account", Id, Ct);

        Assert.Equal(2, attempts);
    }

    /// <summary>What Salesforce answers when another transaction holds the record's lock: 400 with UNABLE_TO_LOCK_ROW.</summary>
    private static HttpResponseMessage LockedRow(HttpStatusCode status = HttpStatusCode.BadRequest) => new(status)
    {
        Content = new StringContent(
            """[{"message":"unable to obtain exclusive access to this record or 1 records: 001D000000IRFmaIAH","errorCode":"UNABLE_TO_LOCK_ROW","fields":[]}]""",
            System.Text.Encoding.UTF8, "application/json"),
    };

    [Fact]
    public async Task A_GET_answered_UNABLE_TO_LOCK_ROW_is_retried_like_other_transient_errors()
    {
        await using var host = new SalesforceTestHost();
        var attempts = 0;
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ => ++attempts < 3 ? LockedRow() : Record());

        var record = await host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct);

        Assert.Equal(Id, record.Id);
        Assert.Equal(3, attempts);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Conflict)]
    public async Task A_DELETE_answered_UNABLE_TO_LOCK_ROW_is_retried(HttpStatusCode status)
    {
        await using var host = new SalesforceTestHost();
        var attempts = 0;
        host.Http.When(HttpMethod.Delete, RecordUrl).Respond(_ => ++attempts == 1 ? LockedRow(status) : new HttpResponseMessage(HttpStatusCode.NoContent));

        await host.Client.SObjects.DeleteAsync("Account", Id, Ct);

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_lock_that_outlasts_the_retries_gives_a_transient_exception_with_Salesforce_error()
    {
        await using var host = new SalesforceTestHost();
        var attempts = 0;
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ => { attempts++; return LockedRow(); });

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct));

        Assert.True(e.IsTransient);
        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.Equal(SalesforceError.Codes.UnableToLockRow, Assert.Single(e.Errors).ErrorCode);
        Assert.Equal(1 + new SalesforceOptions().Resilience.MaxRetryAttempts, attempts);
    }

    [Fact]
    public async Task A_PATCH_answered_UNABLE_TO_LOCK_ROW_is_not_repeated()
    {
        await using var host = new SalesforceTestHost();
        var attempts = 0;
        host.Http.When(HttpMethod.Patch, RecordUrl).Respond(_ => { attempts++; return LockedRow(); });

        var e = await Assert.ThrowsAsync<SalesforceApiException>(
            () => host.Client.SObjects.UpdateAsync("Account", Id, new Dictionary<string, object?> { ["Name"] = "x" }, Ct));

        Assert.True(e.IsTransient);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_GET_answered_400_with_another_error_is_not_retried()
    {
        await using var host = new SalesforceTestHost();
        var attempts = 0;
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ =>
        {
            attempts++;
            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent(Fixtures.Read("errors/400_invalid_field.restforce.json"), System.Text.Encoding.UTF8, "application/json"),
            };
        });

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct));

        Assert.False(e.IsTransient);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_POST_is_never_repeated()
    {
        await using var host = new SalesforceTestHost();
        var attempts = 0;
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("sobjects/Account/")).Respond(_ => { attempts++; return Status(HttpStatusCode.ServiceUnavailable); });

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => host.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "x" }, Ct));

        Assert.Equal(1, attempts);
        Assert.True(e.IsTransient);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.Status);
    }

    [Fact]
    public async Task A_PATCH_is_never_repeated_even_after_a_network_failure()
    {
        await using var host = new SalesforceTestHost();
        var attempts = 0;
        host.Http.When(HttpMethod.Patch, RecordUrl).Respond(_ => { attempts++; throw new HttpRequestException("connection reset"); });

        var e = await Assert.ThrowsAsync<SalesforceException>(() => host.Client.SObjects.UpdateAsync("Account", Id, new SObject("Account") { ["Name"] = "x" }, Ct));

        Assert.Equal(1, attempts);
        Assert.True(e.IsTransient);
        Assert.IsType<HttpRequestException>(e.InnerException);
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_attempts()
    {
        await using var host = new SalesforceTestHost(o => o.Resilience.MaxRetryAttempts = 2);
        var attempts = 0;
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ => { attempts++; return Status(HttpStatusCode.ServiceUnavailable); });

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct));

        Assert.Equal(3, attempts);
        Assert.Equal("SERVER_UNAVAILABLE", e.ErrorCode);
    }

    [Fact]
    public async Task A_429_that_is_not_retried_carries_Retry_After()
    {
        await using var host = new SalesforceTestHost(o => o.Resilience.MaxRetryAttempts = 0);
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ => Status(HttpStatusCode.TooManyRequests, "7"));

        var e = await Assert.ThrowsAsync<SalesforceRateLimitException>(() => host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct));

        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task A_slow_attempt_times_out_and_the_GET_is_tried_again()
    {
        await using var host = new SalesforceTestHost(o => o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(200));
        var attempts = 0;
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(new DelegateHandler(async (_, token) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return Record();
        }));

        var record = await host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct);

        Assert.Equal(Id, record.Id);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_total_timeout_gives_a_transient_SalesforceException_not_a_cancellation()
    {
        await using var host = new SalesforceTestHost(o =>
        {
            o.Resilience.MaxRetryAttempts = 0;
            o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(100);
            o.Resilience.TotalTimeout = TimeSpan.FromMilliseconds(150);
        });
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(new DelegateHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return Record();
        }));

        var e = await Assert.ThrowsAsync<SalesforceException>(() => host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct));

        Assert.True(e.IsTransient);
        Assert.Contains("timed out", e.Message);
    }

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 2_000)]
    [InlineData(3, 4_000)]
    [InlineData(5, 16_000)]
    public void The_backoff_doubles_from_BaseDelay_with_at_most_a_fifth_of_jitter_either_way(int retry, int exponentialMs)
    {
        var options = new SalesforceOptions().Resilience;

        var shortest = SalesforceRetry.Delay(options, retry, null, TimeProvider.System, random: 0);
        var longest = SalesforceRetry.Delay(options, retry, null, TimeProvider.System, random: 0.999999);

        Assert.Equal(TimeSpan.FromMilliseconds(exponentialMs * 0.8), shortest);
        Assert.InRange(longest, TimeSpan.FromMilliseconds(exponentialMs * 1.19), TimeSpan.FromMilliseconds(exponentialMs * 1.2));
    }

    [Fact]
    public void No_wait_is_longer_than_MaxDelay_and_Retry_After_wins_over_the_backoff()
    {
        var options = new SalesforceOptions().Resilience;
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
        using var seconds = Status(HttpStatusCode.TooManyRequests, "7");
        using var tooLong = Status(HttpStatusCode.ServiceUnavailable, "120");
        using var past = Status(HttpStatusCode.ServiceUnavailable, now.AddMinutes(-1).ToString("R"));
        using var date = Status(HttpStatusCode.ServiceUnavailable, now.AddSeconds(5).ToString("R"));

        Assert.Equal(options.MaxDelay, SalesforceRetry.Delay(options, 10, null, clock, random: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(7), SalesforceRetry.Delay(options, 3, seconds, clock, random: 0.5));
        Assert.Equal(options.MaxDelay, SalesforceRetry.Delay(options, 1, tooLong, clock, random: 0.5));
        Assert.Equal(TimeSpan.Zero, SalesforceRetry.Delay(options, 1, past, clock, random: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(5), SalesforceRetry.Delay(options, 1, date, clock, random: 0.5));
    }

    [Fact]
    public async Task A_GET_waits_what_Retry_After_asks_before_it_is_tried_again()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = new SalesforceTestHost(o => o.Resilience.MaxDelay = TimeSpan.FromMinutes(1), s => s.AddSingleton<TimeProvider>(clock));
        var attempts = 0;
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ => Interlocked.Increment(ref attempts) == 1 ? Status(HttpStatusCode.TooManyRequests, "20") : Record());

        var call = host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct);

        // A generous wait for the first attempt on a loaded machine, not a timing assertion.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref attempts) < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        // The call now waits on the clock: 19 s later it has not been tried again, at 20 s it is.
        clock.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(200, Ct);
        Assert.Equal(1, Volatile.Read(ref attempts));
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var record = await call.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(Id, record.Id);
        Assert.Equal(2, attempts);
    }

    [Theory]
    [InlineData("GET", 503, true)]
    [InlineData("HEAD", 504, true)]
    [InlineData("DELETE", 429, true)]
    [InlineData("GET", 500, false)]
    [InlineData("GET", 400, false)]
    [InlineData("GET", 401, false)]
    [InlineData("GET", 403, false)]
    [InlineData("POST", 503, false)]
    [InlineData("PATCH", 429, false)]
    [InlineData("PUT", 502, false)]
    public void Retry_rule(string method, int status, bool retried)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);

        Assert.Equal(retried, SalesforceRetry.ShouldRetry(new HttpMethod(method), null, response));
    }
}
