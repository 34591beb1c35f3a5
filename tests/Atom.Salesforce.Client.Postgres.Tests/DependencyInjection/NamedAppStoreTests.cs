using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres.Tests.DependencyInjection;

/// <summary>
/// A second connected app keeping its tokens in PostgreSQL: the documented tables, unchanged, in a schema of its own (its
/// connection string's Search Path), so that the same user id holds one token per app and neither app can read the other's.
/// </summary>
public sealed class NamedAppStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string InSchema(TestDatabase database, string schema) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = schema }.ConnectionString;

    private static void Keys(PostgresTokenStoreOptions o, string key)
    {
        o.MigrateOnStart = true;
        o.Encryption.CurrentKeyId = "k1";
        o.Encryption.Keys["k1"] = key;
    }

    [Fact]
    public async Task The_same_user_id_holds_one_token_per_app_in_each_apps_own_documented_tables()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var partnerSchema = database.Schema + "_partner";
        var key = Secrets.NewKey();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "main").AddPostgresTokenStore(o => { o.ConnectionString = database.ConnectionString; Keys(o, key); });
        services.AddAtomSalesforce("partner-org", o => o.ClientId = "partner")
            .AddPostgresTokenStore(o => { o.ConnectionString = InSchema(database, partnerSchema); Keys(o, key); });
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        provider.GetRequiredService<IStartupValidator>().Validate();
        var hosted = provider.GetServices<IHostedService>().ToList();
        try
        {
            foreach (var service in hosted)
            {
                await service.StartAsync(Ct);
            }

            var main = provider.GetRequiredService<ITokenStore>();
            var partner = provider.GetRequiredKeyedService<ITokenStore>("partner-org");
            await main.SaveAsync("user-1", Secrets.Token("00Dmain!access"), Ct);
            await partner.SaveAsync("user-1", Secrets.Token("00Dpartner!access"), Ct);
            await partner.SaveAsync("partner-only", Secrets.Token("00Dpartner!other"), Ct);

            Assert.Equal("00Dmain!access", (await main.GetAsync("user-1", Ct))!.AccessToken);
            Assert.Equal("00Dpartner!access", (await partner.GetAsync("user-1", Ct))!.AccessToken);
            Assert.Null(await main.GetAsync("partner-only", Ct));
            Assert.IsType<PostgresTokenStore>(partner);
            Assert.NotSame(main, partner);
            Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_tokens"));
            Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM {partnerSchema}.salesforce_oauth_tokens"));
            // The partner schema holds the documented table: the same columns as the default app's.
            Assert.Equal(
                await database.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'salesforce_oauth_tokens'", database.Schema),
                await database.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'salesforce_oauth_tokens'", partnerSchema));
        }
        finally
        {
            foreach (var service in Enumerable.Reverse(hosted))
            {
                await service.StopAsync(Ct);
            }

            await database.ExecuteAsync($"DROP SCHEMA IF EXISTS {partnerSchema} CASCADE");
        }
    }

    [Fact]
    public async Task A_named_apps_store_on_the_default_apps_tables_fails_validation_at_start_naming_the_app()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var key = Secrets.NewKey();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "main").AddPostgresTokenStore(o => { o.ConnectionString = database.ConnectionString; Keys(o, key); });
        services.AddAtomSalesforce("partner-org", o => o.ClientId = "partner")
            .AddPostgresTokenStore(o => { o.ConnectionString = database.ConnectionString; Keys(o, key); });
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Salesforce app 'partner-org'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Search Path", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_apps_store_without_a_schema_of_its_own_fails_validation_at_start()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce("partner-org", o => o.ClientId = "partner")
            .AddPostgresTokenStore(o => { o.ConnectionString = "Host=127.0.0.1;Database=x"; Keys(o, Secrets.NewKey()); });
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Salesforce app 'partner-org'", e.Message, StringComparison.Ordinal);
    }
}
