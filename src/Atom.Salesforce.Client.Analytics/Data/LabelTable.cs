namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>Dictionary-encodes a text column: each distinct value (null included) gets a dense index.</summary>
internal sealed class LabelTable
{
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly List<string?> _labels = [];
    private int _nullIndex = -1;

    public int Count => _labels.Count;

    public int IndexOf(string? value)
    {
        if (value is null)
        {
            if (_nullIndex < 0)
            {
                _nullIndex = _labels.Count;
                _labels.Add(null);
            }

            return _nullIndex;
        }

        if (!_indexes.TryGetValue(value, out var index))
        {
            index = _labels.Count;
            _indexes.Add(value, index);
            _labels.Add(value);
        }

        return index;
    }

    public bool TryFind(string? value, out int index)
    {
        if (value is null)
        {
            index = _nullIndex;
            return index >= 0;
        }

        return _indexes.TryGetValue(value, out index);
    }

    public string?[] ToArray() => [.. _labels];
}
