using System.Globalization;

namespace Atom.Salesforce.Soql;

/// <summary>
/// Something that has a value in a query: a field, a function call, a literal. <see cref="ToString"/> prints it as SOQL.
/// </summary>
public abstract record SoqlExpression
{
    private protected SoqlExpression()
    {
    }

    /// <summary>The expression as canonical SOQL.</summary>
    public sealed override string ToString() => SoqlFormatter.Format(this);
}

/// <summary>A field or a relationship path to one: <c>Name</c>, <c>Account.Owner.Email</c>, <c>a.Name</c> (with an alias).</summary>
public sealed record SoqlField : SoqlExpression
{
    /// <summary>Creates a field reference.</summary>
    /// <param name="path">Names joined by dots.</param>
    public SoqlField(string path) => Path = SoqlNames.RequirePath(path, nameof(path));

    /// <summary>Names joined by dots.</summary>
    public string Path { get; }
}

/// <summary>
/// A function call: aggregates (<c>COUNT()</c>, <c>SUM(Amount)</c>), date functions (<c>CALENDAR_YEAR(CloseDate)</c>),
/// <c>convertCurrency</c>, <c>toLabel</c>, <c>FORMAT</c>, <c>convertTimezone</c>, <c>GROUPING</c>, <c>DISTANCE</c>, <c>GEOLOCATION</c>.
/// A known function's name is kept in its documented spelling whatever case it was written in.
/// </summary>
public sealed record SoqlFunctionCall : SoqlExpression
{
    /// <summary>Creates a call.</summary>
    public SoqlFunctionCall(string name, SoqlList<SoqlExpression> arguments)
    {
        Name = SoqlFunctions.CanonicalName(SoqlNames.RequireName(name, nameof(name)));
        Arguments = arguments ?? throw new ArgumentNullException(nameof(arguments));
    }

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>The arguments, possibly none (<c>COUNT()</c>).</summary>
    public SoqlList<SoqlExpression> Arguments { get; }
}

/// <summary>Addition or subtraction of two operands in a filter: <c>NumberOfEmployees + AnnualRevenue &gt; 27</c>.</summary>
public sealed record SoqlArithmetic : SoqlExpression
{
    /// <summary>Creates an arithmetic expression.</summary>
    public SoqlArithmetic(SoqlExpression left, SoqlArithmeticOperator @operator, SoqlExpression right)
    {
        Left = left ?? throw new ArgumentNullException(nameof(left));
        Operator = Enum.IsDefined(@operator) ? @operator : throw new ArgumentOutOfRangeException(nameof(@operator));
        Right = right ?? throw new ArgumentNullException(nameof(right));
    }

    /// <summary>The left operand.</summary>
    public SoqlExpression Left { get; }

    /// <summary>The operator.</summary>
    public SoqlArithmeticOperator Operator { get; }

    /// <summary>The right operand.</summary>
    public SoqlExpression Right { get; }
}

/// <summary>
/// An Apex bind expression (<c>:accountIds</c>, <c>:acc.Id</c>). Only Apex accepts it; the parser reads it only when
/// <see cref="SoqlParseOptions.AllowApexSyntax"/> is set. The text after the colon is kept as written, spacing aside.
/// </summary>
public sealed record SoqlBind : SoqlExpression
{
    /// <summary>Creates a bind expression.</summary>
    /// <param name="expression">The Apex expression after the colon.</param>
    public SoqlBind(string expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        if (expression.Contains('\'') || expression.Contains(';') || expression.Contains("/*", StringComparison.Ordinal) || expression.Contains("//", StringComparison.Ordinal))
        {
            throw new ArgumentException("An Apex bind expression cannot contain quotes, semicolons or comments.", nameof(expression));
        }

        if (!SoqlParser.IsBindExpression(expression))
        {
            throw new ArgumentException(
                $"'{SoqlNames.Excerpt(expression)}' is not one Apex bind expression as SOQL reads it (a name, a dotted path, a call or an indexer, spaced as the parser prints it).",
                nameof(expression));
        }

        Expression = expression;
    }

    /// <summary>The Apex expression after the colon.</summary>
    public string Expression { get; }
}

/// <summary>A literal value.</summary>
public abstract record SoqlLiteral : SoqlExpression
{
    private protected SoqlLiteral()
    {
    }
}

