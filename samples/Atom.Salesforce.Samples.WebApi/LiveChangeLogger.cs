using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming;
using Atom.Salesforce.Client.Streaming.Consumer;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;

namespace Atom.Salesforce.Samples.WebApi;

/// <summary>
/// Prints every change of the org as it happens: the handler of the hosted change event consumer, subscribed to
/// <c>/data/ChangeEvents</c> (every object's Change Data Capture events) through the Pub/Sub API. A real app would update a
/// cache, a search index or a mirror here; the consumer commits the event's replay id once the handler returns.
/// </summary>
internal sealed partial class LiveChangeLogger(ILogger<LiveChangeLogger> logger) : IChangeEventHandler<SObject>
{
    public Task HandleAsync(ChangeEvent<SObject> change, ChangeEventContext context, CancellationToken cancellationToken = default)
    {
        var header = change.Header;
        if (header.IsGap || header.IsOverflow)
        {
            // No field values: a real app reads the records by id again (a gap), or the whole object (an overflow).
            LogGap(logger, header.ChangeTypeName, header.EntityName, string.Join(", ", header.RecordIds));
        }
        else
        {
            LogChange(logger, header.ChangeTypeName, header.EntityName, string.Join(", ", header.RecordIds), string.Join(", ", header.ChangedFields), header.CommitUser);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Information, "Live change: {ChangeType} {Entity} [{RecordIds}] changed fields [{ChangedFields}] by {CommitUser}")]
    private static partial void LogChange(ILogger logger, string changeType, string entity, string recordIds, string changedFields, string commitUser);

    [LoggerMessage(2, LogLevel.Warning, "Live change: {ChangeType} {Entity} [{RecordIds}] without field values; read the records again")]
    private static partial void LogGap(ILogger logger, string changeType, string entity, string recordIds);
}

/// <summary>
/// Serves the emulator's Pub/Sub API (gRPC over HTTP/2) on a loopback port while the app runs. A hosted service rather than a
/// listener started before the app is built: the app's host must be the first one the process builds (the tests'
/// WebApplicationFactory takes that one), and the change event consumer, registered after it, subscribes once it has started.
/// </summary>
internal sealed class EmulatorPubSubListener(SalesforceEmulator emulator) : IHostedService, IAsyncDisposable
{
    private EmulatorServer? _server;

    /// <summary>The Pub/Sub API's address (the emulator's <see cref="SalesforceEmulatorOptions.PubSubUrl"/>, a fixed port).</summary>
    public Uri PubSubAddress => new(emulator.Options.PubSubUrl!);

    /// <summary>An <c>http://127.0.0.1:{port}</c> URL on a port that was free a moment ago.</summary>
    public static string FreeLoopbackUrl()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}";
    }

    public async Task StartAsync(CancellationToken cancellationToken) => _server = await emulator.ListenAsync(cancellationToken: cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync();
        }
    }
}
