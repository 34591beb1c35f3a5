namespace Atom.Salesforce.Client.AspNetCore.Tests;

/// <summary>
/// The test host's entry point: xunit's usual one (as xunit.v3 generates it), plus a worker mode in which the test assembly
/// runs an application instance (the pack, its webhooks and the hosted change event consumer) as another OS process for the
/// webhook failover test.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == Webhooks.Failover.WebhookWorker.Argument)
        {
            return Webhooks.Failover.WebhookWorker.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Any(arg => arg is "--server" or "--internal-msbuild-node"))
        {
            return Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions).GetAwaiter().GetResult();
        }

        return Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
    }
}
