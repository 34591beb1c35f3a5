using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Emulator.OAuth;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator;

/// <summary>How an emulated org is set up.</summary>
public sealed class SalesforceEmulatorOptions
{
    /// <summary>
    /// The access token the org accepts by default: shaped like a Salesforce session id, the org id's first 15
    /// characters, <c>!</c>, then letters, digits and dots, because tools check that shape (<c>00D…!…</c>) before they
    /// use a token. It is fixed, so that it can be written down; it grants nothing outside the emulator.
    /// </summary>
    public const string DefaultAccessToken = "00DHs0000000001!AQ8AQAtomSalesforceEmulator.DefaultAccessToken.NotASecret.ShapedLikeASalesforceSessionId0000";

    /// <summary>
    /// An access token the org always accepts, without an OAuth flow and without expiring: the simplest way to point a
    /// client at the emulator. <see cref="DefaultAccessToken"/> by default; any other value is accepted exactly as
    /// given; null to accept only tokens issued by the OAuth endpoints (which are shaped like session ids too).
    /// </summary>
    public string? AccessToken { get; set; } = DefaultAccessToken;

    /// <summary>
    /// The org's clock: record dates, date literals (TODAY, LAST_N_DAYS:n), session expiry, the demo org's dates. The system
    /// clock by default; <see cref="ClockStartingOn"/> gives one whose today is a date of your choice.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// A clock for <see cref="TimeProvider"/> whose today is <paramref name="today"/>: it reads 12:00 UTC of that date when
    /// this method returns, then advances as <paramref name="timeProvider"/> does (the system clock by default), so that
    /// sessions still expire and LastModifiedDate still moves. With it the demo org (<see cref="DemoData"/>), written as of
    /// 12:00 UTC of the clock's date, is the same record by record whatever day and time the program starts, and so is
    /// every figure computed from it.
    /// </summary>
    /// <example>
    /// <code>new SalesforceEmulatorOptions { DemoData = new(), TimeProvider = SalesforceEmulatorOptions.ClockStartingOn(new DateOnly(2026, 6, 30)) }</code>
    /// </example>
    /// <param name="today">The org's date at start, in UTC.</param>
    /// <param name="timeProvider">The clock whose passing time the returned clock follows; the system clock when null.</param>
    /// <returns>A clock that starts at <paramref name="today"/> 12:00 UTC and advances in real time.</returns>
    public static TimeProvider ClockStartingOn(DateOnly today, TimeProvider? timeProvider = null) =>
        new ShiftedClock(new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero), timeProvider ?? TimeProvider.System);

    /// <summary>The daily API request allocation reported in <c>Sforce-Limit-Info</c>; past it, 403 REQUEST_LIMIT_EXCEEDED.</summary>
    public int DailyApiLimit { get; set; } = 15_000;

    /// <summary>How long an access token issued by the OAuth endpoints stays valid; then 401 INVALID_SESSION_ID. Two hours by default.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The OAuth endpoints' connected apps and users: by default one app, <c>emulator-client</c> / <c>emulator-secret</c>, and
    /// the admin user. Tokens they issue expire after <see cref="SessionTimeout"/>.
    /// </summary>
    public EmulatorOAuthOptions OAuth { get; } = new();

    /// <summary>
    /// A generated sales org to start with: users, campaigns, accounts, contacts, leads, opportunities with stage history,
    /// tasks and events, dated over the two years before the last 12:00 UTC on <see cref="TimeProvider"/> (the admin user and
    /// the stages at their start), so that it is the same all day. Null (the default) starts an empty org holding only the admin user and the opportunity
    /// stages.
    /// </summary>
    public DemoDataOptions? DemoData { get; set; }

    /// <summary>Custom objects (names ending in <c>__c</c>); they get key prefixes a00, a01, ... unless they say otherwise.</summary>
    public IList<SObjectDefinition> CustomObjects { get; } = [];

    /// <summary>Custom fields (<c>__c</c>) added to standard objects, by object name.</summary>
    public IDictionary<string, IReadOnlyList<FieldDefinition>> CustomFields { get; } = new Dictionary<string, IReadOnlyList<FieldDefinition>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Platform events (names ending in <c>__e</c>, fields in <c>__c</c>): published with <c>POST /sobjects/{Name}__e</c>
    /// (REST and composite) or the Pub/Sub API's Publish, received on <c>/event/{Name}__e</c>.
    /// </summary>
    public IList<SObjectDefinition> PlatformEvents { get; } = [];

    /// <summary>
    /// Managed event subscriptions (Salesforce's <c>ManagedEventSubscription</c>, beta): clients subscribe to them with the
    /// Pub/Sub API's <c>ManagedSubscribe</c> by developer name or id, and the org keeps the replay id they commit. More can
    /// be created at run time through the Tooling API (<c>/services/data/vXX.X/tooling/sobjects/ManagedEventSubscription</c>).
    /// </summary>
    public IList<PubSub.ManagedEventSubscriptionDefinition> ManagedEventSubscriptions { get; } = [];

    /// <summary>
    /// Where <see cref="SalesforceEmulator.ListenAsync"/> serves the Pub/Sub API (gRPC over HTTP/2):
    /// <c>http://127.0.0.1:0</c> (cleartext HTTP/2, a free port) by default; an <c>https://</c> URL serves it over TLS
    /// with a self-signed certificate made at start (<see cref="Hosting.EmulatorServer.PubSubCertificatePem"/>, for the
    /// client to trust); null to serve no Pub/Sub API.
    /// </summary>
    public string? PubSubUrl { get; set; } = "http://127.0.0.1:0";

    /// <summary>
    /// How long a Subscribe stream waits without events before it sends a keepalive (an empty FetchResponse with the
    /// latest replay id). 270 seconds by default, as Salesforce.
    /// </summary>
    public TimeSpan PubSubKeepAlive { get; set; } = TimeSpan.FromSeconds(270);

    /// <summary>
    /// How many changes of one transaction generate change events (a create, delete or undelete counts one, an update one
    /// per changed field); the changes beyond generate one overflow event (<c>GAP_OVERFLOW</c>) per object. 100,000 by
    /// default, as Salesforce (Change Data Capture Developer Guide, "Overflow Events"); lower it to exercise overflow
    /// handling with small transactions.
    /// </summary>
    public int ChangeEventOverflowThreshold { get; set; } = PubSub.ChangeCapture.DefaultOverflowThreshold;

    /// <summary>
    /// How far behind now the replication resources (<c>sobjects/{type}/updated</c> and <c>sobjects/{type}/deleted</c>) report. Salesforce answers for a window up to its <c>latestDateCovered</c>, which is at most the window's
    /// end and may be earlier: changes after it are not reported yet, and a replica must ask again from it (SOAP API
    /// Developer Guide, "GetDeletedResult"). Zero (the default) covers up to the current whole minute and reports every change
    /// made until now; a positive lag leaves the changes of its last span out and moves <c>latestDateCovered</c> back with it,
    /// to exercise a replica that must not trust an answer past <c>latestDateCovered</c>.
    /// </summary>
    public TimeSpan ReplicationLag { get; set; }
}
