using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atom.Salesforce.Docs.Tests.Snippets;

/// <summary>A snippet's web app once it has started: where it listens, its services, and how to stop it.</summary>
public sealed record HostedApp(Uri BaseAddress, IServiceProvider Services, IHostApplicationLifetime Lifetime);

/// <summary>
/// Registered on the snippet's <c>builder.Services</c> by the harness: reports the app the snippet builds and runs
/// (<c>await app.RunAsync()</c>) once it listens, so a test can send it requests and then stop it.
/// </summary>
public sealed class HostedAppProbe(IServiceProvider services, TaskCompletionSource<HostedApp> started) : IHostedService
{
    /// <summary>Adds the probe to a snippet's services.</summary>
    public static void Register(IServiceCollection serviceCollection, TaskCompletionSource<HostedApp> started) =>
        serviceCollection.AddHostedService(sp => new HostedAppProbe(sp, started));

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is null)
            {
                started.TrySetException(new InvalidOperationException("The snippet's app started without a server address."));
                return;
            }

            started.TrySetResult(new HostedApp(new Uri(address), services, lifetime));
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
