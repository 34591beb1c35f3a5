using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Tests.Caching;

/// <summary>
/// Issue 20: Salesforce counts every API call against one allocation per org, so what the SDK may reuse it asks for once:
/// describes (per user, since field-level security shapes them), limits (per org) and the query results a call opts into
/// (per user and exact SOQL). A write through the SDK drops the cached queries of its object.
/// </summary>
public sealed class CachingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Soql = "SELECT Id, Name FROM Account WHERE Industry = 'Energy'";
    private static readonly QueryOptions Cached = new() { CacheDuration = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task Describe_from_100_concurrent_callers_makes_one_api_call()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = new CachingHost(gate: gate.Task);

        // A client per caller, as a web request gets one: the callers share nothing but the container.
        var callers = Enumerable.Range(0, 100).Select(_ => host.For("user-a").SObjects.DescribeAsync("Account", cancellationToken: Ct)).ToList();
        gate.SetResult();
        var describes = await Task.WhenAll(callers);

        Assert.Equal(1, host.Calls("GET", "sobjects/Account/describe"));
        Assert.All(describes, d => Assert.Equal("Whizbang", d!.Name));
    }

    [Fact]
    public async Task Describes_and_limits_are_kept_per_user()
    {
        await using var host = new CachingHost();

        foreach (var user in CachingHost.Users.Concat(CachingHost.Users))
        {
            await host.For(user).SObjects.DescribeAsync("Account", cancellationToken: Ct);
            await host.For(user).SObjects.DescribeGlobalAsync(cancellationToken: Ct);
            await host.For(user).Limits.GetAsync(Ct);
        }

        // Field-level security: each user's describe is that user's. Limits are the org's, but a user whose session Salesforce
        // refuses must hear so, not another user's answer.
        Assert.Equal(2, host.Calls("GET", "sobjects/Account/describe"));
        Assert.Equal(2, host.Calls("GET", "sobjects"));
        Assert.Equal(2, host.Calls("GET", "limits"));
    }

    [Fact]
    public async Task A_conditional_describe_is_never_answered_from_the_cache()
    {
        await using var host = new CachingHost();
        var client = host.For("user-a");

        await client.SObjects.DescribeAsync("Account", cancellationToken: Ct);
        await client.SObjects.DescribeAsync("Account", ifModifiedSince: DateTimeOffset.UnixEpoch, Ct);

        // If-Modified-Since asks Salesforce itself whether the type changed.
        Assert.Equal(2, host.Calls("GET", "sobjects/Account/describe"));
    }

    [Fact]
    public async Task A_query_result_is_cached_only_when_the_call_asks_and_only_for_its_user()
    {
        await using var host = new CachingHost();

        var first = await Names(host.For("user-a").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        var again = await Names(host.For("user-a").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        Assert.Equal(1, host.Calls("GET", "query"));
        Assert.Equal(["Seen by user-a"], first);
        Assert.Equal(first, again);

        // The same SOQL for another user of the same org: that user's own result, never user A's.
        var other = await Names(host.For("user-b").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        Assert.Equal(["Seen by user-b"], other);
        Assert.Equal(2, host.Calls("GET", "query"));

        // Without the option the query goes to Salesforce; other SOQL text is another entry.
        await Names(host.For("user-a").Query.QueryAsync<SObject>(Soql, cancellationToken: Ct));
        await Names(host.For("user-a").Query.QueryAsync<SObject>(Soql + " LIMIT 5", Cached, Ct));
        Assert.Equal(4, host.Calls("GET", "query"));
    }

    [Fact]
    public async Task A_write_through_the_SDK_drops_the_cached_queries_of_its_object_for_every_user()
    {
        await using var host = new CachingHost();
        await Names(host.For("user-a").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        await Names(host.For("user-b").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        Assert.Equal(2, host.Calls("GET", "query"));

        // Another object's write leaves the Account queries cached.
        await host.For("user-a").SObjects.CreateAsync("Contact", new SObject("Contact") { ["LastName"] = "Ng" }, Ct);
        await Names(host.For("user-a").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        Assert.Equal(2, host.Calls("GET", "query"));

        await host.For("user-a").SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme" }, Ct);
        await Names(host.For("user-a").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        await Names(host.For("user-b").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        Assert.Equal(4, host.Calls("GET", "query"));
    }

    [Fact]
    public async Task An_update_and_a_delete_drop_the_cached_queries_of_their_object_even_when_Salesforce_refuses_them_and_a_read_does_not()
    {
        // A refused write may still have written part (a trigger, a partial save): the cached queries go whatever the outcome.
        await using var host = new CachingHost();
        const string Id = "001000000000001AAA";
        var client = host.For("user-a");
        await Names(client.Query.QueryAsync<SObject>(Soql, Cached, Ct));
        Assert.Equal(1, host.Calls("GET", "query"));

        await Assert.ThrowsAsync<SalesforceApiException>(() => client.SObjects.UpdateAsync("Account", Id, new SObject("Account") { ["Name"] = "Acme" }, Ct));
        await Names(client.Query.QueryAsync<SObject>(Soql, Cached, Ct));
        Assert.Equal(2, host.Calls("GET", "query"));

        await Assert.ThrowsAsync<SalesforceApiException>(() => client.SObjects.DeleteAsync("Account", Id, Ct));
        await Names(client.Query.QueryAsync<SObject>(Soql, Cached, Ct));
        Assert.Equal(3, host.Calls("GET", "query"));

        await Assert.ThrowsAsync<SalesforceApiException>(() => client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct));
        await Names(client.Query.QueryAsync<SObject>(Soql, Cached, Ct));
        Assert.Equal(3, host.Calls("GET", "query"));
    }

    [Fact]
    public async Task A_query_cache_duration_must_be_positive()
    {
        await using var host = new CachingHost();

        Assert.Throws<ArgumentOutOfRangeException>(
            () => host.For("user-a").Query.QueryAsync<SObject>(Soql, new QueryOptions { CacheDuration = TimeSpan.Zero }, Ct));
        Assert.Equal(0, host.TotalCalls);
    }

    private static async Task<List<string?>> Names(SalesforcePageable<SObject> rows)
    {
        var names = new List<string?>();
        await foreach (var row in rows)
        {
            names.Add(row.Get<string>("Name"));
        }

        return names;
    }
}
