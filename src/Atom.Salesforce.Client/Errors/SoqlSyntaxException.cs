using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>SOQL text that is not a valid query: where the problem is, the token found there and what was expected.</summary>
public sealed class SoqlSyntaxException : SalesforceException
{
    internal SoqlSyntaxException(string problem, int position, int line, int column, string? token, string? expected)
        : base(Describe(problem, line, column, token, expected))
    {
        ErrorCode = SalesforceError.Codes.MalformedQuery;
        Problem = problem;
        Position = position;
        Line = line;
        Column = column;
        Token = token;
        Expected = expected;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }

    /// <summary>The zero-based character offset of the problem.</summary>
    public int Position { get; }

    /// <summary>The one-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>The one-based column of the problem.</summary>
    public int Column { get; }

    /// <summary>The token found at the problem (cut to 40 characters), or null at the end of the text.</summary>
    public string? Token { get; }

    /// <summary>What the parser expected there, when it can say.</summary>
    public string? Expected { get; }

    private static string Describe(string problem, int line, int column, string? token, string? expected)
    {
        var found = token is null ? "the end of the query" : $"'{token}'";
        var message = $"SOQL syntax error at line {line}, column {column} (at {found}): {problem}";
        return expected is null ? message : $"{message} Expected {expected}.";
    }
}
