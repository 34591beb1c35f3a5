namespace Atom.Salesforce.Emulator;

/// <summary>
/// A clock that reads a chosen moment when it is made and then advances with an underlying clock (the system's by
/// default): an org whose "today" is a fixed date, yet whose tokens expire and whose LastModifiedDate moves as in any
/// running org. Timers and timestamps are the underlying clock's.
/// </summary>
internal sealed class ShiftedClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly DateTimeOffset _start;
    private readonly long _startTimestamp;

    public ShiftedClock(DateTimeOffset start, TimeProvider inner)
    {
        _inner = inner;
        _start = start.ToUniversalTime();
        _startTimestamp = inner.GetTimestamp();
    }

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _start + _inner.GetElapsedTime(_startTimestamp);

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);
}
