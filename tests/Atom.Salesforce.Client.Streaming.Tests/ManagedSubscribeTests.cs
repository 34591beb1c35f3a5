using Atom.Salesforce.Client.Streaming.Tests.Infrastructure;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.PubSub;

namespace Atom.Salesforce.Client.Streaming.Tests;

/// <summary>
/// <see cref="PubSubClient.ManagedSubscribeAsync"/> against the emulator's ManagedSubscribe: the client commits what the caller
/// consumed on the server, so a new subscription (another process, after a restart) resumes after it with nothing stored on
/// the client; an unknown subscription is refused with Salesforce's error.
/// </summary>
public sealed class ManagedSubscribeTests : IAsyncLifetime
{
    private EmulatedPubSub _rig = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = new SalesforceEmulatorOptions { PubSubKeepAlive = TimeSpan.FromMilliseconds(200) };
        options.ManagedEventSubscriptions.Add(new ManagedEventSubscriptionDefinition { DeveloperName = "Sdk_Accounts", TopicName = "/data/AccountChangeEvent", DefaultReplay = "EARLIEST" });
        _rig = await EmulatedPubSub.StartAsync(options, Ct);
    }

    public ValueTask DisposeAsync() => _rig.DisposeAsync();

    [Fact]
    public async Task What_the_caller_consumed_is_committed_on_the_server_and_the_next_subscription_resumes_after_it()
    {
        var sf = _rig.Salesforce;
        var pubsub = _rig.PubSub;
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await sf.SObjects.CreateAsync("Account", new EmulatorEndToEndTests.Account { Name = $"Managed {i}" }, Ct));
        }

        // Consume the three events, then stay until two keepalives have come: by then the commits have reached the server.
        var first = new List<string>();
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            stop.CancelAfter(TimeSpan.FromMinutes(1));
            var keepalives = 0;
            var options = new SubscribeOptions
            {
                BatchSize = 10,
                KeepaliveReceived = (_, _) =>
                {
                    if (first.Count == 3 && ++keepalives == 2)
                    {
                        stop.Cancel();
                    }

                    return ValueTask.CompletedTask;
                },
            };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var e in pubsub.ManagedSubscribeAsync("Sdk_Accounts", options, stop.Token))
                {
                    first.AddRange(e.ChangeEventHeader!.RecordIds);
                }
            });
        }

        var fourth = await sf.SObjects.CreateAsync("Account", new EmulatorEndToEndTests.Account { Name = "Managed 3" }, Ct);
        ReceivedEvent? resumed = null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            await foreach (var e in pubsub.ManagedSubscribeAsync("Sdk_Accounts", cancellationToken: timeout.Token))
            {
                resumed = e;
                break;
            }
        }

        Assert.Equal(ids, first);
        Assert.NotNull(resumed);
        Assert.Equal([fourth], resumed.ChangeEventHeader!.RecordIds);
        Assert.Equal("Managed 3", resumed.ToChangeEvent<EmulatorEndToEndTests.AccountChange>().Record.Name);
    }

    [Fact]
    public async Task An_unknown_managed_subscription_is_refused_with_Salesforces_error_and_arguments_are_checked_first()
    {
        var pubsub = _rig.PubSub;

        var error = await Assert.ThrowsAsync<PubSubException>(async () =>
        {
            await foreach (var _ in pubsub.ManagedSubscribeAsync("No_Such_Subscription", cancellationToken: Ct))
            {
            }
        });

        Assert.Equal("sfdc.platform.eventbus.grpc.subscription.managed.not.found", error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.Throws<ArgumentException>(() => pubsub.ManagedSubscribeAsync(" ", cancellationToken: Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => pubsub.ManagedSubscribeAsync("Sdk_Accounts", new SubscribeOptions { BatchSize = 101 }, Ct));
    }
}
