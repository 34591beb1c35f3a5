using System.Diagnostics;
using System.Globalization;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Tests.Failover;

/// <summary>
/// One application instance running the mirror's writer, as its own OS process: the test assembly started again with
/// <see cref="Argument"/>. It reads the emulator (which runs in the test process) over loopback HTTP and its Pub/Sub API, with
/// the org's permanent token stored for the integration login, and writes the test's mirror schema in the test PostgreSQL.
/// Its PostgreSQL sessions carry the application name <c>atom-mirror-writer-&lt;process id&gt;</c>, so the test can tell from
/// <c>pg_locks</c> which process holds the writer lock. After each committed page of an initial load it prints
/// <c>page &lt;object&gt; &lt;pages committed&gt;</c> and waits <c>pageDelay</c> milliseconds (so that a kill lands mid-load).
/// It prints "started" and runs until its standard input closes (or it is killed).
/// </summary>
internal static class WriterProcess
{
    public const string Argument = "--atom-mirror-writer";

    public const string ApplicationNamePrefix = "atom-mirror-writer-";

    public static WorkerHandle Start(MirrorHarness harness, IEnumerable<string> objects, int pageSize, int pageDelayMilliseconds)
    {
        var assembly = typeof(WriterProcess).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        start.ArgumentList.Add(Argument);
        start.ArgumentList.Add(MirrorHarness.ConnectionString!);
        start.ArgumentList.Add(harness.Server.BaseAddress.ToString());
        start.ArgumentList.Add(harness.Server.PubSubAddress!.ToString());
        start.ArgumentList.Add(harness.Schema);
        start.ArgumentList.Add(string.Join(',', objects));
        start.ArgumentList.Add(pageSize.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(pageDelayMilliseconds.ToString(CultureInfo.InvariantCulture));
        start.Environment["ATOM_MIRROR_TOKEN"] = harness.Emulator.Options.AccessToken;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return new WorkerHandle(Process.Start(start) ?? throw new InvalidOperationException("The writer process did not start."));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(args[1]) { ApplicationName = ApplicationNamePrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) }.ConnectionString;
        var loginUrl = new Uri(args[2]);
        var pubSub = new Uri(args[3]);
        var schema = args[4];
        var objects = args[5].Split(',');
        var pageSize = int.Parse(args[6], CultureInfo.InvariantCulture);
        var pageDelay = TimeSpan.FromMilliseconds(int.Parse(args[7], CultureInfo.InvariantCulture));
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator";
                o.LoginUrl = loginUrl;
            })
            .AddPubSub(o => o.Endpoint = pubSub)
            .AddAtomSalesforceMirror(o =>
            {
                o.ConnectionString = connectionString;
                o.UserId = MirrorHarness.UserId;
                o.Schema = schema;
                o.Objects.Clear();
                foreach (var name in objects)
                {
                    o.Objects.Add(name);
                }

                o.BulkPageSize = pageSize;
                o.PollInterval = TimeSpan.FromMilliseconds(300);
                o.LeaseRetryInterval = TimeSpan.FromMilliseconds(200);
                o.RunWriter = false;
            });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync(MirrorHarness.UserId, new SalesforceToken(Environment.GetEnvironmentVariable("ATOM_MIRROR_TOKEN")!, loginUrl, DateTimeOffset.UtcNow)
        {
            IdentityUrl = new Uri(loginUrl, $"/id/{MirrorHarness.OrgId}/005Hs00000000001AAA"),
        });
        var mirror = provider.GetRequiredService<SalesforceMirror>();
        mirror.PageCommitted = async (objectName, pages) =>
        {
            Console.Out.WriteLine($"page {objectName} {pages.ToString(CultureInfo.InvariantCulture)}");
            await Task.Delay(pageDelay);
        };
        using var stop = new CancellationTokenSource();
        var writer = mirror.RunAsync(stop.Token);
        Console.Out.WriteLine("started");
        await Console.In.ReadToEndAsync();
        await stop.CancelAsync();
        await writer;
        return 0;
    }
}

/// <summary>
/// A started writer process: its standard output lines and standard error are read as they come (a process that writes a lot
/// must never block on a full pipe) and kept for the test.
/// </summary>
internal sealed class WorkerHandle : IDisposable
{
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();

    public WorkerHandle(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public int Id => Process.Id;

    public string ApplicationName => WriterProcess.ApplicationNamePrefix + Id.ToString(CultureInfo.InvariantCulture);

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

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

    /// <summary>Waits (two minutes at most) until the process printed "started".</summary>
    public Task StartedAsync() => MirrorHarness.UntilAsync(
        () => Task.FromResult(Lines.Contains("started") || (Process.HasExited ? throw new InvalidOperationException($"The writer process exited: {Errors}") : false)),
        $"writer process {Id} started");

    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }
    }

    public async Task StopAsync()
    {
        Process.StandardInput.Close();
        await Process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }
}
