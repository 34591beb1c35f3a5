using System.Globalization;

namespace Atom.Salesforce.Emulator;

/// <summary>
/// <c>dotnet run --project src/Atom.Salesforce.Emulator -- --urls http://127.0.0.1:PORT [--access-token TOKEN]
/// [--api-limit N] [--session-timeout SECONDS]</c>
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = new SalesforceEmulatorOptions();
        var url = "http://127.0.0.1:0";
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--urls":
                    url = Next();
                    break;
                case "--access-token":
                    options.AccessToken = Next();
                    break;
                case "--api-limit":
                    options.DailyApiLimit = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--session-timeout":
                    options.SessionTimeout = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture));
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'. Usage: --urls URL [--access-token TOKEN] [--api-limit N] [--session-timeout SECONDS]").ConfigureAwait(false);
                    return 2;
            }
        }

        var emulator = new SalesforceEmulator(options);
        await using var server = await emulator.ListenAsync(url).ConfigureAwait(false);
        Console.WriteLine($"Atom.Salesforce.Emulator listening on {server.BaseAddress.ToString().TrimEnd('/')}");
        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
        await stop.Task.ConfigureAwait(false);
        return 0;
    }
}
