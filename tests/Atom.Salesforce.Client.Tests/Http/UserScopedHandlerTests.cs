using System.Net;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Tests.Http;

public sealed class UserScopedHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_long_lived_client_moves_to_the_new_handler_when_the_factory_rotates_it()
    {
        // Each primary handler the factory builds answers with its own number; handlers live one second (the least
        // IHttpClientFactory allows), so a client kept across that second must reach a newer handler.
        var made = 0;
        var served = new List<int>();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "test-client-id")
            .ConfigureHttpClient(b => b
                .ConfigurePrimaryHttpMessageHandler(() =>
                {
                    var number = Interlocked.Increment(ref made);
                    return new DelegateHandler((request, _) =>
                    {
                        lock (served)
                        {
                            served.Add(number);
                        }

                        Assert.Equal($"{SalesforceTestHost.Instance}/services/data/v66.0/limits/", request.RequestUri!.ToString());
                        Assert.Equal($"Bearer {SalesforceTestHost.AccessToken}", request.Headers.Authorization!.ToString());
                        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}", Encoding.UTF8, "application/json"), RequestMessage = request });
                    });
                })
                .SetHandlerLifetime(TimeSpan.FromSeconds(1)));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync(SalesforceTestHost.UserId, SalesforceTestHost.Token(), Ct);
        var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser(SalesforceTestHost.UserId);

        await client.Limits.GetAsync(Ct);
        var first = served.Single();

        // A generous wait for the factory's expiry timer on a loaded machine, not a timing assertion.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (served[^1] == first && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
            await client.Limits.GetAsync(Ct);
        }

        Assert.NotEqual(first, served[^1]);
        Assert.True(made >= 2);
    }
}
