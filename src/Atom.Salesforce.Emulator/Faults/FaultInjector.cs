using System.Text.RegularExpressions;

namespace Atom.Salesforce.Emulator.Faults;

/// <summary>The faults waiting for requests; each match uses one up.</summary>
internal sealed class FaultInjector
{
    private readonly object _lock = new();
    private readonly List<(EmulatorFault Fault, Regex Pattern, int Remaining, int Skip)> _faults = [];

    public void Add(EmulatorFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(fault.Skip);
        var pattern = new Regex("^" + Regex.Escape(fault.Path.Length > 1 ? fault.Path.TrimEnd('/') : fault.Path).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        lock (_lock)
        {
            _faults.Add((fault, pattern, fault.Count, fault.Skip));
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _faults.Clear();
        }
    }

    public IReadOnlyList<(EmulatorFault Fault, int Remaining)> Pending()
    {
        lock (_lock)
        {
            // The skip still to come, not the one asked for.
            return [.. _faults.Select(f => (f.Fault with { Skip = f.Skip }, f.Remaining))];
        }
    }

    /// <summary>The first fault matching the request (a trailing slash aside), used up by one; null when none matches.</summary>
    public EmulatorFault? Take(string method, string path)
    {
        lock (_lock)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                var (fault, pattern, remaining, skip) = _faults[i];
                if ((fault.Method is null || fault.Method.Equals(method, StringComparison.OrdinalIgnoreCase)) && pattern.IsMatch(path.Length > 1 ? path.TrimEnd('/') : path))
                {
                    if (skip > 0)
                    {
                        // Not yet: this request passes, and a later fault in the list may still take it.
                        _faults[i] = (fault, pattern, remaining, skip - 1);
                        continue;
                    }

                    if (remaining == 1)
                    {
                        _faults.RemoveAt(i);
                    }
                    else
                    {
                        _faults[i] = (fault, pattern, remaining - 1, 0);
                    }

                    return fault;
                }
            }

            return null;
        }
    }
}
