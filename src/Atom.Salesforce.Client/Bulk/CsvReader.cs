using System.Buffers;
using System.Text;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>
/// Reads RFC 4180 CSV from a stream, row by row, in constant memory: quoted values may hold delimiters, doubled quotes and line
/// breaks; rows end with LF or CRLF; blank lines are skipped. Unquoted runs are copied in slices, not character by character.
/// </summary>
internal sealed class CsvReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly SearchValues<char> _unquotedStops;
    private readonly char[] _buffer;
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = [];
    private int _position;
    private int _length;

    public CsvReader(Stream stream, char delimiter = ',', int bufferSize = 32 * 1024)
    {
        _reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize, leaveOpen: false);
        _delimiter = delimiter;
        _unquotedStops = SearchValues.Create(['\r', '\n', delimiter]);
        _buffer = new char[bufferSize];
    }

    /// <summary>The next row's values, or null at the end. Throws <see cref="FormatException"/> on an unterminated quote.</summary>
    public async ValueTask<string[]?> ReadRowAsync(CancellationToken cancellationToken)
    {
        _fields.Clear();
        _field.Clear();
        var state = State.Start;
        while (true)
        {
            if (_position >= _length)
            {
                _length = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                _position = 0;
                if (_length == 0)
                {
                    return End(state);
                }
            }

            var span = _buffer.AsSpan(_position, _length - _position);
            switch (state)
            {
                case State.Start when span[0] == '"':
                    state = State.Quoted;
                    _position++;
                    break;
                case State.Start or State.Unquoted:
                {
                    var stop = span.IndexOfAny(_unquotedStops);
                    if (stop < 0)
                    {
                        _field.Append(span);
                        _position = _length;
                        state = State.Unquoted;
                        break;
                    }

                    _field.Append(span[..stop]);
                    _position += stop + 1;
                    var c = span[stop];
                    if (c == _delimiter)
                    {
                        AddField();
                        state = State.Start;
                    }
                    else if (c == '\n')
                    {
                        if (EndOfLine(state) is { } row)
                        {
                            return row;
                        }

                        state = State.Start;
                    }
                    else
                    {
                        state = state == State.Start && _fields.Count == 0 && _field.Length == 0 ? State.Start : State.Unquoted;
                    }

                    break;
                }

                case State.Quoted:
                {
                    var quote = span.IndexOf('"');
                    if (quote < 0)
                    {
                        _field.Append(span);
                        _position = _length;
                        break;
                    }

                    _field.Append(span[..quote]);
                    _position += quote + 1;
                    state = State.QuoteInQuoted;
                    break;
                }

                case State.QuoteInQuoted:
                {
                    var c = span[0];
                    _position++;
                    if (c == '"')
                    {
                        _field.Append('"');
                        state = State.Quoted;
                    }
                    else if (c == _delimiter)
                    {
                        AddField();
                        state = State.Start;
                    }
                    else if (c == '\n')
                    {
                        AddField();
                        return _fields.ToArray();
                    }
                    else if (c != '\r')
                    {
                        // Lenient: text after a closing quote belongs to the value.
                        _field.Append(c);
                        state = State.Unquoted;
                    }

                    break;
                }
            }
        }
    }

    public void Dispose() => _reader.Dispose();

    private string[]? EndOfLine(State state)
    {
        if (state == State.Start && _fields.Count == 0 && _field.Length == 0)
        {
            return null; // a blank line
        }

        AddField();
        return _fields.ToArray();
    }

    private string[]? End(State state)
    {
        if (state == State.Quoted)
        {
            throw new FormatException("The CSV ends inside a quoted value.");
        }

        if (state == State.Start && _fields.Count == 0 && _field.Length == 0)
        {
            return null;
        }

        AddField();
        return _fields.ToArray();
    }

    private void AddField()
    {
        _fields.Add(_field.Length == 0 ? string.Empty : _field.ToString());
        _field.Clear();
    }

    private enum State
    {
        Start,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
}
