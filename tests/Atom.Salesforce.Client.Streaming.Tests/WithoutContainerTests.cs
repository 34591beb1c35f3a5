using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;

namespace Atom.Salesforce.Client.Streaming.Tests;

/// <summary>
/// The Pub/Sub API client without a dependency-injection container (issue 17): <c>PubSubClientFactory.Create</c> on top of
/// the core's <c>SalesforceClientFactory.Create</c>, against the emulator's Pub/Sub server (a real HTTP/2 server).
/// </summary>
public sealed class WithoutContainerTests
{
    private const string OrgId = "00DHs0000000001MAA";
    private const string UserId = "user-1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_record_created_through_REST_arrives_as_a_change_event_on_a_client_made_without_a_container()
    {
        var emulatorOptions = new SalesforceEmulatorOptions();
        var emulator = new SalesforceEmulator(emulatorOptions);
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        var tokens = new InMemoryTokenStore();
        await tokens.SaveAsync(UserId, new SalesforceToken(emulatorOptions.AccessToken!, server.BaseAddress, DateTimeOffset.UtcNow)
        {
            IdentityUrl = new Uri(server.BaseAddress, $"/id/{OrgId}/005Hs00000000001AAA"),
        }, Ct);

        await using var salesforce = SalesforceClientFactory.Create(new SalesforceOptions { ClientId = "emulator", LoginUrl = server.BaseAddress }, tokens);
        await using var pubSub = PubSubClientFactory.Create(salesforce, new PubSubOptions { Endpoint = server.PubSubAddress! });
        var sf = salesforce.ForUser(UserId);
        var id = await sf.SObjects.CreateAsync("Account", new EmulatorEndToEndTests.Account { Name = "Container-free" }, Ct);

        ChangeEvent<EmulatorEndToEndTests.AccountChange>? created = null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await foreach (var e in pubSub.ForUser(UserId).SubscribeAsync("/data/AccountChangeEvent", ReplayStart.Earliest, cancellationToken: timeout.Token))
            {
                created = e.ToChangeEvent<EmulatorEndToEndTests.AccountChange>();
                break;
            }
        }

        Assert.NotNull(created);
        Assert.Equal(ChangeType.Create, created.Header.ChangeType);
        Assert.Equal([id], created.Header.RecordIds);
        Assert.Equal("Container-free", created.Record.Name);

        // Disposing of the Pub/Sub factory closes its connection only: the caller's REST factory (and its token path) goes on.
        await pubSub.DisposeAsync();
        var second = await sf.SObjects.CreateAsync("Account", new EmulatorEndToEndTests.Account { Name = "After" }, Ct);
        Assert.False(string.IsNullOrEmpty(second));
    }

    [Fact]
    public async Task Invalid_options_are_refused_when_the_factory_is_made()
    {
        await using var salesforce = SalesforceClientFactory.Create(new SalesforceOptions { ClientId = "emulator" }, new InMemoryTokenStore());

        Assert.Throws<ArgumentException>(() => PubSubClientFactory.Create(salesforce, new PubSubOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentException>(() => PubSubClientFactory.Create(salesforce, new PubSubOptions { Endpoint = new Uri("http://pubsub.example.com:7443") }));
        Assert.Throws<ArgumentNullException>(() => PubSubClientFactory.Create(null!));
    }
}
