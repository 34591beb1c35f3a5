namespace Atom.Salesforce.Emulator.Faults;

/// <summary>What an injected fault does to the requests it matches.</summary>
public enum FaultKind
{
    /// <summary>429 with <c>Retry-After</c> and REQUEST_LIMIT_EXCEEDED (a concurrency limit).</summary>
    RateLimit,

    /// <summary>503 SERVER_UNAVAILABLE.</summary>
    Unavailable,

    /// <summary>400 UNABLE_TO_LOCK_ROW, the transient record-lock error.</summary>
    UnableToLockRow,

    /// <summary>The connection is dropped without a response.</summary>
    DropConnection,

    /// <summary>The request is answered normally after <see cref="EmulatorFault.Latency"/>.</summary>
    Latency,

    /// <summary>
    /// The request is carried out (a write is saved), then the connection is dropped without a response: the client cannot
    /// tell whether it took effect.
    /// </summary>
    DropResponse,

    /// <summary>
    /// Pub/Sub API streams only (path <c>/eventbus.v1.PubSub/Subscribe</c>): the first change event of the next batch is
    /// delivered as a gap event (<c>GAP_CREATE</c>, <c>GAP_UPDATE</c>, ...: the header only, no field values), as Salesforce
    /// sends when it cannot generate the full event.
    /// </summary>
    Gap,
}

/// <summary>
/// A fault for the next <see cref="Count"/> requests whose method and path match: inject it with
/// <see cref="SalesforceEmulator.InjectFault"/> or <c>POST /__emulator/faults</c>.
/// </summary>
public sealed record EmulatorFault
{
    /// <summary>Creates a fault.</summary>
    /// <param name="kind">What it does.</param>
    /// <param name="path">The paths it matches: <c>*</c> matches any run of characters (<c>/services/data/*/query*</c>).</param>
    public EmulatorFault(FaultKind kind, string path = "*")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Kind = kind;
        Path = path;
    }

    /// <summary>What it does.</summary>
    public FaultKind Kind { get; }

    /// <summary>The path pattern; <c>*</c> is a wildcard.</summary>
    public string Path { get; }

    /// <summary>The HTTP method it matches; null for any.</summary>
    public string? Method { get; init; }

    /// <summary>How many matching requests it affects. 1 by default.</summary>
    public int Count { get; init; } = 1;

    /// <summary>
    /// How many matching requests pass untouched before it takes effect: 2 makes the third matching request fail. 0 by
    /// default.
    /// </summary>
    public int Skip { get; init; }

    /// <summary>The <c>Retry-After</c> of a <see cref="FaultKind.RateLimit"/>. One second by default.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The delay of a <see cref="FaultKind.Latency"/> fault.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(500);
}
