using Microsoft.Extensions.Hosting;

namespace Atom.Salesforce.Client.Mirror.DependencyInjection;

/// <summary>Runs the mirror's writer for as long as the host runs (one instance writes; the others stand by).</summary>
internal sealed class MirrorHostedService(SalesforceMirror mirror) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => mirror.RunAsync(stoppingToken);
}
