using Atom.Salesforce.IntegrationTests.Governance;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// The test host's entry point: xunit's usual one (as xunit.v3 generates it), plus worker modes in which the test assembly
/// runs as another OS process sharing an API budget (Governance/BudgetWorker) or as an instance of an app (Governance/AppInstanceWorker).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == BudgetWorker.Argument)
        {
            return BudgetWorker.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == AppInstanceWorker.Argument)
        {
            return AppInstanceWorker.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Any(arg => arg is "--server" or "--internal-msbuild-node"))
        {
            return Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions).GetAwaiter().GetResult();
        }

        return Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
    }
}
