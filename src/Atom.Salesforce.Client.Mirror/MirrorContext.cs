using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror;

/// <summary>What the writer's parts share: the integration login's client, the database, the schema, options, clock and log.</summary>
internal sealed class MirrorContext(SalesforceClient client, NpgsqlDataSource dataSource, string schema, MirrorOptions options, TimeProvider time, ILogger logger)
{
    public SalesforceClient Client { get; } = client;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public string Schema { get; } = schema;

    public MirrorOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;
}
