using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Postgres.Tests;

/// <summary>
/// The store and the client factory made without a dependency-injection container, as <c>NpgsqlDataSource.Create</c> makes a
/// data source: migrated, encrypted, audited and counting usage as the registered store does, under the same client pipeline.
/// </summary>
public sealed class WithoutContainerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_store_and_a_factory_made_from_options_query_the_emulator_and_keep_the_token_in_postgres()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var emulator = new SalesforceEmulator();
        using var handler = emulator.CreateHandler();
        var storeOptions = new PostgresTokenStoreOptions { ConnectionString = database.ConnectionString, MigrateOnStart = true };
        storeOptions.Encryption.CurrentKeyId = "k1";
        storeOptions.Encryption.Keys["k1"] = StoreHost.DefaultKeys["k1"];

        string id;
        List<string?> names;
        await using (var store = await PostgresTokenStore.CreateAsync(storeOptions, cancellationToken: Ct))
        {
            await store.SaveAsync("user-1", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, emulator.InstanceUrl, DateTimeOffset.UtcNow), Ct);
            await using var factory = SalesforceClientFactory.Create(new SalesforceOptions { ClientId = "emulator-client" }, store, handler);
            var sf = factory.ForUser("user-1");

            id = await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Without a container" }, Ct);
            names = await sf.Query.QueryAsync<SObject>($"SELECT Id, Name FROM Account WHERE Id = '{id}'", cancellationToken: Ct).Select(a => a.Get<string>("Name")).ToListAsync(Ct);
        }

        Assert.Equal(["Without a container"], names);
        Assert.StartsWith("001", id, StringComparison.Ordinal);
        // The token is stored encrypted (never the plain access token), and the two API calls were counted and written at disposal.
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM salesforce_oauth_tokens WHERE access_token LIKE '%{SalesforceEmulatorOptions.DefaultAccessToken[..20]}%'"));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_tokens WHERE user_id = 'user-1'"));
        Assert.Equal(2, await database.ScalarAsync("SELECT api_calls FROM salesforce_token_usage WHERE user_id = 'user-1'"));
        // The caller's handler is the caller's: still usable after both were disposed of.
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = emulator.InstanceUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/data/");
        using var response = await http.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Options_that_are_not_valid_fail_at_creation_as_the_container_fails_at_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => PostgresTokenStore.CreateAsync(new PostgresTokenStoreOptions { ConnectionString = "Host=127.0.0.1" }, cancellationToken: Ct));

        Assert.Contains(error.Failures, f => f.Contains("Encryption", StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => SalesforceClientFactory.Create(new SalesforceOptions { ClientId = "x", LoginUrl = new Uri("ftp://login.example") }, new InMemoryTokenStore()));
        await Assert.ThrowsAsync<ArgumentNullException>(() => PostgresTokenStore.CreateAsync(null!, cancellationToken: Ct));
        Assert.Throws<ArgumentNullException>(() => SalesforceClientFactory.Create(new SalesforceOptions(), null!));
    }
}
