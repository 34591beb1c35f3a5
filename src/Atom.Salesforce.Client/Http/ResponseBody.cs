using System.Buffers;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// A response body read whole into an array rented from the shared pool (sized from <c>Content-Length</c> when Salesforce
/// sends it, grown by doubling otherwise), so that reading a small answer costs no buffer of its own. A struct kept in its
/// reader's state machine: <see cref="Return"/> it in a <c>finally</c>, and use <see cref="Span"/> only before that.
/// </summary>
internal struct ResponseBody
{
    private const int DefaultSize = 4096;

    // Arrays that grew past this are not kept by the pool's small buckets anyway; a huge first size is not trusted blindly.
    private const int MaxInitialSize = 1024 * 1024;

    private byte[] _array;
    private int _length;

    /// <summary>A buffer for <paramref name="response"/>'s body: its length plus one (the read that sees the end) when known.</summary>
    public static ResponseBody Rent(HttpResponseMessage response)
    {
        var known = response.Content.Headers.ContentLength;
        var size = known is { } length and >= 0 and < MaxInitialSize ? (int)length + 1 : DefaultSize;
        return new ResponseBody { _array = ArrayPool<byte>.Shared.Rent(size) };
    }

    /// <summary>The bytes read so far.</summary>
    public readonly ReadOnlySpan<byte> Span => _array.AsSpan(0, _length);

    /// <summary>Room for the next read (never empty: the array doubles when full).</summary>
    public Memory<byte> Free()
    {
        if (_length == _array.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(checked(_array.Length * 2));
            _array.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }

        return _array.AsMemory(_length);
    }

    /// <summary>Counts <paramref name="count"/> bytes just read into <see cref="Free"/>.</summary>
    public void Advance(int count) => _length += count;

    /// <summary>Gives the array back to the pool.</summary>
    public void Return()
    {
        if (_array is { } array)
        {
            _array = null!;
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
