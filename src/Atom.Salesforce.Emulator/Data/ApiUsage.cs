namespace Atom.Salesforce.Emulator.Data;

/// <summary>The org's daily API request counter, reported in Sforce-Limit-Info and /limits.</summary>
internal sealed class ApiUsage(TimeProvider time, int dailyLimit)
{
    private readonly object _lock = new();
    private DateOnly _day;
    private int _used;

    public int Limit => dailyLimit;

    public int Used
    {
        get
        {
            lock (_lock)
            {
                Roll();
                return _used;
            }
        }
    }

    /// <summary>Counts one request; false when the allocation is already used up (the request is refused, not counted).</summary>
    public bool TryCount(out int used)
    {
        lock (_lock)
        {
            Roll();
            if (_used >= dailyLimit)
            {
                used = _used;
                return false;
            }

            used = ++_used;
            return true;
        }
    }

    private void Roll()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (today != _day)
        {
            _day = today;
            _used = 0;
        }
    }
}