/// <summary>
/// A string literal. Its <see cref="Value"/> is the text itself, escapes undone (for <c>LIKE</c>, see
/// <see cref="SoqlComparisonOperator.Like"/>). A parsed literal prints back with the escapes it was written with
/// (<c>'caf\u00e9'</c> stays so); two literals are equal when their values are.
/// </summary>
public sealed record SoqlString : SoqlLiteral
{
    /// <summary>Creates a string literal.</summary>
    public SoqlString(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    internal SoqlString(string value, string sourceText, bool likePattern)
    {
        Value = value;
        SourceText = sourceText;
        SourceIsLikePattern = likePattern;
    }

    /// <summary>The text.</summary>
    public string Value { get; }

    /// <summary>The literal as written, quotes included, when it was parsed.</summary>
    internal string? SourceText { get; }

    /// <summary>Whether <see cref="SourceText"/> was read as a LIKE pattern, where <c>\\</c>, <c>\%</c> and <c>\_</c> stay escaped in the value.</summary>
    internal bool SourceIsLikePattern { get; }

    /// <summary>Whether the other literal has the same value.</summary>
    public bool Equals(SoqlString? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
}

/// <summary>A number: <c>42</c>, <c>-3.5</c>, <c>15.0</c> (the scale is kept).</summary>
public sealed record SoqlNumber : SoqlLiteral
{
    /// <summary>Creates a number literal.</summary>
    public SoqlNumber(decimal value) => Value = value;

    /// <summary>The value.</summary>
    public decimal Value { get; }
}

/// <summary><c>TRUE</c> or <c>FALSE</c>.</summary>
public sealed record SoqlBoolean : SoqlLiteral
{
    /// <summary>Creates a boolean literal.</summary>
    public SoqlBoolean(bool value) => Value = value;

    /// <summary><c>TRUE</c></summary>
    public static SoqlBoolean True { get; } = new(true);

    /// <summary><c>FALSE</c></summary>
    public static SoqlBoolean False { get; } = new(false);

    /// <summary>The value.</summary>
    public bool Value { get; }
}

/// <summary><c>NULL</c>.</summary>
public sealed record SoqlNull : SoqlLiteral
{
    private SoqlNull()
    {
    }

    /// <summary>The one null literal.</summary>
    public static SoqlNull Value { get; } = new();
}

/// <summary>A date: <c>2024-01-31</c>.</summary>
public sealed record SoqlDate : SoqlLiteral
{
    /// <summary>Creates a date literal.</summary>
    public SoqlDate(DateOnly value) => Value = value;

    /// <summary>The date.</summary>
    public DateOnly Value { get; }
}

/// <summary>
/// A dateTime: <c>2024-01-31T23:01:01Z</c>, <c>2024-01-31T23:01:01+01:00</c>, <c>2010-09-20T22:16:30.000Z</c>. The text is
/// kept as written so that a query prints back unchanged.
/// </summary>
public sealed record SoqlDateTime : SoqlLiteral
{
    /// <summary>Creates a dateTime literal, written in UTC with milliseconds when there are any.</summary>
    public SoqlDateTime(DateTimeOffset value)
    {
        Value = value;
        var utc = value.UtcDateTime;
        Text = utc.ToString(utc.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    internal SoqlDateTime(DateTimeOffset value, string text)
    {
        Value = value;
        Text = text;
    }

    /// <summary>The instant, with the offset it was written with.</summary>
    public DateTimeOffset Value { get; }

    /// <summary>The literal as written.</summary>
    public string Text { get; }
}

/// <summary>A time: <c>01:00:00.000Z</c>.</summary>
public sealed record SoqlTime : SoqlLiteral
{
    /// <summary>Creates a time literal, written <c>HH:mm:ss.fffZ</c>.</summary>
    public SoqlTime(TimeOnly value)
    {
        Value = value;
        Text = value.ToString("HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
    }

    internal SoqlTime(TimeOnly value, string text)
    {
        Value = value;
        Text = text;
    }

    /// <summary>The time of day (UTC).</summary>
    public TimeOnly Value { get; }

    /// <summary>The literal as written.</summary>
    public string Text { get; }
}

/// <summary>An amount in a currency, for multi-currency orgs: <c>USD5000</c>, <c>EUR5.10</c>.</summary>
public sealed record SoqlCurrency : SoqlLiteral
{
    /// <summary>Creates a currency literal.</summary>
    /// <param name="isoCode">The three-letter ISO 4217 code.</param>
    /// <param name="amount">The amount.</param>
    public SoqlCurrency(string isoCode, decimal amount)
    {
        ArgumentNullException.ThrowIfNull(isoCode);
        if (isoCode.Length != 3 || !char.IsAsciiLetter(isoCode[0]) || !char.IsAsciiLetter(isoCode[1]) || !char.IsAsciiLetter(isoCode[2]))
        {
            throw new ArgumentException($"'{SoqlNames.Excerpt(isoCode)}' is not a three-letter ISO currency code.", nameof(isoCode));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        IsoCode = isoCode;
        Amount = amount;
    }

    /// <summary>The ISO code.</summary>
    public string IsoCode { get; }

    /// <summary>The amount.</summary>
    public decimal Amount { get; }
}

/// <summary>A relative date literal: <c>TODAY</c>, <c>LAST_N_DAYS:30</c>.</summary>
public sealed record SoqlRelativeDate : SoqlLiteral
{
    /// <summary>Creates a relative date literal.</summary>
    /// <param name="kind">Which literal.</param>
    /// <param name="count">The <c>n</c> of the literals that take one; null for the others.</param>
    public SoqlRelativeDate(SoqlDateLiteralKind kind, int? count = null)
    {
        if (!SoqlDateLiterals.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind));
        }

        if (SoqlDateLiterals.TakesCount(kind) != count.HasValue)
        {
            throw new ArgumentException(
                count.HasValue ? $"{SoqlDateLiterals.Name(kind)} takes no count." : $"{SoqlDateLiterals.Name(kind)} needs a count ({SoqlDateLiterals.Name(kind)}:n).",
                nameof(count));
        }

        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "The count cannot be negative.");
        }

        Kind = kind;
        Count = count;
    }

    /// <summary>Which literal.</summary>
    public SoqlDateLiteralKind Kind { get; }

    /// <summary>The <c>n</c>, for the literals that take one.</summary>
    public int? Count { get; }
}
