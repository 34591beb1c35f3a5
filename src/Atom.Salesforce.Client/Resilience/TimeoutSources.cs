namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// Reused <see cref="CancellationTokenSource"/>s for the SDK's timeouts, as Polly pools its own: a source that was not
/// cancelled is reset and kept, timer included, so a call that does not time out allocates no source and no timer. A source
/// is tied to the caller's token by a registration, not by linking (a linked source cannot be reused).
/// </summary>
internal static class TimeoutSources
{
    private static readonly CancellationTokenSource?[] Pool = new CancellationTokenSource?[Math.Clamp(Environment.ProcessorCount * 4, 16, 256)];

    /// <summary>A source that is not cancelled and has no timer running.</summary>
    public static CancellationTokenSource Rent()
    {
        var pool = Pool;
        for (var i = 0; i < pool.Length; i++)
        {
            if (Volatile.Read(ref pool[i]) is { } candidate && Interlocked.CompareExchange(ref pool[i], null, candidate) == candidate)
            {
                return candidate;
            }
        }

        return new CancellationTokenSource();
    }

    /// <summary>Cancels <paramref name="source"/> when <paramref name="callerToken"/> is cancelled; dispose the registration before <see cref="Return"/>.</summary>
    public static CancellationTokenRegistration Link(CancellationTokenSource source, CancellationToken callerToken) =>
        callerToken.CanBeCanceled ? callerToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source) : default;

    /// <summary>Keeps <paramref name="source"/> for another call if it was not cancelled (its timer is stopped); disposes it otherwise.</summary>
    public static void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            var pool = Pool;
            for (var i = 0; i < pool.Length; i++)
            {
                if (Volatile.Read(ref pool[i]) is null && Interlocked.CompareExchange(ref pool[i], source, null) is null)
                {
                    return;
                }
            }
        }

        source.Dispose();
    }
}
