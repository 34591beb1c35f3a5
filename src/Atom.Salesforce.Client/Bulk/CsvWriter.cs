using System.Buffers;
using System.Text;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>
/// Writes RFC 4180 CSV as UTF-8 into a buffer: a value holding the delimiter, a quote, a carriage return or a line feed is
/// quoted, with quotes doubled; rows end with LF. Values are never trimmed.
/// </summary>
internal sealed class CsvWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly char _delimiter;
    private readonly SearchValues<char> _special;
    private bool _rowStarted;

    public CsvWriter(ArrayBufferWriter<byte> buffer, char delimiter = ',')
    {
        _buffer = buffer;
        _delimiter = delimiter;
        _special = SearchValues.Create(['"', '\r', '\n', delimiter]);
    }

    public int Length => _buffer.WrittenCount;

    public void WriteField(ReadOnlySpan<char> value)
    {
        if (_rowStarted)
        {
            WriteAscii((byte)_delimiter);
        }

        _rowStarted = true;
        if (value.IndexOfAny(_special) < 0)
        {
            WriteUtf8(value);
            return;
        }

        WriteAscii((byte)'"');
        while (true)
        {
            var quote = value.IndexOf('"');
            if (quote < 0)
            {
                WriteUtf8(value);
                break;
            }

            WriteUtf8(value[..(quote + 1)]);
            WriteAscii((byte)'"');
            value = value[(quote + 1)..];
        }

        WriteAscii((byte)'"');
    }

    public void EndRow()
    {
        WriteAscii((byte)'\n');
        _rowStarted = false;
    }

    private void WriteAscii(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }

    private void WriteUtf8(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return;
        }

        var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
        _buffer.Advance(Encoding.UTF8.GetBytes(value, span));
    }
}
