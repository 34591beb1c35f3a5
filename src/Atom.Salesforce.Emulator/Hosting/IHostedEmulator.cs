using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.Http;

namespace Atom.Salesforce.Emulator.Hosting;

/// <summary>
/// The org as its servers see it (the in-process handler, Kestrel, the Pub/Sub API's gRPC host): the one entry for every
/// request, and what the Pub/Sub API needs besides the org's state. The root's <see cref="SalesforceEmulator"/> implements
/// it, so Hosting never names that class.
/// </summary>
internal interface IHostedEmulator : IEmulatorHost
{
    /// <summary>The faults waiting for requests; the Pub/Sub API takes those aimed at its Subscribe path.</summary>
    FaultInjector Faults { get; }

    /// <summary>Where to serve the Pub/Sub API (<c>SalesforceEmulatorOptions.PubSubUrl</c>), or null for none.</summary>
    string? PubSubUrl { get; }

    /// <summary>How often an idle subscription hears a keepalive (<c>SalesforceEmulatorOptions.PubSubKeepAlive</c>).</summary>
    TimeSpan PubSubKeepAlive { get; }

    /// <summary>
    /// Runs one request: an injected fault first, then routing, authentication, the API counter and the handler.
    /// </summary>
    Task<EmulatorResponse> HandleAsync(EmulatorRequest request, CancellationToken cancellationToken);

    /// <summary>Kestrel listens: from now on the org's instance URL is <paramref name="instanceUrl"/>.</summary>
    void ServedAt(Uri instanceUrl);
}
