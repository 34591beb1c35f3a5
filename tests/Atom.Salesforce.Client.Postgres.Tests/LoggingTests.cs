using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Postgres.Errors;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Postgres.Tests;

public sealed class LoggingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_token_refresh_token_key_or_password_reaches_a_log()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var logs = new CollectingLoggerProvider();
        await using var host = new StoreHost(database.ConnectionString, services: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        await host.Migrator.MigrateAsync(Ct);
        var store = host.Store;

        await store.SaveAsync("user-1", Secrets.Token(), Ct);
        await store.RefreshAsync("user-1", Secrets.Token(), (t, _) => Task.FromResult(t with { AccessToken = Secrets.AccessToken + "-2", RefreshToken = Secrets.RefreshToken + "-2" }), Ct);
        await store.RefreshAsync("user-1", Secrets.Token(), (_, _) => throw new InvalidOperationException("not called"), Ct);
        await Assert.ThrowsAsync<SalesforceException>(() => store.RefreshAsync("user-1", Secrets.Token(Secrets.AccessToken + "-2"),
            (_, _) => throw new SalesforceException("down", null, isTransient: true), Ct));
        await database.TamperAsync("access_token", 30, 255);
        await using (var reader = new StoreHost(database.ConnectionString, services: s => s.AddLogging(b => b.AddProvider(logs))))
        {
            await Assert.ThrowsAsync<TokenDecryptionException>(() => reader.Store.GetAsync("user-1", Ct));
            await reader.Store.ReEncryptAsync(cancellationToken: Ct);
        }

        await store.EraseUserAsync("user-1", Ct);

        Assert.Contains(logs.Entries, e => e.Id.Id == 3002);
        Assert.Contains(logs.Entries, e => e.Id.Id == 3010);
        Assert.Contains(logs.Entries, e => e.Id.Id == 3009);
        Assert.All(logs.Entries, e => TokenStoreTests.AssertNoSecret(e.Text));
        Assert.DoesNotContain("user-1", logs.Entries.Single(e => e.Id.Id == 3009).Text, StringComparison.Ordinal);
    }
}
