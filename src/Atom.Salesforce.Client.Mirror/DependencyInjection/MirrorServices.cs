using Npgsql;

namespace Atom.Salesforce.Client.Mirror.DependencyInjection;

/// <summary>The mirror's singletons: its database, the mirror and its options (the data source is disposed with the container when the mirror made it).</summary>
internal sealed class MirrorServices(NpgsqlDataSource dataSource, SalesforceMirror mirror, MirrorOptions options) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public SalesforceMirror Mirror { get; } = mirror;

    public MirrorOptions Options { get; } = options;

    public ValueTask DisposeAsync() => Options.ConnectionString is null ? ValueTask.CompletedTask : DataSource.DisposeAsync();
}
