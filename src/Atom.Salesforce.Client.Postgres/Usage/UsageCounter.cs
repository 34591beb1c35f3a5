namespace Atom.Salesforce.Client.Postgres.Usage;

/// <summary>
/// Three counters that writers add to without locks, and that the flusher retires: after <see cref="Retire"/> returns, no add
/// is in progress and every later add is refused (the writer then starts a new counter), so a flush reads exact totals.
/// The protocol is Dekker's: a writer announces itself, then checks the flag; the flusher sets the flag, then waits for
/// writers to leave. Interlocked operations are full fences, so one of the two always sees the other.
/// </summary>
internal sealed class UsageCounter
{
    private int _writers;
    private int _retired;
    private long _first;
    private long _second;
    private long _third;

    public long First => Volatile.Read(ref _first);

    public long Second => Volatile.Read(ref _second);

    public long Third => Volatile.Read(ref _third);

    /// <summary>Adds to the three sums; false when the counter was retired.</summary>
    public bool TryAdd(long first, long second, long third)
    {
        Interlocked.Increment(ref _writers);
        try
        {
            if (Volatile.Read(ref _retired) != 0)
            {
                return false;
            }

            Interlocked.Add(ref _first, first);
            if (second != 0)
            {
                Interlocked.Add(ref _second, second);
            }

            if (third != 0)
            {
                Interlocked.Add(ref _third, third);
            }

            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _writers);
        }
    }

    /// <summary>Adds <paramref name="count"/> to the first sum and raises the second to at least <paramref name="value"/>; false when retired.</summary>
    public bool TryAddAndRaise(long count, long value)
    {
        Interlocked.Increment(ref _writers);
        try
        {
            if (Volatile.Read(ref _retired) != 0)
            {
                return false;
            }

            Interlocked.Add(ref _first, count);
            var seen = Volatile.Read(ref _second);
            while (value > seen)
            {
                var previous = Interlocked.CompareExchange(ref _second, value, seen);
                if (previous == seen)
                {
                    break;
                }

                seen = previous;
            }

            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _writers);
        }
    }

    /// <summary>Refuses further adds and waits for the adds in progress to finish.</summary>
    public void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        var spin = default(SpinWait);
        while (Volatile.Read(ref _writers) != 0)
        {
            spin.SpinOnce();
        }
    }
}
