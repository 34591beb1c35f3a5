using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Limits;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>The SDK as an application registers it, over real sockets: nothing mocked below the HTTP stack.</summary>
public sealed class LoopbackTests : IAsyncLifetime
{
    private LoopbackOrg _org = null!;
    private ServiceProvider _provider = null!;
    private SalesforceClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Account
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public DateTimeOffset CreatedDate { get; set; }
    }

    public async ValueTask InitializeAsync()
    {
        _org = await LoopbackOrg.StartAsync();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "loop-client";
            o.LoginUrl = _org.BaseUrl;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
        });
        _provider = services.BuildServiceProvider();
        await _provider.GetRequiredService<ITokenStore>().SaveAsync(
            "loop-user",
            new SalesforceToken(LoopbackOrg.ExpiredToken, _org.BaseUrl, DateTimeOffset.UtcNow) { RefreshToken = LoopbackOrg.RefreshToken },
            Ct);
        _client = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("loop-user");
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _org.DisposeAsync();
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_once_and_every_page_arrives_gzipped_in_order()
    {
        var seen = 0;
        await foreach (var account in _client.Query.QueryAsync<Account>("SELECT Id, Name, CreatedDate FROM Account", new QueryOptions { BatchSize = 2000 }, cancellationToken: Ct))
        {
            Assert.Equal($"Account {seen}", account.Name);
            Assert.Equal(new DateTimeOffset(2024, 5, 20, 20, 49, 32, TimeSpan.Zero), account.CreatedDate);
            seen++;
        }

        Assert.Equal(5000, seen);
        Assert.Equal(1, _org.TokenCalls);
        Assert.Contains(_org.AcceptEncodings, e => e.Contains("gzip", StringComparison.Ordinal));
        Assert.Equal(new ApiUsage(42, 15000), _client.ApiUsage);
        Assert.Equal(LoopbackOrg.FreshToken, (await _provider.GetRequiredService<ITokenStore>().GetAsync("loop-user", Ct))!.AccessToken);
    }

    [Fact]
    public async Task Concurrent_users_of_one_expired_token_share_one_refresh()
    {
        var reads = Enumerable.Range(0, 200).Select(_ => _client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmaIAH", cancellationToken: Ct));

        var records = await Task.WhenAll(reads);

        Assert.All(records, r => Assert.Equal("Acme", r["Name"]));
        Assert.Equal(1, _org.TokenCalls);
    }

    [Fact]
    public async Task A_GET_answered_503_is_retried_over_the_wire()
    {
        _org.TransientFailuresLeft = 2;

        var record = await _client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmaIAH", cancellationToken: Ct);

        Assert.Equal("001D000000IRFmaIAH", record.Id);
        // One refused for the expired token, then two 503s retried, then the answer.
        Assert.Equal(4, _org.RawTargets.Count(t => t == "/services/data/v66.0/sobjects/Account/001D000000IRFmaIAH"));
    }

    [Fact]
    public async Task An_external_id_with_slashes_and_spaces_reaches_the_server_as_one_escaped_segment()
    {
        var result = await _client.SObjects.UpsertAsync("Account", "Ext_Id__c", "a/b c", new SObject("Account") { ["Name"] = "Acme" }, Ct);

        Assert.True(result.Created);
        Assert.Contains("/services/data/v66.0/sobjects/Account/Ext_Id__c/a%2Fb%20c", _org.RawTargets);
    }

    [Fact]
    public async Task A_refused_refresh_token_surfaces_as_an_authentication_error()
    {
        await _provider.GetRequiredService<ITokenStore>().SaveAsync(
            "loop-user", new SalesforceToken(LoopbackOrg.ExpiredToken, _org.BaseUrl, DateTimeOffset.UtcNow) { RefreshToken = "revoked" }, Ct);

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => _client.Limits.GetAsync(Ct));

        Assert.Equal("invalid_grant", e.ErrorCode);
    }
}
