using Atom.Salesforce.Samples.PipelineReporting;
using Microsoft.Extensions.Configuration;

// dotnet run --project samples/Atom.Salesforce.Samples.PipelineReport [-- --out report.html --scale 1 --today 2026-06-30]
// No org configured: the emulator's demo org on a loopback port. An org configured: see OrgConnection.
if (!PipelineReportSettings.TryParse(args, out var settings, out var error))
{
    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync();
    await Console.Error.WriteLineAsync(PipelineReportSettings.Usage);
    return 2;
}

if (settings.Help)
{
    Console.WriteLine(PipelineReportSettings.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var configuration = new ConfigurationBuilder()
    .AddUserSecrets(typeof(PipelineReportApp).Assembly, optional: true)
    .AddEnvironmentVariables()
    .Build();

return await PipelineReportApp.RunAsync(ReportConsole.ForStandardOutput(), configuration, settings, cancel.Token);
