using System.Security.Cryptography;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres;
using Atom.Salesforce.Client.Postgres.Migrations;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// The PostgreSQL token store's three paths on a real server (ATOM_TEST_PG): a lookup served from its memory cache, a lookup
/// that reads the row and decrypts both tokens, and a refresh (advisory lock, read, decrypt, encrypt, compare-and-swap write
/// with its audit row, unlock). Baselines in the same run: the in-memory store, and a raw Npgsql read of the same row.
/// </summary>
[MemoryDiagnoser]
public class TokenStoreBenchmarks
{
    private const string UserId = "bench-user";
    private static readonly Func<SalesforceToken, CancellationToken, Task<SalesforceToken>> Refresh =
        static (current, _) => Task.FromResult(current with { AccessToken = "00Dxx0000000001!AQ4AQ." + Guid.NewGuid().ToString("N"), IssuedAt = DateTimeOffset.UtcNow });

    private string _schema = null!;
    private ServiceProvider _cached = null!;
    private ServiceProvider _uncached = null!;
    private PostgresTokenStore _cachedStore = null!;
    private PostgresTokenStore _uncachedStore = null!;
    private InMemoryTokenStore _memory = null!;
    private NpgsqlDataSource _raw = null!;
    private SalesforceToken _current = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "in-memory store lookup (baseline)")]
    public Task<SalesforceToken?> InMemoryLookup() => _memory.GetAsync(UserId);

    [Benchmark(Description = "PG store, cached lookup")]
    public Task<SalesforceToken?> CachedLookup() => _cachedStore.GetAsync(UserId);

    [Benchmark(Description = "raw Npgsql SELECT of the row, no decryption")]
    public async Task<byte[]> RawSelect()
    {
        await using var command = _raw.CreateCommand("SELECT access_token_encrypted FROM salesforce_oauth_tokens WHERE user_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = UserId });
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    [Benchmark(Description = "PG store, database lookup with decryption")]
    public Task<SalesforceToken?> DatabaseLookup() => _uncachedStore.GetAsync(UserId);

    [Benchmark(Description = "PG store, refresh path")]
    public async Task<SalesforceToken> RefreshPath()
    {
        _current = await _uncachedStore.RefreshAsync(UserId, _current, Refresh);
        return _current;
    }

    private async Task SetupAsync()
    {
        var server = Environment.GetEnvironmentVariable("ATOM_TEST_PG")
            ?? throw new InvalidOperationException("TokenStoreBenchmarks need PostgreSQL: set ATOM_TEST_PG to an Npgsql connection string.");
        _schema = "bench_" + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(server))
        await using (var create = admin.CreateCommand($"CREATE SCHEMA {_schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = _schema }.ConnectionString;
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _cached = Build(connectionString, key, TimeSpan.FromHours(1));
        _uncached = Build(connectionString, key, TimeSpan.Zero);
        await _cached.GetRequiredService<PostgresTokenStoreMigrator>().MigrateAsync();
        _cachedStore = _cached.GetRequiredService<PostgresTokenStore>();
        _uncachedStore = _uncached.GetRequiredService<PostgresTokenStore>();
        _current = new SalesforceToken("00Dxx0000000001!AQ4AQ.initial", new Uri("https://bench.my.salesforce.com"), DateTimeOffset.UtcNow)
        {
            RefreshToken = "5Aep861.bench-refresh-token",
            Username = "bench@acme.example",
            Scope = "api refresh_token",
        };
        await _cachedStore.SaveAsync(UserId, _current);
        await _cachedStore.GetAsync(UserId);
        _memory = new InMemoryTokenStore();
        await _memory.SaveAsync(UserId, _current);
        _raw = NpgsqlDataSource.Create(connectionString);
    }

    private async Task CleanupAsync()
    {
        await _cached.DisposeAsync();
        await _uncached.DisposeAsync();
        await _raw.DisposeAsync();
        await using var admin = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable("ATOM_TEST_PG")!);
        await using var drop = admin.CreateCommand($"DROP SCHEMA {_schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
    }

    private static ServiceProvider Build(string connectionString, string key, TimeSpan cacheDuration)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "bench").AddPostgresTokenStore(o =>
        {
            o.ConnectionString = connectionString;
            o.CacheDuration = cacheDuration;
            o.Encryption.CurrentKeyId = "k1";
            o.Encryption.Keys["k1"] = key;
        });
        return services.BuildServiceProvider();
    }
}
