using System.Net;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.DependencyInjection;

/// <summary>Several connected apps in one container (<c>AddAtomSalesforce(name, ...)</c>), and the resilience options' checks.</summary>
public sealed class NamedAppsRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_misconfigured_named_app_fails_validation_at_start_with_a_message_naming_it()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "default-app");
        services.AddAtomSalesforce("partner-org", o => o.ClientId = "");
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Salesforce app 'partner-org'", e.Message, StringComparison.Ordinal);
        Assert.Contains("ClientId", e.Message, StringComparison.Ordinal);
        Assert.Equal("partner-org", e.OptionsName);
    }

    [Fact]
    public void Each_app_binds_its_own_section_and_the_unnamed_registration_is_the_default_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:ClientId"] = "main",
            ["Salesforce:Apps:partner-org:ClientId"] = "partner",
            ["Salesforce:Apps:partner-org:LoginUrl"] = "https://test.salesforce.com",
            ["Salesforce:Apps:partner-org:Resilience:MaxRetryAttempts"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(configuration.GetSection("Salesforce"));
        services.AddAtomSalesforce("partner-org", configuration.GetSection("Salesforce:Apps:partner-org"));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var monitor = provider.GetRequiredService<IOptionsMonitor<SalesforceOptions>>();

        Assert.Equal("main", monitor.Get(Options.DefaultName).ClientId);
        Assert.Equal(("partner", new Uri("https://test.salesforce.com"), 1),
            (monitor.Get("partner-org").ClientId, monitor.Get("partner-org").LoginUrl, monitor.Get("partner-org").Resilience.MaxRetryAttempts));
        Assert.NotSame(provider.GetRequiredService<ISalesforceClientFactory>(), provider.GetRequiredKeyedService<ISalesforceClientFactory>("partner-org"));
        Assert.NotSame(provider.GetRequiredService<ISalesforceOAuth>(), provider.GetRequiredKeyedService<ISalesforceOAuth>("partner-org"));
    }

    [Fact]
    public void A_named_app_keeps_tokens_in_a_store_of_its_own()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "main");
        services.AddAtomSalesforce("partner-org", o => o.ClientId = "partner");
        services.AddAtomSalesforce("third", o => o.ClientId = "third").AddTokenStore<ThirdStore>();
        using var provider = services.BuildServiceProvider();

        var main = provider.GetRequiredService<ITokenStore>();
        var partner = provider.GetRequiredKeyedService<ITokenStore>("partner-org");

        Assert.IsType<InMemoryTokenStore>(main);
        Assert.IsType<InMemoryTokenStore>(partner);
        Assert.NotSame(main, partner);
        Assert.IsType<ThirdStore>(provider.GetRequiredKeyedService<ITokenStore>("third"));
        Assert.Same(main, provider.GetRequiredService<ITokenStore>());
    }

    [Fact]
    public async Task A_named_apps_client_uses_its_own_store_pipeline_and_settings()
    {
        using var main = new MockHttpMessageHandler();
        using var partner = new MockHttpMessageHandler();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "main")
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => main));
        services.AddAtomSalesforce("partner-org", o => { o.ClientId = "partner"; o.ApiVersion = "62.0"; o.ApplicationId = "PartnerSync"; })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => partner));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync(
            "u1", new SalesforceToken("00Dmain!token", new Uri("https://main.my.salesforce.com"), DateTimeOffset.UtcNow), Ct);
        await provider.GetRequiredKeyedService<ITokenStore>("partner-org").SaveAsync(
            "u1", new SalesforceToken("00Dpartner!token", new Uri("https://partner.my.salesforce.com"), DateTimeOffset.UtcNow), Ct);
        var mainCall = main.When(HttpMethod.Get, "https://main.my.salesforce.com/services/data/v66.0/limits/")
            .WithHeaders("Authorization", "Bearer 00Dmain!token").Respond("application/json", "{}");
        var partnerCall = partner.When(HttpMethod.Get, "https://partner.my.salesforce.com/services/data/v62.0/limits/")
            .WithHeaders("Authorization", "Bearer 00Dpartner!token")
            .With(r => r.Headers.UserAgent.ToString().StartsWith("PartnerSync ", StringComparison.Ordinal))
            .Respond("application/json", "{}");

        await provider.GetRequiredService<ISalesforceClientFactory>().ForUser("u1").Limits.GetAsync(Ct);
        await provider.GetRequiredKeyedService<ISalesforceClientFactory>("partner-org").ForUser("u1").Limits.GetAsync(Ct);

        Assert.Equal(1, main.GetMatchCount(mainCall));
        Assert.Equal(1, partner.GetMatchCount(partnerCall));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("partner org")]
    [InlineData("partner/org")]
    public void An_app_name_that_is_not_a_plain_name_is_refused(string name)
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddAtomSalesforce(name, o => o.ClientId = "x"));
    }

    public static TheoryData<string, Action<SalesforceOptions>> InvalidBreakers => new()
    {
        { "FailureRatio", o => o.Resilience.CircuitBreaker.FailureRatio = 0 },
        { "FailureRatio", o => o.Resilience.CircuitBreaker.FailureRatio = 1.5 },
        { "MinimumThroughput", o => o.Resilience.CircuitBreaker.MinimumThroughput = 1 },
        { "SamplingDuration", o => o.Resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromMilliseconds(100) },
        { "BreakDuration", o => o.Resilience.CircuitBreaker.BreakDuration = TimeSpan.Zero },
        { "MaxRetryAttempts", o => o.Resilience.MaxRetryAttempts = 11 },
    };

    [Theory]
    [MemberData(nameof(InvalidBreakers))]
    public void Invalid_resilience_options_fail_validation_at_start_naming_the_setting(string setting, Action<SalesforceOptions> breakIt)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "abc";
            breakIt(o);
        });
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_circuit_breaker_defaults_are_the_documented_ones()
    {
        var breaker = new SalesforceOptions().Resilience.CircuitBreaker;

        Assert.Equal((true, 0.5, 20, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(15)),
            (breaker.Enabled, breaker.FailureRatio, breaker.MinimumThroughput, breaker.SamplingDuration, breaker.BreakDuration));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.OK, false)]
    public void Only_transient_statuses_count_against_an_orgs_breaker(HttpStatusCode status, bool counts)
    {
        using var response = new HttpResponseMessage(status);

        Assert.Equal(counts, SalesforceRetry.IsTransientFailure(null, response));
    }

    [Fact]
    public void Network_failures_and_attempt_timeouts_count_against_an_orgs_breaker_a_bug_does_not()
    {
        Assert.True(SalesforceRetry.IsTransientFailure(new HttpRequestException("reset"), null));
        Assert.True(SalesforceRetry.IsTransientFailure(new ResilienceTimeoutException(TimeSpan.FromSeconds(1), new OperationCanceledException()), null));
        Assert.False(SalesforceRetry.IsTransientFailure(new InvalidOperationException(), null));
    }

    private sealed class ThirdStore : ITokenStore
    {
        public Task<SalesforceToken?> GetAsync(SalesforceLogin login, CancellationToken cancellationToken = default) => Task.FromResult<SalesforceToken?>(null);

        public Task<IReadOnlyList<SalesforceToken>> GetLoginsAsync(string userId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<SalesforceToken>>([]);

        public Task SaveAsync(string userId, SalesforceToken token, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<bool> DeleteAsync(SalesforceLogin login, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<SalesforceToken> RefreshAsync(string userId, SalesforceToken expired, Func<SalesforceToken, CancellationToken, Task<SalesforceToken>> refresh, CancellationToken cancellationToken = default) =>
            refresh(expired, cancellationToken);
    }
}
