using System.Collections.Concurrent;
using System.Text;
using Atom.Salesforce.Client.Caching;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Tests.Caching;

/// <summary>
/// What reaches a shared cache (Redis, where every service instance and every operator can read it): never a token or a
/// secret, never a user id or a SOQL text in clear in a key; the org id and the API version, so that entries are scoped.
/// </summary>
public sealed class CacheSecretsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_token_or_secret_reaches_a_key_or_a_value_of_the_shared_cache()
    {
        var shared = new RecordingDistributedCache();
        await using var host = new CachingHost(services => services.AddSingleton<IDistributedCache>(shared));

        foreach (var user in CachingHost.Users)
        {
            var client = host.For(user);
            await client.SObjects.DescribeAsync("Account", cancellationToken: Ct);
            await client.SObjects.DescribeGlobalAsync(cancellationToken: Ct);
            await client.Limits.GetAsync(Ct);
            await foreach (var _ in client.Query.QueryAsync<SObject>("SELECT Id, Name FROM Account", new QueryOptions { CacheDuration = TimeSpan.FromMinutes(1) }, Ct))
            {
            }
        }

        // Describe, describe global, limits and a query, per user. HybridCache writes the shared level
        // in the background: wait for it (generously), then look at everything it holds.
        for (var waited = 0; shared.Entries.Count < 8 && waited < 200; waited++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.True(shared.Entries.Count == 8, "Entries: " + string.Join(", ", shared.Entries.Keys));
        var secrets = CachingHost.Users.SelectMany(u => new[] { CachingHost.AccessToken(u), CachingHost.RefreshToken(u) }).Append("Bearer").Append("test-client-secret");
        foreach (var (key, value) in shared.Entries)
        {
            var text = Encoding.UTF8.GetString(value);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, key, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }

            Assert.Contains(CachingHost.OrgId, key, StringComparison.Ordinal);
            Assert.Contains(":v66.0:", key, StringComparison.Ordinal);
            Assert.DoesNotContain("user-", key, StringComparison.Ordinal);
            Assert.DoesNotContain("SELECT", key, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("SELECT Id FROM Account", "Account")]
    [InlineData("select id, (select id from Contacts) from Account where Name = 'x from y'", "Account")]
    [InlineData("SELECT Id FROM\n  Opportunity WHERE StageName IN ('FROM Lead')", "Opportunity")]
    [InlineData("SELECT Fromage__c FROM My_Object__c", "My_Object__c")]
    [InlineData("SELECT Id FROM", null)]
    public void A_query_is_tagged_with_the_object_after_its_outermost_FROM(string soql, string? expected) =>
        Assert.Equal(expected, CachedQuery.FromObject(soql));

    [Fact]
    public void The_org_part_of_a_key_is_the_org_id_of_the_identity_url_or_else_the_instance_host()
    {
        Assert.Equal(CachingHost.OrgId, SalesforceApp.OrgOf(CachingHost.Token("user-a")));
        Assert.Equal("acme.my.salesforce.com", SalesforceApp.OrgOf(CachingHost.Token("user-a") with { IdentityUrl = null }));
    }

    /// <summary>An in-memory distributed cache that keeps what was written, as Redis would hold it.</summary>
    internal sealed class RecordingDistributedCache : IDistributedCache
    {
        private readonly MemoryDistributedCache _inner = new(Options.Create(new MemoryDistributedCacheOptions()));

        public ConcurrentDictionary<string, byte[]> Entries { get; } = new(StringComparer.Ordinal);

        public byte[]? Get(string key) => _inner.Get(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => _inner.GetAsync(key, token);

        public void Refresh(string key) => _inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => _inner.RefreshAsync(key, token);

        public void Remove(string key) => _inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => _inner.RemoveAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
            Record(key, value);
            _inner.Set(key, value, options);
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Record(key, value);
            return _inner.SetAsync(key, value, options, token);
        }

        private void Record(string key, byte[] value) => Entries[key] = value;
    }
}
