using System.Collections;
using System.Runtime.CompilerServices;

namespace Atom.Salesforce.Soql;

/// <summary>
/// An immutable list that compares by its items, so that two syntax trees with the same content are equal.
/// Write it as a collection expression: <c>Select = [new SoqlSelectExpression(new SoqlField("Id"))]</c>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
[CollectionBuilder(typeof(SoqlList), nameof(SoqlList.Create))]
public sealed class SoqlList<T> : IReadOnlyList<T>, IEquatable<SoqlList<T>>
{
    private readonly T[] _items;

    internal SoqlList(T[] items) => _items = items;

    /// <summary>The empty list.</summary>
    public static SoqlList<T> Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public T this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(SoqlList<T>? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SoqlList<T>);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary>The items, comma-separated.</summary>
    public override string ToString() => string.Join(", ", _items);
}

/// <summary>Creates <see cref="SoqlList{T}"/> instances.</summary>
public static class SoqlList
{
    /// <summary>A list of the given items; none may be null.</summary>
    public static SoqlList<T> Create<T>(ReadOnlySpan<T> items)
    {
        if (items.IsEmpty)
        {
            return SoqlList<T>.Empty;
        }

        foreach (var item in items)
        {
            if (item is null)
            {
                throw new ArgumentException("A SOQL syntax tree cannot hold null items.", nameof(items));
            }
        }

        return new SoqlList<T>(items.ToArray());
    }

    /// <summary>A list of the given items; none may be null.</summary>
    public static SoqlList<T> From<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToArray();
        if (array.Length == 0)
        {
            return SoqlList<T>.Empty;
        }

        foreach (var item in array)
        {
            if (item is null)
            {
                throw new ArgumentException("A SOQL syntax tree cannot hold null items.", nameof(items));
            }
        }

        return new SoqlList<T>(array);
    }
}
