using Atom.Salesforce.Client.Streaming.Consumer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer.Postgres;

/// <summary>
/// The consumer's PostgreSQL replay store and subscriber lease (<c>UsePostgres()</c>) against a real server: replay ids kept per
/// org, consumer and topic; one holder per key across instances (each instance is its own container, data source and
/// connections, as two processes are); a holder whose session dies loses the lease at once and can no longer commit.
/// </summary>
public sealed class PostgresChangeEventStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replay_ids_are_kept_per_org_consumer_and_topic_and_a_commit_replaces_the_previous_one()
    {
        await using var schema = await TestSchema.CreateAsync();
        await using var instance = TestSchema.Instance(schema.ConnectionString);
        var store = instance.GetRequiredService<IReplayStore>();
        var key = new SubscriptionKey("00D000000000001EAA", "billing", "/data/OpportunityChangeEvent");

        Assert.Null(await store.GetAsync(key, Ct));
        await store.SaveAsync(key, new ReplayId([0, 0, 0, 0, 0, 0, 1, 7]), Ct);
        await store.SaveAsync(key, new ReplayId([0, 0, 0, 0, 0, 0, 1, 9]), Ct);
        await store.SaveAsync(new SubscriptionKey("00D000000000001EAA", "search-index", "/data/OpportunityChangeEvent"), new ReplayId([5]), Ct);
        await store.SaveAsync(new SubscriptionKey("00D000000000002EAA", "billing", "/data/OpportunityChangeEvent"), new ReplayId([6]), Ct);

        Assert.Equal(new ReplayId([0, 0, 0, 0, 0, 0, 1, 9]), await store.GetAsync(key, Ct));
        Assert.Null(await store.GetAsync(new SubscriptionKey("00D000000000001EAA", "billing", "/data/AccountChangeEvent"), Ct));
        Assert.Equal(3, await schema.ScalarAsync("SELECT count(*) FROM salesforce_pubsub_replay_ids"));
        // Another instance (its own data source) reads what this one committed.
        await using var other = TestSchema.Instance(schema.ConnectionString);
        Assert.Equal(new ReplayId([0, 0, 0, 0, 0, 0, 1, 9]), await other.GetRequiredService<IReplayStore>().GetAsync(key, Ct));
    }

    [Fact]
    public async Task One_instance_holds_a_topics_lease_the_others_get_null_until_it_gives_it_up()
    {
        await using var schema = await TestSchema.CreateAsync();
        await using var first = TestSchema.Instance(schema.ConnectionString);
        await using var second = TestSchema.Instance(schema.ConnectionString);
        var key = new SubscriptionKey("00D000000000001EAA", "default", "/data/OpportunityChangeEvent");

        var held = await first.GetRequiredService<IChangeEventLeaseProvider>().TryAcquireAsync(key, Ct);
        Assert.NotNull(held);
        Assert.Null(await second.GetRequiredService<IChangeEventLeaseProvider>().TryAcquireAsync(key, Ct));
        // Another topic is another lease.
        await using (var otherTopic = await second.GetRequiredService<IChangeEventLeaseProvider>().TryAcquireAsync(
            new SubscriptionKey("00D000000000001EAA", "default", "/data/AccountChangeEvent"), Ct))
        {
            Assert.NotNull(otherTopic);
        }

        await held.DisposeAsync();

        await using var taken = await second.GetRequiredService<IChangeEventLeaseProvider>().TryAcquireAsync(key, Ct);
        Assert.NotNull(taken);
        Assert.False(taken.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task The_lease_is_a_session_advisory_lock_on_SFCE_and_the_hash_of_org_consumer_and_topic()
    {
        await using var schema = await TestSchema.CreateAsync();
        await using var instance = TestSchema.Instance(schema.ConnectionString);
        var key = new SubscriptionKey("00D000000000001EAA", "default", "/data/OpportunityChangeEvent");

        await using var held = await instance.GetRequiredService<IChangeEventLeaseProvider>().TryAcquireAsync(key, Ct);

        Assert.NotNull(held);
        Assert.Equal(1, await schema.ScalarAsync(
            """
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
                AND classid = 1397113669::oid AND objid = (hashtext('00D000000000001EAA/default/data/OpportunityChangeEvent')::bigint & 4294967295)::oid
            """));
        // Nobody else can take it, whatever their client: the same call in plain SQL is refused.
        Assert.Equal(0, await schema.ScalarAsync(
            "SELECT pg_try_advisory_lock(1397113669, hashtext('00D000000000001EAA/default/data/OpportunityChangeEvent'))::int"));
    }

    [Fact]
    public async Task A_holder_whose_session_is_killed_loses_the_lease_at_once_cannot_commit_and_another_instance_takes_it()
    {
        await using var schema = await TestSchema.CreateAsync();
        await using var first = TestSchema.Instance(schema.ConnectionString);
        await using var second = TestSchema.Instance(schema.ConnectionString);
        var key = new SubscriptionKey("00D000000000001EAA", "default", "/data/OpportunityChangeEvent");
        var lease = await first.GetRequiredService<IChangeEventLeaseProvider>().TryAcquireAsync(key, Ct);
        Assert.NotNull(lease);
        var store = first.GetRequiredService<IReplayStore>();
        await store.SaveAsync(key, new ReplayId([1]), Ct);

        // The database ends the holder's session (as a failover of the server, or a network cut the server noticed, does).
        Assert.Equal(1, await schema.ScalarAsync(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1397113669::oid AND objid = hashtext('00D000000000001EAA/default/data/OpportunityChangeEvent')::oid AND granted"));
        await Wait.UntilAsync(() => lease.Lost.IsCancellationRequested, "the holder notices that its lease is lost");

        await Assert.ThrowsAnyAsync<Exception>(() => store.SaveAsync(key, new ReplayId([2]), Ct));
        await using var taken = await second.GetRequiredService<IChangeEventLeaseProvider>().TryAcquireAsync(key, Ct);
        Assert.NotNull(taken);
        await lease.DisposeAsync();
        Assert.Equal(new ReplayId([1]), await second.GetRequiredService<IReplayStore>().GetAsync(key, Ct));
    }

    [Fact]
    public async Task UsePostgres_without_a_PostgreSQL_token_store_fails_at_start_before_any_connection()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "consumer-tests").AddPubSub();
        services.AddAtomSalesforceChangeEvents(o => o.UserId = "integration-user")
            .AddHandler<Atom.Salesforce.Client.Records.SObject, TestSchema.NoHandler>("Account")
            .UsePostgres();
        await using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("AddPostgresTokenStore", failure.Message, StringComparison.Ordinal);
    }
}
