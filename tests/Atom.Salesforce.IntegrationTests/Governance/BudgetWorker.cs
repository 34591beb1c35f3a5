using System.Diagnostics;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.IntegrationTests.Governance;

/// <summary>
/// Another OS process sharing an API budget: the test assembly started again with <see cref="Argument"/>. It registers the
/// SDK with API governance and the given shared store (and, when asked, concurrency caps shared through it), says "ready", waits for "go" on stdin, makes its calls all at once
/// (a one-record query each) and prints how they ended: <c>ok:N</c>, <c>budget:N</c> (refused with API_BUDGET_EXHAUSTED) and
/// <c>other:N</c> with the codes of anything else.
/// </summary>
internal static class BudgetWorker
{
    public const string Argument = "--atom-budget-worker";

    /// <summary>Starts a worker: store kind (<c>redis</c> or <c>postgres</c>), the store's connection, the emulator, the calls.</summary>
    public static Process Start(string store, string connection, Uri loginUrl, Uri instanceUrl, string accessToken, int calls, int sharedCap = 0)
    {
        var assembly = typeof(BudgetWorker).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        foreach (var argument in new[] { Argument, store, connection, loginUrl.ToString(), instanceUrl.ToString(), accessToken, calls.ToString(System.Globalization.CultureInfo.InvariantCulture), sharedCap.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return Process.Start(start) ?? throw new InvalidOperationException("The budget worker did not start.");
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var (store, connection, loginUrl, instanceUrl, accessToken) = (args[1], args[2], new Uri(args[3]), new Uri(args[4]), args[5]);
        var calls = int.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture);
        var sharedCap = int.Parse(args[7], System.Globalization.CultureInfo.InvariantCulture);
        var services = new ServiceCollection();
        var sdk = services.AddAtomSalesforce(o =>
            {
                o.ClientId = "budget-worker";
                o.LoginUrl = loginUrl;
                o.Resilience.MaxRetryAttempts = 0;
                o.Resilience.CircuitBreaker.Enabled = false;
            })
            .AddApiGovernance(o =>
            {
                // Interactive calls may use the allocation to the last call: the test counts exactly that many.
                o.InteractiveReserve = 0;
                o.MaxConcurrentRequests = 50;
                o.QueueTimeout = TimeSpan.FromMinutes(5);
                if (sharedCap > 0)
                {
                    // The caps count every process's calls in flight (in Redis).
                    o.ShareConcurrencyLimits = true;
                    (o.MaxConcurrentRequests, o.MaxConcurrentBackgroundRequests, o.MaxConcurrentLongRunningRequests) = (sharedCap, sharedCap, sharedCap);
                }
            });
        // Redis: "host:port|prefix|block size".
        var redis = connection.Split('|');
        _ = store == "redis"
            ? sdk.AddRedisApiBudget(redis[0], redis[1], int.Parse(redis[2], System.Globalization.CultureInfo.InvariantCulture))
            : sdk.AddPostgresApiBudget(connection);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("worker", new SalesforceToken(accessToken, instanceUrl, DateTimeOffset.UtcNow));
        var sf = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("worker");

        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        if (await Console.In.ReadLineAsync() != "go")
        {
            return 2;
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, calls).Select(_ => Task.Run(() => CallAsync(sf))));
        Console.Out.WriteLine("ok:" + outcomes.Count(o => o == "ok"));
        Console.Out.WriteLine("budget:" + outcomes.Count(o => o == "API_BUDGET_EXHAUSTED"));
        Console.Out.WriteLine("other:" + outcomes.Count(o => o is not ("ok" or "API_BUDGET_EXHAUSTED")) + " " + string.Join(",", outcomes.Where(o => o is not ("ok" or "API_BUDGET_EXHAUSTED")).Distinct()));
        Console.Out.Flush();
        return 0;
    }

    private static async Task<string> CallAsync(SalesforceClient sf)
    {
        try
        {
            await foreach (var _ in sf.Query.QueryAsync<SObject>("SELECT Id FROM Account LIMIT 1"))
            {
            }

            return "ok";
        }
        catch (SalesforceException e)
        {
            return e.ErrorCode;
        }
    }
}
