namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// The test host's entry point: xunit's usual one (as xunit.v3 generates it), plus a worker mode in which the test assembly
/// runs the mirror's writer as another OS process (Failover/WriterProcess).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == Failover.WriterProcess.Argument)
        {
            return Failover.WriterProcess.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Any(arg => arg is "--server" or "--internal-msbuild-node"))
        {
            return Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions).GetAwaiter().GetResult();
        }

        return Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
    }
}
