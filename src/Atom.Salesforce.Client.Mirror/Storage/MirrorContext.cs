using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Storage;

/// <summary>What the writer's parts share: the integration login's client, the database and schema, the Bulk page size, clock and log.</summary>
internal sealed class MirrorContext(SalesforceClient client, NpgsqlDataSource dataSource, string schema, int bulkPageSize, TimeProvider time, ILogger logger)
{
    public SalesforceClient Client { get; } = client;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public string Schema { get; } = schema;

    /// <summary>Rows per Bulk API 2.0 result page.</summary>
    public int BulkPageSize { get; } = bulkPageSize;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    /// <summary>
    /// How long before an overflow event's commit its transaction may have begun changing records (Apex transactions last ten
    /// minutes at most): the window the overflow's re-read covers. Tests shorten it.
    /// </summary>
    public TimeSpan OverflowWindow { get; init; } = TimeSpan.FromMinutes(10);
}
