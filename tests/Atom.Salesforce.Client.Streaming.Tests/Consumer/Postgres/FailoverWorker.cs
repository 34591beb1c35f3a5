using System.Diagnostics;
using System.Globalization;
using System.Text;
using Atom.Salesforce.Client.Streaming.Consumer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer.Postgres;

/// <summary>
/// One application instance of the failover test, as its own OS process: the test assembly started again with
/// <see cref="Argument"/>. It runs the hosted consumer with <c>UsePostgres()</c> on the test schema, subscribed through the
/// Pub/Sub API to the emulator's <c>/data/AccountChangeEvent</c> (the emulator runs in the test process), with the user's
/// token in the PostgreSQL token store (refreshed through the emulator's OAuth token endpoint when the session expires). Its
/// handler records each delivery in <c>failover_deliveries</c> with its process id and replay id. It prints "started" and
/// runs until its standard input closes (or it is killed).
/// </summary>
internal static class FailoverWorker
{
    public const string Argument = "--atom-consumer-failover-worker";

    public const string UserId = "integration-user";

    /// <summary>The prefix of the names of the accounts the test creates; the rest of the name is the event's number.</summary>
    public const string NamePrefix = "failover-";

    public static WorkerProcess Start(string connectionString, Uri loginUrl, Uri pubSubEndpoint)
    {
        var assembly = typeof(FailoverWorker).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        start.ArgumentList.Add(Argument);
        start.ArgumentList.Add(connectionString);
        start.ArgumentList.Add(loginUrl.ToString());
        start.ArgumentList.Add(pubSubEndpoint.ToString());
        start.Environment["ATOM_FAILOVER_KEY"] = TestSchema.EncryptionKey;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("The failover worker did not start."));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var connectionString = args[1];
        var loginUrl = new Uri(args[2]);
        var pubSub = new Uri(args[3]);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(NpgsqlDataSource.Create(connectionString));
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = Emulator.OAuth.EmulatorOAuthOptions.DefaultClientId;
                o.ClientSecret = Emulator.OAuth.EmulatorOAuthOptions.DefaultClientSecret;
                o.LoginUrl = loginUrl;
            })
            .AddPubSub(o => o.Endpoint = pubSub)
            .AddPostgresTokenStore(o =>
            {
                o.ConnectionString = connectionString;
                o.Encryption.CurrentKeyId = "k1";
                o.Encryption.Keys["k1"] = Environment.GetEnvironmentVariable("ATOM_FAILOVER_KEY")!;
            });

        // The defaults an application gets (lease retry every two seconds, reconnect after one), except the start.
        services.AddAtomSalesforceChangeEvents(o =>
            {
                o.UserId = UserId;
                o.StartFromEarliest = true;
            })
            .AddHandler<AccountChange, RecordingHandler>("Account")
            .UsePostgres();
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

    /// <summary>The fields of an Account change event the handler reads.</summary>
    internal sealed class AccountChange
    {
        public string? Name { get; init; }
    }

    /// <summary>Records the delivery (committed by its own connection), then works a little, so that a kill often lands mid-handler.</summary>
    internal sealed class RecordingHandler(NpgsqlDataSource database) : IChangeEventHandler<AccountChange>
    {
        public async Task HandleAsync(ChangeEvent<AccountChange> change, ChangeEventContext context, CancellationToken cancellationToken = default)
        {
            if (change.Header.ChangeType != ChangeType.Create || change.Record.Name is not { } name || !name.StartsWith(NamePrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The test creates accounts named {NamePrefix}N only, but received {change.Header} ({change.Record.Name}).");
            }

            await using (var command = database.CreateCommand("INSERT INTO failover_deliveries (n, pid, replay_id) VALUES ($1, $2, $3)"))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = long.Parse(name.AsSpan(NamePrefix.Length), CultureInfo.InvariantCulture) });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Environment.ProcessId });
                command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = context.ReplayId.Bytes.ToArray() });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await Task.Delay(15, cancellationToken);
        }
    }
}

/// <summary>
/// A started worker: its standard error is read as it comes (a worker that writes a lot must never block on a full pipe),
/// and kept for the failure message of a worker that did not start.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly StringBuilder _errors = new();

    public WorkerProcess(Process process)
    {
        Process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public int Id => Process.Id;

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public void Dispose() => Process.Dispose();
}
