using Atom.Salesforce.Client.AspNetCore.Webhooks;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Webhooks;

/// <summary>
/// The webhook options come from configuration the way the pack's other options do: the <c>Salesforce:Webhooks</c> section
/// of the application's configuration (then the code's changes), or a section given to <c>AddWebhooks(configuration)</c>;
/// bad values stop the host at start with a message naming the key.
/// </summary>
public sealed class WebhookOptionsBindingTests
{
    /// <summary>A connection string that is never opened: options are read, no host is started.</summary>
    private const string UnusedDatabase = "Host=127.0.0.1;Port=1;Database=unused;Username=unused";

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    private static ISalesforceBuilder Salesforce(HostApplicationBuilder builder) => builder.Services
        .AddAtomSalesforce(o =>
        {
            o.ClientId = "client";
            o.ClientSecret = "secret";
            o.LoginUrl = new Uri("https://login.salesforce.com");
        })
        .AddPostgresTokenStore(o =>
        {
            o.ConnectionString = UnusedDatabase;
            o.Encryption.CurrentKeyId = "k1";
            o.Encryption.Keys["k1"] = Convert.ToBase64String(new byte[32]);
        });

    [Fact]
    public void The_Salesforce_Webhooks_section_is_bound_then_the_code_changes_it()
    {
        var builder = Builder(new()
        {
            ["Salesforce:Webhooks:AllowHttpTargets"] = "true",
            ["Salesforce:Webhooks:MaxAttempts"] = "5",
            ["Salesforce:Webhooks:RetryDelay"] = "00:00:30",
            ["Salesforce:Webhooks:BatchSize"] = "50",
            ["Salesforce:Webhooks:DeliveryEnabled"] = "false",
        });
        Salesforce(builder).AddWebhooks(o => o.BatchSize = 7);
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;

        Assert.True(options.AllowHttpTargets);
        Assert.False(options.AllowLoopbackTargets);
        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetryDelay);
        Assert.False(options.DeliveryEnabled);
        // Configuration first, code second.
        Assert.Equal(7, options.BatchSize);
        Assert.Equal("Salesforce:Webhooks", WebhookOptions.DefaultSectionName);
    }

    [Fact]
    public void A_section_given_to_AddWebhooks_is_bound_instead_of_the_default_one()
    {
        var builder = Builder(new()
        {
            ["Salesforce:Webhooks:MaxAttempts"] = "5",
            ["Hooks:MaxAttempts"] = "3",
            ["Hooks:AllowPrivateTargets"] = "true",
            ["Hooks:MaxRetryDelay"] = "00:10:00",
        });
        Salesforce(builder).AddWebhooks(builder.Configuration.GetSection("Hooks"));
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;

        Assert.Equal(3, options.MaxAttempts);
        Assert.True(options.AllowPrivateTargets);
        Assert.Equal(TimeSpan.FromMinutes(10), options.MaxRetryDelay);
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddAtomSalesforce(o => o.ClientId = "client").AddWebhooks((IConfiguration)null!));
    }

    [Theory]
    [InlineData("Salesforce:Webhooks:MaxAttempts", "many", "Salesforce:Webhooks:MaxAttempts")]
    [InlineData("Salesforce:Webhooks:RetryDelay", "ten seconds", "Salesforce:Webhooks:RetryDelay")]
    [InlineData("Salesforce:Webhooks:AllowHttpTarget", "true", "AllowHttpTarget")]
    [InlineData("Salesforce:Webhooks:BatchSize", "0", "BatchSize")]
    [InlineData("Salesforce:Webhooks:MaxRetryDelay", "00:00:01", "MaxRetryDelay")]
    [InlineData("Salesforce:Webhooks:RequestTimeout", "01:00:00", "RequestTimeout")]
    public async Task A_bad_value_stops_the_host_at_start_with_a_message_naming_the_key(string key, string value, string named)
    {
        var builder = Builder(new() { [key] = value });
        Salesforce(builder).AddWebhooks();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(typeof(WebhookOptions), error.OptionsType);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
