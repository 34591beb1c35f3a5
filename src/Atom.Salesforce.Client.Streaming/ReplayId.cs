namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// The position of an event in its topic's stream, as Salesforce gives it: opaque bytes, to be stored and handed back
/// unchanged (never parsed or compared for order). Two replay ids are equal when their bytes are.
/// </summary>
public readonly struct ReplayId : IEquatable<ReplayId>
{
    private readonly byte[]? _bytes;

    /// <summary>A replay id from stored bytes (copied).</summary>
    /// <param name="bytes">The bytes exactly as an event or a keepalive carried them.</param>
    public ReplayId(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    private ReplayId(byte[] bytes, bool owned) => _bytes = owned ? bytes : (byte[])bytes.Clone();

    /// <summary>The bytes.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>True for the default value, which names no position.</summary>
    public bool IsEmpty => _bytes is null || _bytes.Length == 0;

    /// <summary>A copy of the bytes, for storing.</summary>
    public byte[] ToArray() => _bytes is null ? [] : (byte[])_bytes.Clone();

    /// <summary>The bytes as base64, for storing as text.</summary>
    public string ToBase64() => _bytes is null ? string.Empty : Convert.ToBase64String(_bytes);

    /// <summary>A replay id stored as base64 text (<see cref="ToBase64"/>).</summary>
    /// <exception cref="FormatException">The text is not base64.</exception>
    public static ReplayId FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        return new ReplayId(Convert.FromBase64String(base64), owned: true);
    }

    internal static ReplayId Wrap(byte[] bytes) => new(bytes, owned: true);

    /// <inheritdoc />
    public bool Equals(ReplayId other) => Bytes.Span.SequenceEqual(other.Bytes.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ReplayId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes.Span);
        return hash.ToHashCode();
    }

    /// <summary>Whether two replay ids have the same bytes.</summary>
    public static bool operator ==(ReplayId left, ReplayId right) => left.Equals(right);

    /// <summary>Whether two replay ids have different bytes.</summary>
    public static bool operator !=(ReplayId left, ReplayId right) => !left.Equals(right);

    /// <summary>The bytes as base64.</summary>
    public override string ToString() => ToBase64();
}
