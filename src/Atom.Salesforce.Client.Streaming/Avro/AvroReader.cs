using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Atom.Salesforce.Client.Streaming.Avro;

/// <summary>
/// Reads Avro's binary encoding from a span: zigzag varints for int and long, little-endian IEEE floats, length-prefixed
/// bytes and UTF-8 strings, blocked arrays and maps, unions as a branch index and the branch's value. Every read is bounds
/// checked: a truncated or corrupt payload throws <see cref="InvalidDataException"/>, never reads past its end.
/// </summary>
internal ref struct AvroReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Position => _position;

    public readonly bool End => _position >= _data.Length;

    public readonly int Remaining => _data.Length - _position;

    public long ReadLong()
    {
        // Most values (lengths, union branches, small numbers) fit one byte.
        if ((uint)_position < (uint)_data.Length)
        {
            var first = _data[_position];
            if (first < 0x80)
            {
                _position++;
                return (first >> 1) ^ -(first & 1);
            }
        }

        return ReadLongSlow();
    }

    private long ReadLongSlow()
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            if (_position >= _data.Length)
            {
                throw Truncated();
            }

            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new InvalidDataException("An Avro long is longer than 10 bytes.");
            }
        }

        return (long)(value >> 1) ^ -(long)(value & 1);
    }

    public int ReadInt()
    {
        var value = ReadLong();
        return value is < int.MinValue or > int.MaxValue ? throw new InvalidDataException($"An Avro int is out of range: {value}.") : (int)value;
    }

    public bool ReadBoolean()
    {
        if (_position >= _data.Length)
        {
            throw Truncated();
        }

        return _data[_position++] switch
        {
            0 => false,
            1 => true,
            var b => throw new InvalidDataException($"An Avro boolean is {b}, not 0 or 1."),
        };
    }

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public ReadOnlySpan<byte> ReadBytesSpan() => Take(Length());

    public string ReadString()
    {
        var bytes = ReadBytesSpan();
        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    public ReadOnlySpan<byte> ReadFixed(int size) => Take(size);

    /// <summary>The item count of the next array or map block (0 at the end); a negative count's block size is skipped.</summary>
    public long ReadBlockCount()
    {
        var count = ReadLong();
        if (count < 0)
        {
            count = -count;
            _ = ReadLong();
        }

        return count;
    }

    private int Length()
    {
        var length = ReadLong();
        if (length < 0 || length > _data.Length - _position)
        {
            throw length < 0 ? new InvalidDataException($"An Avro length is negative: {length}.") : Truncated();
        }

        return (int)length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw Truncated();
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    private static InvalidDataException Truncated() => new("The Avro payload ends before its schema says it should.");

    /// <summary>A decimal from its two's-complement big-endian unscaled value.</summary>
    public static decimal ToDecimal(ReadOnlySpan<byte> unscaled, int scale)
    {
        var value = new BigInteger(unscaled, isUnsigned: false, isBigEndian: true);
        var result = (decimal)value;
        return scale == 0 ? result : result / Pow10(scale);
    }

    private static decimal Pow10(int scale)
    {
        var result = 1m;
        for (var i = 0; i < scale; i++)
        {
            result *= 10m;
        }

        return result;
    }
}
