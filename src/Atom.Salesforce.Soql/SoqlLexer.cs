namespace Atom.Salesforce.Soql;

/// <summary>The kinds of token SOQL text is made of.</summary>
internal enum SoqlTokenKind
{
    End,
    Identifier,
    Number,
    String,
    Date,
    DateTime,
    Time,
    LeftParen,
    RightParen,
    Comma,
    Dot,
    Colon,
    Equal,
    NotEqual,
    LessOrGreater,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Plus,
    Minus,
}

/// <summary>One token: its kind and where it is in the text.</summary>
internal readonly record struct SoqlToken(SoqlTokenKind Kind, int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>
/// Splits SOQL text into tokens on demand. Dates, dateTimes and times are single tokens; so is a currency amount such as
/// <c>USD5000.01</c> (an identifier). Comments are skipped only when Apex syntax is allowed.
/// </summary>
internal sealed class SoqlLexer
{
    private readonly string _text;
    private readonly bool _allowComments;
    private int _position;

    public SoqlLexer(string text, bool allowComments)
    {
        _text = text;
        _allowComments = allowComments;
    }

    public string Text => _text;

    /// <summary>Where the next token will be read from.</summary>
    public int Position
    {
        get => _position;
        set => _position = value;
    }

    public SoqlToken Next()
    {
        SkipTrivia();
        if (_position >= _text.Length)
        {
            return new SoqlToken(SoqlTokenKind.End, _text.Length, 0);
        }

        var start = _position;
        var c = _text[_position];
        if (char.IsAsciiLetter(c))
        {
            return ReadIdentifier(start);
        }

        if (char.IsAsciiDigit(c))
        {
            return ReadNumeric(start);
        }

        switch (c)
        {
            case '\'':
                return ReadString(start);
            case '(':
                return Single(SoqlTokenKind.LeftParen);
            case ')':
                return Single(SoqlTokenKind.RightParen);
            case ',':
                return Single(SoqlTokenKind.Comma);
            case '.':
                return Single(SoqlTokenKind.Dot);
            case ':':
                return Single(SoqlTokenKind.Colon);
            case '=':
                return Single(SoqlTokenKind.Equal);
            case '+':
                return Single(SoqlTokenKind.Plus);
            case '-':
                return Single(SoqlTokenKind.Minus);
            case '!' when Peek(1) == '=':
                _position += 2;
                return new SoqlToken(SoqlTokenKind.NotEqual, start, 2);
            case '<' when Peek(1) == '=':
                _position += 2;
                return new SoqlToken(SoqlTokenKind.LessOrEqual, start, 2);
            case '<' when Peek(1) == '>':
                _position += 2;
                return new SoqlToken(SoqlTokenKind.LessOrGreater, start, 2);
            case '<':
                return Single(SoqlTokenKind.Less);
            case '>' when Peek(1) == '=':
                _position += 2;
                return new SoqlToken(SoqlTokenKind.GreaterOrEqual, start, 2);
            case '>':
                return Single(SoqlTokenKind.Greater);
            case '"':
                throw SoqlParser.Error(_text, start, 1, "String values take single quotes; double quotes are not SOQL.", null);
            case ';':
                throw SoqlParser.Error(_text, start, 1, "A semicolon cannot appear in SOQL: a query is one statement.", null);
            default:
                throw SoqlParser.Error(_text, start, 1, $"The character '{c}' cannot appear here.", null);
        }
    }

    private SoqlToken Single(SoqlTokenKind kind)
    {
        _position++;
        return new SoqlToken(kind, _position - 1, 1);
    }

    private char Peek(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    private void SkipTrivia()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '/' && Peek(1) is '/' or '*')
            {
                if (!_allowComments)
                {
                    throw SoqlParser.Error(
                        _text, _position, 2, "Comments are Apex syntax; the REST API does not accept them.", null, apexOnly: true);
                }

                if (Peek(1) == '/')
                {
                    var end = _text.IndexOf('\n', _position);
                    _position = end < 0 ? _text.Length : end + 1;
                }
                else
                {
                    var end = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        throw SoqlParser.Error(_text, _position, 2, "The comment that starts here is never closed.", "*/");
                    }

                    _position = end + 2;
                }
            }
            else
            {
                return;
            }
        }
    }

    private SoqlToken ReadIdentifier(int start)
    {
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }

        // A currency amount with decimals (USD5000.01) is one token: three letters, digits, a dot and digits.
        if (_position - start > 3 && char.IsAsciiLetter(_text[start + 1]) && char.IsAsciiLetter(_text[start + 2])
            && IsAllDigits(start + 3, _position) && Peek(0) == '.' && char.IsAsciiDigit(Peek(1)))
        {
            _position++;
            while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
            {
                _position++;
            }
        }

        return new SoqlToken(SoqlTokenKind.Identifier, start, _position - start);
    }

    private bool IsAllDigits(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (!char.IsAsciiDigit(_text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private SoqlToken ReadNumeric(int start)
    {
        var digits = CountDigits(start);

        // 2024-01-31, optionally followed by THH:mm:ss[.fff][Z|+hh:mm|-hh:mm|+hhmm]
        if (digits == 4 && CharAt(start + 4) == '-' && CountDigits(start + 5) == 2 && CharAt(start + 7) == '-' && CountDigits(start + 8) == 2)
        {
            _position = start + 10;
            if (CharAt(_position) is 'T' or 't' && CountDigits(_position + 1) == 2)
            {
                _position++;
                ReadClock(start);
                ReadZone(start, required: true);
                return new SoqlToken(SoqlTokenKind.DateTime, start, _position - start);
            }

            EnsureSeparated(start);
            return new SoqlToken(SoqlTokenKind.Date, start, _position - start);
        }

        // 01:00:00.000Z
        if (digits == 2 && CharAt(start + 2) == ':')
        {
            _position = start;
            ReadClock(start);
            ReadZone(start, required: true);
            return new SoqlToken(SoqlTokenKind.Time, start, _position - start);
        }

        _position = start + digits;
        if (CharAt(_position) == '.' && char.IsAsciiDigit(CharAt(_position + 1)))
        {
            _position += 1 + CountDigits(_position + 1);
        }

        if (CharAt(_position) is 'e' or 'E')
        {
            var exponent = _position + 1;
            if (CharAt(exponent) is '+' or '-')
            {
                exponent++;
            }

            var exponentDigits = CountDigits(exponent);
            if (exponentDigits > 0)
            {
                _position = exponent + exponentDigits;
            }
        }

        EnsureSeparated(start);
        return new SoqlToken(SoqlTokenKind.Number, start, _position - start);
    }

    /// <summary>HH:mm:ss with optional fractional seconds.</summary>
    private void ReadClock(int start)
    {
        if (CountDigits(_position) != 2 || CharAt(_position + 2) != ':' || CountDigits(_position + 3) != 2
            || CharAt(_position + 5) != ':' || CountDigits(_position + 6) != 2)
        {
            throw SoqlParser.Error(_text, start, Math.Max(1, _position - start), "This is not a valid dateTime or time.", "hh:mm:ss");
        }

        _position += 8;
        if (CharAt(_position) == '.' && char.IsAsciiDigit(CharAt(_position + 1)))
        {
            _position += 1 + CountDigits(_position + 1);
        }
    }

    private void ReadZone(int start, bool required)
    {
        var c = CharAt(_position);
        if (c is 'Z' or 'z')
        {
            _position++;
        }
        else if (c is '+' or '-' && CountDigits(_position + 1) is 2 or 4)
        {
            if (CountDigits(_position + 1) == 4)
            {
                _position += 5;
            }
            else if (CharAt(_position + 3) == ':' && CountDigits(_position + 4) == 2)
            {
                _position += 6;
            }
            else
            {
                throw SoqlParser.Error(_text, start, _position - start + 1, "The time zone offset is not valid.", "Z, +hh:mm or -hh:mm");
            }
        }
        else if (required)
        {
            throw SoqlParser.Error(_text, start, _position - start, "A time needs a time zone.", "Z");
        }

        EnsureSeparated(start);
    }

    /// <summary>A number or date cannot run straight into a name (<c>100abc</c>).</summary>
    private void EnsureSeparated(int start)
    {
        var c = CharAt(_position);
        if (char.IsAsciiLetterOrDigit(c) || c == '_')
        {
            while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '_' or '.' or ':'))
            {
                _position++;
            }

            throw SoqlParser.Error(_text, start, _position - start, "This is not a valid number, date or dateTime.", null);
        }
    }

    private SoqlToken ReadString(int start)
    {
        _position++;
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '\\')
            {
                _position += 2;
            }
            else if (c == '\'')
            {
                _position++;
                return new SoqlToken(SoqlTokenKind.String, start, _position - start);
            }
            else
            {
                _position++;
            }
        }

        throw SoqlParser.Error(_text, start, 1, "The string that starts here is never closed.", "a closing '");
    }

    private int CountDigits(int from)
    {
        var i = from;
        while (i < _text.Length && char.IsAsciiDigit(_text[i]))
        {
            i++;
        }

        return i - from;
    }

    private char CharAt(int index) => index < _text.Length ? _text[index] : '\0';
}
