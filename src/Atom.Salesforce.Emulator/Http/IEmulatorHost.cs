using Atom.Salesforce.Emulator.Auth;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.PubSub;

namespace Atom.Salesforce.Emulator.Http;

/// <summary>
/// The org as every route handler sees it: its records, sessions, API counter, event bus and clock, and the way to run a
/// subrequest. The root's <see cref="SalesforceEmulator"/> implements it; handlers never name that public class, so the
/// features stay below the root. State that belongs to a feature (the OAuth server, the fault injector and request log,
/// the Bulk job store, the Apex REST registry) is not here: the root hands it to the endpoints that use it when it maps them.
/// </summary>
internal interface IEmulatorHost
{
    Org Org { get; }

    Sessions Sessions { get; }

    ApiUsage Usage { get; }

    /// <summary>The Pub/Sub API's event bus, topics and change capture.</summary>
    PubSubBus PubSub { get; }

    TimeProvider TimeProvider { get; }

    /// <summary>The org's instance URL: where it listens, or <c>https://emulator.my.salesforce.com</c> in-process.</summary>
    Uri InstanceUrl { get; }

    /// <summary>When the org started: the schema has not changed since (describe's If-Modified-Since).</summary>
    DateTimeOffset StartedAt { get; }

    /// <summary>
    /// Runs a subrequest of a composite call as the caller: routing and the handler only; the composite call itself was
    /// authenticated and counted once.
    /// </summary>
    EmulatorResponse Dispatch(EmulatorRequest request, string? userId);
}
