using System.Net;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Resilience;

/// <summary>
/// The SDK's own resilience handlers (issue 22: no <c>AddResilienceHandler</c>): what SalesforceResilienceOptions documents,
/// through the container and through <see cref="SalesforceClientFactory.Create"/> alike.
/// </summary>
public sealed class ResilienceHandlerTests
{
    private const string Id = "001D000000IRFmaIAH";
    private const string TokenEndpoint = "https://login.salesforce.com/services/oauth2/token";
    private const string NewAccessToken = "00Dxx0000000001!AQ4AQRefreshedAccessToken";
    private static readonly string RecordUrl = SalesforceTestHost.Api("sobjects/Account/" + Id);
    private static readonly string CreateUrl = SalesforceTestHost.Api("sobjects/Account/");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpResponseMessage Record() =>
        new(HttpStatusCode.OK) { Content = new StringContent($$"""{"attributes":{"type":"Account"},"Id":"{{Id}}"}""", System.Text.Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Created() =>
        new(HttpStatusCode.Created) { Content = new StringContent($$"""{"id":"{{Id}}","success":true,"errors":[]}""", System.Text.Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Unavailable() => new(HttpStatusCode.ServiceUnavailable)
    {
        Headers = { { "Retry-After", "0" } },
        Content = new StringContent("""[{"message":"try later","errorCode":"SERVER_UNAVAILABLE"}]""", System.Text.Encoding.UTF8, "application/json"),
    };

    [Fact]
    public async Task A_POST_goes_through_no_retry_loop_while_a_GET_does()
    {
        await using var host = new SalesforceTestHost(services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));
        host.Http.When(HttpMethod.Post, CreateUrl).Respond(_ => Created());
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ => Record());
        var logs = host.Provider.GetRequiredService<FakeLogCollector>();

        await host.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "x" }, Ct);
        var afterPost = logs.GetSnapshot();
        await host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct);
        var afterGet = logs.GetSnapshot();

