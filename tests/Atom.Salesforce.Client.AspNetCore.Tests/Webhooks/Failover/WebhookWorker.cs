using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.AspNetCore.Webhooks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Webhooks.Failover;

/// <summary>
/// One application instance of the webhook failover test, as its own OS process: the test assembly started again with
/// <see cref="Argument"/>. It is an app as the pack's README describes one: the endpoint pack's routes on Kestrel (loopback),
/// <c>AddWebhooks()</c> with its options bound from configuration (the environment's <c>Salesforce__Webhooks__*</c>), the
/// PostgreSQL token store and the hosted change event consumer on <c>/data/ChangeEvents</c> with <c>UsePostgres()</c> and
/// <c>.AddWebhooks()</c>, against the emulator (REST and its Pub/Sub API) in the test process. It prints
/// <c>started {address}</c>, then <c>port {n}</c> for every connection its delivery worker opens (so that the test's
/// receiver can tell which instance a delivery came from), and runs until its standard input closes (or it is killed).
/// </summary>
internal static class WebhookWorker
{
    public const string Argument = "--atom-webhook-failover-worker";

    public const string Integration = "integration";

    public const string StartedPrefix = "started ";

    public const string PortPrefix = "port ";

    /// <summary>Starts a worker; <paramref name="webhooks"/> are its <c>Salesforce:Webhooks</c> settings, given as environment variables.</summary>
    public static WorkerProcess Start(string connectionString, Uri loginUrl, Uri pubSub, string consumerName, string encryptionKey, IReadOnlyDictionary<string, string> webhooks)
    {
        var assembly = typeof(WebhookWorker).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        start.ArgumentList.Add(Argument);
        start.ArgumentList.Add(connectionString);
        start.ArgumentList.Add(loginUrl.ToString());
        start.ArgumentList.Add(pubSub.ToString());
        start.ArgumentList.Add(consumerName);
        start.Environment["ATOM_WEBHOOK_FAILOVER_KEY"] = encryptionKey;
        foreach (var (key, value) in webhooks)
        {
            start.Environment["Salesforce__Webhooks__" + key] = value;
        }

        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("The webhook worker did not start."));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var connectionString = args[1];
        var loginUrl = new Uri(args[2]);
        var pubSub = new Uri(args[3]);
        var consumerName = args[4];
        var output = TextWriter.Synchronized(Console.Out);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole();
        // Logs go to standard error (read by the test for a worker that fails), standard output carries the protocol.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddAtomSalesforce(o =>
            {
                o.ClientId = Emulator.OAuth.EmulatorOAuthOptions.DefaultClientId;
                o.ClientSecret = Emulator.OAuth.EmulatorOAuthOptions.DefaultClientSecret;
                o.LoginUrl = loginUrl;
            })
            .AddPostgresTokenStore(o =>
            {
                o.ConnectionString = connectionString;
                o.CacheDuration = TimeSpan.Zero;
                o.Encryption.CurrentKeyId = "k1";
                o.Encryption.Keys["k1"] = Environment.GetEnvironmentVariable("ATOM_WEBHOOK_FAILOVER_KEY")!;
            })
            .AddPubSub(o => o.Endpoint = pubSub)
            .AddEndpoints(o => o.RateLimitPermits = 1_000_000)
            // Everything else from configuration (Salesforce:Webhooks, here the environment).
            .AddWebhooks();

        // Test-only: the delivery worker's connections are reported by local port (internal hook; the guard still connects).
        builder.Services.PostConfigure<WebhookOptions>(o => o.ConfigureHandler = handler =>
        {
            var connect = handler.ConnectCallback!;
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var stream = await connect(context, cancellationToken);
                if (stream is NetworkStream { Socket.LocalEndPoint: IPEndPoint local })
                {
                    await output.WriteLineAsync(PortPrefix + local.Port);
                    await output.FlushAsync(cancellationToken);
                }

                return stream;
            };
        });

        // The defaults an application gets (lease retry every two seconds, reconnect after one), except the start and the name.
        builder.Services.AddAtomSalesforceChangeEvents(o =>
            {
                o.UserId = Integration;
                o.ConsumerName = consumerName;
                o.StartFromEarliest = true;
                o.OnDeadLetter = (letter, _) =>
                {
                    Console.Error.WriteLine($"DEAD LETTER: {letter}");
                    return Task.CompletedTask;
                };
            })
            .UsePostgres()
            .AddWebhooks();
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAtomSalesforce();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await output.WriteLineAsync(StartedPrefix + address);
        await output.FlushAsync();
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }
}

/// <summary>
/// A started worker: its standard output is read as it comes (the address it serves, the local ports of its deliveries) and
/// so is its standard error (kept for the failure message of a worker that did not start); neither pipe can fill up.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource<Uri> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _started.TrySetException(new InvalidOperationException("The worker exited before it started: " + Errors));
            }
            else if (e.Data.StartsWith(WebhookWorker.StartedPrefix, StringComparison.Ordinal))
            {
                _started.TrySetResult(new Uri(e.Data[WebhookWorker.StartedPrefix.Length..].TrimEnd('/') + "/"));
            }
            else if (e.Data.StartsWith(WebhookWorker.PortPrefix, StringComparison.Ordinal))
            {
                Ports.Add(int.Parse(e.Data.AsSpan(WebhookWorker.PortPrefix.Length), System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public Process Process { get; }

    public int Id => Process.Id;

    /// <summary>The local ports of the connections its delivery worker opened.</summary>
    public System.Collections.Concurrent.ConcurrentBag<int> Ports { get; } = [];

    /// <summary>The address its routes are served at, once it has started.</summary>
    public Task<Uri> Started => _started.Task;

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
