using Npgsql;

namespace Atom.Salesforce.Client.Postgres.Storage;

/// <summary>
/// The data source the store talks to: one it made from a connection string (and disposes), or the application's own from
/// the container (which the application disposes).
/// </summary>
internal sealed class TokenStoreDataSource : IAsyncDisposable
{
    private readonly bool _owned;

    public TokenStoreDataSource(NpgsqlDataSource dataSource, bool owned)
    {
        DataSource = dataSource;
        _owned = owned;
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Description = $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Host, port and database, for messages: never the user's password.</summary>
    public string Description { get; }

    public ValueTask DisposeAsync() => _owned ? DataSource.DisposeAsync() : ValueTask.CompletedTask;
}