        // The retry loop reports the attempt that ends a call (event 2006, at Debug); a POST, never repeated, runs none.
        Assert.DoesNotContain(afterPost, l => l.Id.Id == 2006);
        Assert.Contains(afterGet, l => l.Id.Id == 2006 && l.Message.StartsWith("GET /services/data/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_POST_that_times_out_is_sent_once_and_gives_a_transient_exception()
    {
        await using var host = new SalesforceTestHost(o =>
        {
            // Only the attempt timeout can end this call: a total timeout close to it could fire before a loaded machine
            // reaches the handler, and then nothing would have been sent at all.
            o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.Resilience.TotalTimeout = TimeSpan.FromMinutes(5);
        });
        var attempts = 0;
        host.Http.When(HttpMethod.Post, CreateUrl).Respond(new DelegateHandler(async (_, token) =>
        {
            Interlocked.Increment(ref attempts);
            await Task.Delay(Timeout.Infinite, token);
            return Created();
        }));

        var e = await Assert.ThrowsAsync<SalesforceException>(() => host.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "x" }, Ct));

        Assert.True(e.IsTransient);
        Assert.Contains("timed out", e.Message);
        Assert.Equal(SalesforceError.Codes.ConnectionFailed, e.ErrorCode);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Post, CreateUrl).Respond(new DelegateHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return Created();
        }));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "x" }, cancel.Token));
    }

    [Fact]
    public async Task The_attempt_timeout_covers_the_replay_after_a_token_refresh()
    {
        await using var host = new SalesforceTestHost(o =>
        {
            o.Resilience.MaxRetryAttempts = 0;
            // Long enough for the first attempt's 401 to come back on a loaded machine: the replay is the one that hangs.
            o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(2);
            o.Resilience.TotalTimeout = TimeSpan.FromMinutes(5);
        });
        var replays = 0;
        host.Http.When(HttpMethod.Get, RecordUrl).WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken)
            .Respond(HttpStatusCode.Unauthorized, "application/json", Fixtures.Read("errors/401_invalid_session_id.restforce.json"));
        host.Http.When(HttpMethod.Get, RecordUrl).WithHeaders("Authorization", "Bearer " + NewAccessToken).Respond(new DelegateHandler(async (_, token) =>
        {
            Interlocked.Increment(ref replays);
            await Task.Delay(Timeout.Infinite, token);
            return Record();
        }));
        host.Http.When(HttpMethod.Post, TokenEndpoint).Respond("application/json", $$"""
            {"access_token":"{{NewAccessToken}}","instance_url":"{{SalesforceTestHost.Instance}}",
             "id":"https://login.salesforce.com/id/00Dxx0000000001AAA/005xx000000456AAA","issued_at":"1733000000000",
             "signature":"c2ln","token_type":"Bearer"}
            """);

        var e = await Assert.ThrowsAsync<SalesforceException>(() => host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct));

        // The replay got its own attempt timeout (2 s), long before the total timeout (5 min).
        Assert.Equal(1, replays);
        Assert.True(e.IsTransient);
        Assert.Contains("timed out (2 s)", e.Message);
    }

    [Fact]
    public async Task Without_a_container_a_GET_is_retried_a_POST_is_not_and_an_org_that_keeps_failing_opens_its_breaker()
    {
        var http = new MockHttpMessageHandler();
        var gets = 0;
        var posts = 0;
        http.When(HttpMethod.Get, RecordUrl).Respond(_ => ++gets == 1 ? Unavailable() : Record());
        http.When(HttpMethod.Post, CreateUrl).Respond(_ => { posts++; return Unavailable(); });
        var tokens = new InMemoryTokenStore();
        await tokens.SaveAsync(SalesforceTestHost.UserId, SalesforceTestHost.Token(), Ct);
        var options = new SalesforceOptions { ClientId = "test-client-id" };
        options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Resilience.MaxDelay = TimeSpan.FromMilliseconds(5);
        options.Resilience.CircuitBreaker.MinimumThroughput = 4;
        options.Resilience.CircuitBreaker.FailureRatio = 0.5;
        await using var factory = SalesforceClientFactory.Create(options, tokens, http);
        var client = factory.ForUser(SalesforceTestHost.UserId);

        var record = await client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct);
        var refused = await Assert.ThrowsAsync<SalesforceApiException>(() => client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "x" }, Ct));
        await Assert.ThrowsAsync<SalesforceApiException>(() => client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "x" }, Ct));
        var open = await Assert.ThrowsAsync<SalesforceException>(() => client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "x" }, Ct));

        Assert.Equal(Id, record.Id);
        Assert.Equal(2, gets);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        // Four attempts (503, 200, 503, 503), three failures: the breaker opens and the third POST is never sent.
        Assert.Equal(2, posts);
        Assert.Equal(SalesforceError.Codes.CircuitOpen, open.ErrorCode);
        Assert.True(open.IsTransient);
        Assert.Contains("acme.my.salesforce.com", open.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_attempt_times_out_and_counts_against_the_org_hosts_breaker_with_or_without_API_governance(bool governance)
    {
        // Without governance the auth handler runs the attempt's breaker and timeout; with it, SalesforceAttemptHandler does,
        // after the governance queue. Both send through the same step and must behave alike.
        var http = new MockHttpMessageHandler();
        var posts = 0;
        http.When(HttpMethod.Post, CreateUrl).Respond(new DelegateHandler(async (_, token) =>
        {
            Interlocked.Increment(ref posts);
            await Task.Delay(Timeout.Infinite, token);
            return Created();
        }));
        http.When(HttpMethod.Get, SalesforceTestHost.Api("limits/")).Respond("application/json", Fixtures.Read("limits/limits.simple-salesforce.json"));
        var services = new ServiceCollection();
        var builder = services.AddAtomSalesforce(o =>
        {
            o.ClientId = "test-client-id";
            o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.Resilience.TotalTimeout = TimeSpan.FromMinutes(5);
            o.Resilience.CircuitBreaker.MinimumThroughput = 2;
            o.Resilience.CircuitBreaker.FailureRatio = 0.5;
            o.Resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(5);
        }).ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => http));
        if (governance)
        {
            builder.AddApiGovernance();
        }

        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync(SalesforceTestHost.UserId, SalesforceTestHost.Token(), Ct);
        var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser(SalesforceTestHost.UserId);

        var first = await Assert.ThrowsAsync<SalesforceException>(() => client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "x" }, Ct));
        var second = await Assert.ThrowsAsync<SalesforceException>(() => client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "x" }, Ct));
        var refused = await Assert.ThrowsAsync<SalesforceException>(() => client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "x" }, Ct));

        Assert.All([first, second], e =>
        {
            Assert.Contains("timed out (1 s)", e.Message, StringComparison.Ordinal);
            Assert.True(e.IsTransient);
        });

        // Two attempts timed out (two failures of two): the breaker opened, and the third create was never sent.
        Assert.Equal(2, posts);
        Assert.Equal(SalesforceError.Codes.CircuitOpen, refused.ErrorCode);
    }

    [Fact]
    public void Without_a_container_invalid_options_fail_as_they_fail_in_the_container()
    {
        var options = new SalesforceOptions { ClientId = "test-client-id" };
        options.Resilience.TotalTimeout = TimeSpan.FromSeconds(1);
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "test-client-id";
            o.Resilience.TotalTimeout = TimeSpan.FromSeconds(1);
        });
        using var provider = services.BuildServiceProvider();

        var standalone = Assert.Throws<OptionsValidationException>(() => SalesforceClientFactory.Create(options, new InMemoryTokenStore()));
        var container = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<SalesforceOptions>>().CurrentValue);

        Assert.Equal(container.Failures, standalone.Failures);
        Assert.Contains(standalone.Failures, f => f.Contains("TotalTimeout", StringComparison.Ordinal));
    }
}
