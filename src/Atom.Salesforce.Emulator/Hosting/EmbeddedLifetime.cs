using Microsoft.Extensions.Hosting;

namespace Atom.Salesforce.Emulator.Hosting;

/// <summary>A host lifetime that does nothing: no signal handlers, no console messages; the server stops when disposed.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
