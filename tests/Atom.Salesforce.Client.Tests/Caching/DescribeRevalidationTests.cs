using Atom.Salesforce.Emulator;

namespace Atom.Salesforce.Client.Tests.Caching;

/// <summary>
/// Issue 20: a cached describe whose duration has passed is revalidated, not read again: the SDK sends If-Modified-Since with
/// the time it read the describe, Salesforce answers 304 Not Modified without a body when the object's metadata has not
/// changed since (REST API guide, "Get Object Metadata Changes" and "Get a List of Objects If Metadata Has Changed"), and the
/// cached describe is kept for another duration. Counted in the emulator's own request log.
/// </summary>
public sealed class DescribeRevalidationTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_expired_describe_is_revalidated_with_if_modified_since_and_kept_on_304()
    {
        await using var host = new EmulatorCacheHost(new SalesforceEmulator(), cache: o => o.DescribeDuration = Duration);

        var first = await host.Client().SObjects.DescribeAsync("Account", cancellationToken: Ct);
        var cached = await host.Client().SObjects.DescribeAsync("Account", cancellationToken: Ct);
        Assert.Equal([200], await host.StatusesAsync("/sobjects/Account/describe"));
        Assert.Same(first, cached);

        // The duration passes: one conditional call, answered 304, and the same describe.
        host.Clock.Advance(Duration + TimeSpan.FromSeconds(1));
        var revalidated = await host.Client().SObjects.DescribeAsync("Account", cancellationToken: Ct);
        Assert.Equal([200, 304], await host.StatusesAsync("/sobjects/Account/describe"));
        Assert.Same(first, revalidated);

        // Fresh again for another duration: no call.
        host.Clock.Advance(Duration - TimeSpan.FromMinutes(1));
        await host.Client().SObjects.DescribeAsync("Account", cancellationToken: Ct);
        Assert.Equal([200, 304], await host.StatusesAsync("/sobjects/Account/describe"));
    }

    [Fact]
    public async Task An_expired_global_describe_is_revalidated_too()
    {
        await using var host = new EmulatorCacheHost(new SalesforceEmulator(), cache: o => o.DescribeGlobalDuration = Duration);

        var first = await host.Client().SObjects.DescribeGlobalAsync(cancellationToken: Ct);
        host.Clock.Advance(Duration + TimeSpan.FromSeconds(1));
        var revalidated = await host.Client().SObjects.DescribeGlobalAsync(cancellationToken: Ct);

        Assert.Equal([200, 304], await host.StatusesAsync("/sobjects"));
        Assert.Same(first, revalidated);
        Assert.Contains(revalidated!.SObjects, o => o.Name == "Account");
    }

    [Fact]
    public async Task One_hundred_readers_of_an_expired_describe_share_one_conditional_call()
    {
        await using var host = new EmulatorCacheHost(new SalesforceEmulator(), cache: o => o.DescribeDuration = Duration);
        await host.Client().SObjects.DescribeAsync("Account", cancellationToken: Ct);
        host.Clock.Advance(Duration + TimeSpan.FromSeconds(1));

        var describes = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => host.Client().SObjects.DescribeAsync("Account", cancellationToken: Ct)));

        Assert.Equal([200, 304], await host.StatusesAsync("/sobjects/Account/describe"));
        Assert.All(describes, d => Assert.Equal("Account", d!.Name));
    }

    [Fact]
    public async Task Without_a_retention_beyond_the_duration_an_expired_describe_is_read_again_in_full()
    {
        await using var host = new EmulatorCacheHost(new SalesforceEmulator(), cache: o =>
        {
            o.DescribeDuration = Duration;
            o.DescribeRetention = Duration;
        });

        await host.Client().SObjects.DescribeAsync("Account", cancellationToken: Ct);
        host.Clock.Advance(Duration + TimeSpan.FromSeconds(1));
        await host.Client().SObjects.DescribeAsync("Account", cancellationToken: Ct);

        // HybridCache's memory level expires on the real clock: the entry is still there, but older than its duration,
        // and there is nothing to revalidate it against, so it is read in full.
        Assert.Equal([200, 200], await host.StatusesAsync("/sobjects/Account/describe"));
    }
}
