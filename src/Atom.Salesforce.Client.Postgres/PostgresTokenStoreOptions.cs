using Atom.Salesforce.Client.Postgres.Encryption;

namespace Atom.Salesforce.Client.Postgres;

/// <summary>
/// Settings of the PostgreSQL token store, bound from <see cref="DefaultSectionName"/> (<c>Salesforce:TokenStore</c>) when the
/// application has an <c>IConfiguration</c>, and validated when the host starts.
/// </summary>
public sealed class PostgresTokenStoreOptions
{
    /// <summary>The configuration section the store binds by default: <c>Salesforce:TokenStore</c>.</summary>
    public const string DefaultSectionName = "Salesforce:TokenStore";

    /// <summary>
    /// The Npgsql connection string. When null, the store uses the <c>NpgsqlDataSource</c> registered in the container
    /// (for example by <c>AddNpgsqlDataSource</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Creates or upgrades the store's tables when the host starts. Off by default: run migrations where your deployment does.</summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>
    /// How long a token read from the database is served from memory (default one minute; zero turns the cache off). A token
    /// refreshed by another instance is picked up at the latest when Salesforce refuses the cached one.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most tokens kept in the read cache (default 10,000). When it is full, expired entries are dropped first, then the
    /// entries closest to expiry; a dropped token is read from the database again when next needed. Between 1 and 1,000,000.
    /// </summary>
    public int CacheSizeLimit { get; set; } = 10_000;

    /// <summary>How often usage counters and token lookups are written (default 30 seconds). They are also written at shutdown.</summary>
    public TimeSpan UsageFlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a refresh waits for another instance's refresh of the same user to finish (default two minutes).</summary>
    public TimeSpan RefreshLockTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The encryption key ring. Keys come from configuration (or a secret store behind it), never from the database.</summary>
    public TokenEncryptionOptions Encryption { get; set; } = new();
}
