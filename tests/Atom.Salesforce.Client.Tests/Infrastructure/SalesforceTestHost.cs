using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Infrastructure;

/// <summary>
/// The SDK registered as an application would register it, with MockHttp as the network. The user "user-1" has a token on
/// https://acme.my.salesforce.com; retries are fast.
/// </summary>
internal sealed class SalesforceTestHost : IAsyncDisposable
{
    public const string UserId = "user-1";
    public const string Instance = "https://acme.my.salesforce.com";
    public const string AccessToken = "00Dxx0000000001!AQ4AQFakeAccessToken";
    public const string RefreshToken = "5Aep861FakeRefreshToken";

    public SalesforceTestHost(Action<SalesforceOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddAtomSalesforce(o =>
            {
                o.ClientId = "test-client-id";
                o.ClientSecret = "test-client-secret";
                o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
                o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(5);
                configure?.Invoke(o);
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => Http));
        services?.Invoke(collection);
        Provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        Tokens = Provider.GetRequiredService<ITokenStore>();
        Tokens.SaveAsync(UserId, Token()).GetAwaiter().GetResult();
        Client = Provider.GetRequiredService<ISalesforceClientFactory>().ForUser(UserId);
    }

    public MockHttpMessageHandler Http { get; } = new();

    public ServiceProvider Provider { get; }

    public ITokenStore Tokens { get; }

    public SalesforceClient Client { get; }

    public static SalesforceToken Token(string accessToken = AccessToken, string? refreshToken = RefreshToken) =>
        new(accessToken, new Uri(Instance), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000)) { RefreshToken = refreshToken };

    public static string Api(string path) => $"{Instance}/services/data/v66.0/{path}";

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
