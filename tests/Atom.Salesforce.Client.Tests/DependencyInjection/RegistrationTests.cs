using System.Diagnostics;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.DependencyInjection;

public sealed class RegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Salesforce:" + v.Key, v.Value))).Build();

    [Fact]
    public void Options_bind_from_configuration()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(Config(
            ("ClientId", "abc"), ("LoginUrl", "https://test.salesforce.com"), ("ApiVersion", "v65.0"),
            ("Resilience:MaxRetryAttempts", "5"), ("Resilience:AttemptTimeout", "00:00:30")).GetSection("Salesforce"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SalesforceOptions>>().Value;

        Assert.Equal("abc", options.ClientId);
        Assert.Equal(new Uri("https://test.salesforce.com"), options.LoginUrl);
        Assert.Equal("v65.0", options.VersionSegment);
        Assert.Equal(5, options.Resilience.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Resilience.AttemptTimeout);
    }

    [Fact]
    public void Every_option_that_configuration_can_hold_binds_and_code_only_members_are_left_alone()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(Config(
            ("LoginUrl", "https://acme.my.salesforce.com/base"), ("TrustedInstanceHosts:0", "api.example.com"), ("TrustedInstanceHosts:1", "*.proxy.example"),
            ("ApiVersion", "65.0"), ("ClientId", "abc"), ("ClientSecret", "s3cret"), ("JwtPrivateKeyPath", "/keys/jwt.pem"),
            ("JwtAudience", "https://test.salesforce.com"), ("SessionTimeout", "02:00:00"), ("ApplicationId", "MyApp"),
            ("Resilience:MaxRetryAttempts", "2"), ("Resilience:BaseDelay", "00:00:02"), ("Resilience:MaxDelay", "00:00:20"),
            ("Resilience:AttemptTimeout", "00:01:00"), ("Resilience:TotalTimeout", "00:03:00"),
            ("JwtCertificate", "not bound"), ("TypeInfoResolver", "not bound")).GetSection("Salesforce"));
        using var provider = services.BuildServiceProvider();

        // The configuration steps only: validation would load the JWT key file, which is not there.
        var options = new SalesforceOptions();
        foreach (var configure in provider.GetServices<IConfigureOptions<SalesforceOptions>>())
        {
            configure.Configure(options);
        }

        Assert.Equal(new Uri("https://acme.my.salesforce.com/base"), options.LoginUrl);
        Assert.Equal(["api.example.com", "*.proxy.example"], options.TrustedInstanceHosts);
        Assert.Equal("65.0", options.ApiVersion);
        Assert.Equal("abc", options.ClientId);
        Assert.Equal("s3cret", options.ClientSecret);
        Assert.Null(options.JwtPrivateKeyPem);
        Assert.Equal("/keys/jwt.pem", options.JwtPrivateKeyPath);
        Assert.Equal(new Uri("https://test.salesforce.com"), options.JwtAudience);
        Assert.Equal(TimeSpan.FromHours(2), options.SessionTimeout);
        Assert.Equal("MyApp", options.ApplicationId);
        Assert.Equal(2, options.Resilience.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Resilience.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Resilience.MaxDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Resilience.AttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(3), options.Resilience.TotalTimeout);
        Assert.Null(options.JwtCertificate);
        Assert.Null(options.TypeInfoResolver);
    }

    [Fact]
    public void The_generated_binding_lists_every_settable_option_but_the_code_only_ones()
    {
        // SalesforceOptionsBinding.Section is what the configuration binding generator binds; an option missing from it
        // would silently stop binding from configuration.
        string[] codeOnly = [nameof(SalesforceOptions.JwtCertificate), nameof(SalesforceOptions.TypeInfoResolver), nameof(SalesforceOptions.Resilience)];
        var settable = typeof(SalesforceOptions).GetProperties().Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name).Except(codeOnly).Order();
        var bound = typeof(SalesforceOptionsBinding.Section).GetProperties().Select(p => p.Name).Order();

        Assert.Equal(settable, bound);
    }

    public static TheoryData<string, Action<SalesforceOptions>> InvalidOptions => new()
    {
        { "ClientId", o => o.ClientId = "" },
        { "ApiVersion", o => o.ApiVersion = "66" },
        { "ApiVersion", o => o.ApiVersion = "latest/../x" },
        { "LoginUrl", o => o.LoginUrl = new Uri("ftp://login.salesforce.com") },
        { "LoginUrl", o => o.LoginUrl = null! },
        { "ApplicationId", o => o.ApplicationId = "my app (1)" },
        { "MaxRetryAttempts", o => o.Resilience.MaxRetryAttempts = -1 },
        { "TotalTimeout", o => o.Resilience.TotalTimeout = TimeSpan.FromSeconds(1) },
        { "AttemptTimeout", o => o.Resilience.AttemptTimeout = TimeSpan.Zero },
        { "BaseDelay", o => o.Resilience.BaseDelay = TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_fail_validation_at_start_naming_the_setting(string setting, Action<SalesforceOptions> breakIt)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "abc";
            breakIt(o);
        });
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(setting, e.Message);
    }

    [Fact]
    public void Valid_options_pass_validation_at_start()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "abc");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal("66.0", provider.GetRequiredService<IOptions<SalesforceOptions>>().Value.ApiVersion);
    }

    [Fact]
    public void Registering_twice_registers_each_service_once()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "abc");
        services.AddAtomSalesforce(o => o.ApplicationId = "second");

        Assert.Single(services, d => d.ServiceType == typeof(ISalesforceClientFactory));
        Assert.Single(services, d => d.ServiceType == typeof(ITokenStore));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SalesforceOptions>>().Value;
        Assert.Equal(("abc", "second"), (options.ClientId, options.ApplicationId));
    }

    [Fact]
    public void AddTokenStore_replaces_the_in_memory_store()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "abc").AddTokenStore<RecordingStore>();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<RecordingStore>(provider.GetRequiredService<ITokenStore>());
    }

    [Fact]
    public async Task Requests_name_the_SDK_and_the_application_in_the_User_Agent()
    {
        await using var host = new SalesforceTestHost(o => o.ApplicationId = "PipelineService");
        var call = host.Http.When(HttpMethod.Get, SalesforceTestHost.Api("limits/"))
            .With(r => r.Headers.UserAgent.ToString().StartsWith("PipelineService Atom.Salesforce.Client/", StringComparison.Ordinal)
                && r.Headers.UserAgent.ToString().Contains(".NET", StringComparison.Ordinal))
            .Respond("application/json", "{}");

        await host.Client.Limits.GetAsync(Ct);

        Assert.Equal(1, host.Http.GetMatchCount(call));
    }

    [Fact]
    public async Task Each_operation_records_a_span_and_a_duration()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Get, SalesforceTestHost.Api("limits/")).Respond("application/json", "{}");
        using var metrics = new MetricCollector<double>(host.Provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Atom.Salesforce", "salesforce.client.operation.duration");
        var spans = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Atom.Salesforce",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => { lock (spans) { spans.Add(a.OperationName); } },
        };
        ActivitySource.AddActivityListener(listener);

        await host.Client.Limits.GetAsync(Ct);

        Assert.Contains("LimitsClient.Get", spans);
        var measurement = Assert.Single(metrics.GetMeasurementSnapshot(), m => (string?)m.Tags["salesforce.operation"] == "LimitsClient.Get");
        Assert.True(measurement.Value >= 0);
        Assert.Null(measurement.Tags["error.type"]);
    }

    [Fact]
    public void ForUser_refuses_an_empty_user()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "abc");
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ISalesforceClientFactory>();

        Assert.Throws<ArgumentException>(() => factory.ForUser(" "));
        Assert.Throws<ArgumentNullException>(() => factory.ForUser(null!));
    }

    private sealed class RecordingStore : ITokenStore
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
