using System.Net;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Resilience;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Polly;
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
        var outcome = Outcome.FromResult(new HttpResponseMessage((HttpStatusCode)status));

        Assert.Equal(retried, SalesforceResiliencePipeline.ShouldRetry(new HttpMethod(method), outcome));
    }
}
