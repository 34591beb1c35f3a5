using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Emulator.Hosting;

namespace Atom.Salesforce.Emulator.Tool;

/// <summary>
/// <c>atom-salesforce-emulator [options]</c> (<see cref="CommandLine.Usage"/>): generates the org, listens, prints
/// where, and serves until SIGINT or SIGTERM.
/// </summary>
internal static class Program
{
    /// <summary>Stopped by a signal, or <c>--help</c>.</summary>
    public const int Stopped = 0;

    /// <summary>A bad argument.</summary>
    public const int BadArgument = 2;

    /// <summary>The server could not listen on <c>--urls</c>.</summary>
    public const int CannotListen = 3;

    /// <summary>The line clients wait for, followed by the base address.</summary>
    public const string ListeningOn = "Atom.Salesforce.Emulator listening on ";

    public static async Task<int> Main(string[] args)
    {
        if (!CommandLine.TryParse(args, out var command, out var error))
        {
            await Console.Error.WriteLineAsync($"{error}{Environment.NewLine}{Environment.NewLine}{CommandLine.Usage}").ConfigureAwait(false);
            return BadArgument;
        }

        if (command.Help)
        {
            await Console.Out.WriteLineAsync(CommandLine.Usage).ConfigureAwait(false);
            return Stopped;
        }

        // SIGINT (Ctrl+C) and SIGTERM (CI, systemd, docker stop) stop the server; cancelling the default keeps the process
        // alive until it has closed its connections.
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var clock = Stopwatch.StartNew();
        var emulator = new SalesforceEmulator(command.Options);
        if (command.Options.DemoData is { } demo)
        {
            Console.WriteLine(DemoSummary(emulator, demo, clock.Elapsed));
        }


        EmulatorServer server;
        try
        {
            server = await emulator.ListenAsync(command.Url, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return Stopped;
        }
        catch (Exception e)
        {
            // Kestrel's reasons are one sentence (address already in use, invalid URL, cannot assign requested address).
            var reason = e.Message.ReplaceLineEndings(" ");
            await Console.Error.WriteLineAsync($"Cannot listen on {command.Url}: {reason}").ConfigureAwait(false);
            return CannotListen;
        }

        await using (server.ConfigureAwait(false))
        {
            if (command.Options.AccessToken == SalesforceEmulatorOptions.DefaultAccessToken)
            {
                // A fixed development token, not a secret; clients need it to call the org.
                Console.WriteLine($"Access token (set another with --access-token): {SalesforceEmulatorOptions.DefaultAccessToken}");
            }

            if (server.PubSubAddress is { } pubSub)
            {
                if (command.PubSubCertificateFile is { } certificateFile && server.PubSubCertificatePem is { } pem)
                {
                    await File.WriteAllTextAsync(certificateFile, pem, stop.Token).ConfigureAwait(false);
                }

                Console.WriteLine($"Pub/Sub API (gRPC, HTTP/2): {pubSub.Authority}{(server.PubSubCertificatePem is null ? " (cleartext)" : " (TLS)")}");
            }

            Console.WriteLine($"{ListeningOn}{server.BaseAddress.ToString().TrimEnd('/')}");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Signalled: dispose stops the server.
            }
        }

        return Stopped;
    }

    private static string DemoSummary(SalesforceEmulator emulator, DemoDataOptions demo, TimeSpan elapsed)
    {
        var org = emulator.Org;
        string Count(string objectName, string label) =>
            $"{org.Records(org.Schema.Find(objectName)!).Count.ToString("N0", CultureInfo.InvariantCulture)} {label}";
        var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var scale = demo.Scale.ToString(CultureInfo.InvariantCulture);
        var seed = demo.RandomSeed.ToString(CultureInfo.InvariantCulture);
        var today = DateOnly.FromDateTime(emulator.Options.TimeProvider.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"Demo org (random seed {seed}, scale {scale}, today {today}) generated in {seconds} s: "
            + $"{Count("User", "users")}, {Count("Campaign", "campaigns")}, {Count("Account", "accounts")}, {Count("Contact", "contacts")}, "
            + $"{Count("Lead", "leads")}, {Count("Opportunity", "opportunities")}, {Count("OpportunityHistory", "history rows")}, "
            + $"{Count("Task", "tasks")}, {Count("Event", "events")}";
    }
}
