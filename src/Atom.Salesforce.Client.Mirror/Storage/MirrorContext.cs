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
}
