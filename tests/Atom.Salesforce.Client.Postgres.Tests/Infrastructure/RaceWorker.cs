using System.Diagnostics;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

/// <summary>
/// The second OS process of the cross-process refresh race: the test assembly started again with <see cref="Argument"/>. It
/// opens its own store on the test schema, says "ready", waits for "go" on stdin, refreshes the user's expired token with a
/// slow refresh that records each call in <c>race_refresh_calls</c>, and prints the token it ends up with.
/// </summary>
internal static class RaceWorker
{
    public const string Argument = "--atom-race-worker";
    public const string KeyVariable = "ATOM_RACE_KEY";

    /// <summary>Starts a worker: <c>connection string, user id, expired access token</c>; the key goes in the environment.</summary>
    public static Process Start(string connectionString, string userId, string expiredAccessToken, string key)
    {
        var assembly = typeof(RaceWorker).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        start.ArgumentList.Add(Argument);
        start.ArgumentList.Add(connectionString);
        start.ArgumentList.Add(userId);
        start.ArgumentList.Add(expiredAccessToken);
        start.Environment[KeyVariable] = key;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return Process.Start(start) ?? throw new InvalidOperationException("The race worker did not start.");
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var (connectionString, userId, expired) = (args[1], args[2], args[3]);
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "race-worker")
            .AddPostgresTokenStore(o =>
            {
                o.ConnectionString = connectionString;
                o.Encryption.CurrentKeyId = "k1";
                o.Encryption.Keys["k1"] = Environment.GetEnvironmentVariable(KeyVariable)!;
            });
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<PostgresTokenStore>();
        await using var database = NpgsqlDataSource.Create(connectionString);

        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        if (await Console.In.ReadLineAsync() != "go")
        {
            return 2;
        }

        var pid = Environment.ProcessId;
        var token = await store.RefreshAsync(userId, Secrets.Token(expired), async (current, ct) =>
        {
            await using (var record = database.CreateCommand("INSERT INTO race_refresh_calls (pid, refresh_token_used) VALUES ($1, $2)"))
            {
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pid });
                record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = current.RefreshToken! });
                await record.ExecuteNonQueryAsync(ct);
            }

            // Slow enough that the other process is surely waiting by now.
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            return current with { AccessToken = $"fresh-{pid}", RefreshToken = $"rotated-{pid}", IssuedAt = DateTimeOffset.UtcNow };
        });

        Console.Out.WriteLine("token:" + token.AccessToken);
        Console.Out.WriteLine("refresh:" + token.RefreshToken);
        Console.Out.Flush();
        return 0;
    }
}
