using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;
using Atom.Salesforce.Client.Postgres.Usage;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres.Tests.DependencyInjection;

public sealed class RegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_store_replaces_the_in_memory_store_and_the_usage_recorder_once_however_often_it_is_added()
    {
        var services = new ServiceCollection();
        var builder = services.AddAtomSalesforce(o => o.ClientId = "id");
        builder.AddPostgresTokenStore("Host=127.0.0.1;Database=x").AddPostgresTokenStore(o => o.Encryption.CurrentKeyId = "k1");
        services.Configure<PostgresTokenStoreOptions>(o => o.Encryption.Keys["k1"] = Secrets.NewKey());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.Same(provider.GetRequiredService<PostgresTokenStore>(), provider.GetRequiredService<ITokenStore>());
        Assert.IsType<PostgresUsageRecorder>(provider.GetRequiredService<ISalesforceUsageRecorder>());
        Assert.Single(provider.GetServices<IHostedService>().OfType<PostgresTokenStoreHostedService>());
        Assert.Single(services, d => d.ServiceType == typeof(ITokenStore));
    }

    [Fact]
    public async Task Settings_and_keys_are_bound_from_the_Salesforce_TokenStore_section()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:TokenStore:MigrateOnStart"] = "true",
            ["Salesforce:TokenStore:CacheDuration"] = "00:00:00",
            ["Salesforce:TokenStore:Encryption:CurrentKeyId"] = "2026-11",
            ["Salesforce:TokenStore:Encryption:Keys:2026-11"] = Secrets.NewKey(),
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddAtomSalesforce(o => o.ClientId = "id").AddPostgresTokenStore(database.ConnectionString);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PostgresTokenStoreOptions>>().Value;
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(Ct);
        }

        await provider.GetRequiredService<ITokenStore>().SaveAsync("user-1", Secrets.Token(), Ct);

        Assert.True(options.MigrateOnStart);
        Assert.Equal(TimeSpan.Zero, options.CacheDuration);
        Assert.Equal(database.ConnectionString, options.ConnectionString);
        Assert.StartsWith("atomsf:2:2026-11:", (string)(await database.RowsAsync("SELECT access_token FROM salesforce_oauth_tokens"))[0][0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_connection_string_the_applications_NpgsqlDataSource_is_used_and_left_open()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var shared = NpgsqlDataSource.Create(database.ConnectionString);
        var services = new ServiceCollection().AddSingleton(shared);
        services.AddAtomSalesforce(o => o.ClientId = "id").AddPostgresTokenStore(o =>
        {
            o.Encryption.CurrentKeyId = "k1";
            o.Encryption.Keys["k1"] = Secrets.NewKey();
        });
        await using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<Atom.Salesforce.Client.Postgres.Migrations.PostgresTokenStoreMigrator>().MigrateAsync(Ct);
            await provider.GetRequiredService<ITokenStore>().SaveAsync("user-1", Secrets.Token(), Ct);
            Assert.Equal(Secrets.AccessToken, (await provider.GetRequiredService<ITokenStore>().GetAsync("user-1", Ct))!.AccessToken);
        }

        await using var command = shared.CreateCommand("SELECT count(*) FROM salesforce_oauth_tokens");
        Assert.Equal(1L, await command.ExecuteScalarAsync(Ct));
        await shared.DisposeAsync();
    }

    [Fact]
    public async Task Without_any_database_the_error_says_how_to_give_one()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "id").AddPostgresTokenStore(o =>
        {
            o.Encryption.CurrentKeyId = "k1";
            o.Encryption.Keys["k1"] = Secrets.NewKey();
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ITokenStore>());

        Assert.Contains("NpgsqlDataSource", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_key_ring_stops_start_up_with_a_message_that_names_the_setting_and_not_the_key()
    {
        var shortKey = Convert.ToBase64String(new byte[24]);
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "id").AddPostgresTokenStore(o =>
        {
            o.ConnectionString = "Host=127.0.0.1";
            o.Encryption.CurrentKeyId = "k2";
            o.Encryption.Keys["k1"] = shortKey;
            o.UsageFlushInterval = TimeSpan.Zero;
            o.CacheSizeLimit = 0;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("CacheSizeLimit must be between 1 and 1,000,000", error.Message, StringComparison.Ordinal);

        Assert.Contains("Salesforce:TokenStore:Encryption:Keys:k1 decodes to 24 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("CurrentKeyId is 'k2'", error.Message, StringComparison.Ordinal);
        Assert.Contains("UsageFlushInterval", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(shortKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_arguments_are_checked()
    {
        var builder = new ServiceCollection().AddAtomSalesforce(o => o.ClientId = "id");

        Assert.Throws<ArgumentException>(() => builder.AddPostgresTokenStore(" "));
        Assert.Throws<ArgumentNullException>(() => builder.AddPostgresTokenStore((Action<PostgresTokenStoreOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddPostgresTokenStore((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => ((ISalesforceBuilder)null!).AddPostgresTokenStore("Host=x"));
    }
}
