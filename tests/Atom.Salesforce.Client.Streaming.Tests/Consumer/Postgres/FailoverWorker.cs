using System.Diagnostics;
using System.Runtime.CompilerServices;
using Atom.Salesforce.Client.Streaming.Consumer;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer.Postgres;

/// <summary>
/// One application instance of the failover test, as its own OS process: the test assembly started again with
/// <see cref="Argument"/>. It runs the hosted consumer with <c>UsePostgres()</c> on the test schema, reading a topic whose
/// events are the rows of <c>failover_events</c> (an event bus shared by every process: replay id = row number), and whose
/// handler records each delivery in <c>failover_deliveries</c> with its process id. Every subscription of the bus breaks after
/// a few events, alternately as a dropped stream and as an expired session, so those recoveries run too. It prints
/// "started" and runs until its standard input closes (or it is killed).
/// </summary>
internal static class FailoverWorker
{
    public const string Argument = "--atom-consumer-failover-worker";

    public const string Topic = "/data/Failover__ChangeEvent";

    public static Process Start(string connectionString)
    {
        var assembly = typeof(FailoverWorker).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        start.ArgumentList.Add(Argument);
        start.ArgumentList.Add(connectionString);
        start.Environment["ATOM_FAILOVER_KEY"] = TestSchema.EncryptionKey;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return Process.Start(start) ?? throw new InvalidOperationException("The failover worker did not start.");
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var connectionString = args[1];
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(NpgsqlDataSource.Create(connectionString));
        services.AddAtomSalesforce(o => o.ClientId = "failover-worker")
            .AddPubSub()
            .AddPostgresTokenStore(o =>
            {
                o.ConnectionString = connectionString;
                o.Encryption.CurrentKeyId = "k1";
                o.Encryption.Keys["k1"] = Environment.GetEnvironmentVariable("ATOM_FAILOVER_KEY")!;
            });
        services.AddAtomSalesforceChangeEvents(o =>
            {
                o.UserId = "integration-user";
                o.StartFromEarliest = true;
                o.ReconnectDelay = TimeSpan.FromMilliseconds(50);
            })
            .AddHandler<FailoverRecord, RecordingHandler>("Failover__c")
            .UsePostgres();
        services.AddSingleton<IChangeEventSource>(sp => new TableEventSource(sp.GetRequiredService<NpgsqlDataSource>()));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        Console.Out.WriteLine("started");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        foreach (var service in Enumerable.Reverse(hosted))
        {
            await service.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    /// <summary>The record of a test event.</summary>
    internal sealed class FailoverRecord
    {
        public long Number { get; init; }
    }

    /// <summary>Records the delivery (committed by its own connection), then works a little, so that a kill often lands mid-handler.</summary>
    internal sealed class RecordingHandler(NpgsqlDataSource database) : IChangeEventHandler<FailoverRecord>
    {
        public async Task HandleAsync(ChangeEvent<FailoverRecord> change, ChangeEventContext context, CancellationToken cancellationToken = default)
        {
            await using (var command = database.CreateCommand("INSERT INTO failover_deliveries (n, pid) VALUES ($1, $2)"))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = change.Record.Number });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Environment.ProcessId });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await Task.Delay(15, cancellationToken);
        }
    }

    /// <summary>
    /// The event bus: rows of <c>failover_events</c> in order of <c>n</c>; a subscription delivers the rows after its replay id
    /// and polls for more. Each subscription breaks after 40 events: odd ones as a dropped stream (gRPC Unavailable), even
    /// ones as an expired session (Unauthenticated), as the Pub/Sub client reports what it cannot recover from itself.
    /// </summary>
    private sealed class TableEventSource(NpgsqlDataSource database) : IChangeEventSource
    {
        private int _subscriptions;

        public Task<string> GetOrgAsync(ChangeEventsOptions options, string topic, CancellationToken cancellationToken) =>
            Task.FromResult("00D000000000001EAA");

        public async IAsyncEnumerable<SourceEvent<TEvent>> ReadAsync<TEvent>(
            ChangeEventsOptions options, string topic, ReplayId? afterReplayId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var subscription = Interlocked.Increment(ref _subscriptions);
            var after = afterReplayId is { } id ? FakeEventSource.Number(id) : 0;
            var delivered = 0;
            while (true)
            {
                var batch = new List<long>();
                await using (var command = database.CreateCommand("SELECT n FROM failover_events WHERE n > $1 ORDER BY n LIMIT 100"))
                {
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        batch.Add(reader.GetInt64(0));
                    }
                }

                if (batch.Count == 0)
                {
                    await Task.Delay(50, cancellationToken);
                    continue;
                }

                foreach (var n in batch)
                {
                    if (delivered == 40)
                    {
                        throw subscription % 2 == 1
                            ? new RpcException(new Status(StatusCode.Unavailable, "stream reset by peer"))
                            : new RpcException(new Status(StatusCode.Unauthenticated, "INVALID_SESSION_ID: Session expired or invalid"));
                    }

                    after = n;
                    delivered++;
                    yield return new SourceEvent<TEvent>(
                        FakeEventSource.ReplayId(n), (TEvent)(object)new ChangeEvent<FailoverRecord>(null!, new FailoverRecord { Number = n }));
                }
            }
        }
    }
}
