using Atom.Salesforce.Soql.Errors;
using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>The errors a query gets, with Salesforce's codes and wording (reference §2.2).</summary>
internal static class QueryErrors
{
    private const string CustomFieldHint =
        "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

    private const string CustomObjectHint =
        "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";

    private const string CustomRelationshipHint =
        "If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.";

    public static ApiException Malformed(string message) => new(400, "MALFORMED_QUERY", message);

    /// <summary>A parser error as Salesforce words it: the line, a caret under the column, and the unexpected token.</summary>
    public static ApiException Syntax(string soql, SoqlSyntaxException e)
    {
        // Salesforce's own line first; the parser's explanation after it says what to change.
        var unexpected = e.Token is null ? "unexpected token: <EOF>" : $"unexpected token: '{e.Token}'";
        return Malformed(Caret(soql, e.Line, e.Column, $"{unexpected}. {e.Problem}"));
    }

    public static ApiException NoSuchColumn(string soql, string column, string entity) => new(
        400, "INVALID_FIELD", Caret(soql, column, $"No such column '{column}' on entity '{entity}'. {CustomFieldHint}"));

    public static ApiException UnknownRelationship(string soql, string relationship, string where = "field path") => new(
        400, "INVALID_FIELD", Caret(soql, relationship, $"Didn't understand relationship '{relationship}' in {where}. {CustomRelationshipHint}"));

    public static ApiException UnknownObject(string soql, string name) => new(
        400, "INVALID_TYPE", Caret(soql, name, $"sObject type '{name}' is not supported. {CustomObjectHint}"));

    public static ApiException UnknownChildRelationship(string soql, string name) => new(
        400, "INVALID_TYPE", Caret(soql, name, $"Didn't understand relationship '{name}' in FROM part of query call. {CustomRelationshipHint}"));

    public static ApiException Duplicate(string field) => new(400, "INVALID_FIELD", $"duplicate field selected: {field}");

    public static ApiException InvalidField(string message) => new(400, "INVALID_FIELD", message);

    /// <summary>
    /// A literal of the wrong type for its field. Salesforce's code depends on the field's type: a quoted value on a number
    /// field is MALFORMED_QUERY (a client's recorded org answer: "must be of type double and should not be enclosed in
    /// quotes"), a quoted or mistyped value on a date or dateTime field INVALID_FIELD (jsforce issue 795; an SBQQ test suite's
    /// note of the org's answer). For the other types no recorded answer was found; INVALID_QUERY_FILTER_OPERATOR stays.
    /// </summary>
    public static ApiException FilterType(string field, string type, bool quoted) => new(
        400,
        type switch
        {
            "double" => "MALFORMED_QUERY",
            "date" or "dateTime" => "INVALID_FIELD",
            _ => "INVALID_QUERY_FILTER_OPERATOR",
        },
        $"value of filter criterion for field '{field}' must be of type {type} and should {(quoted ? string.Empty : "not ")}be enclosed in quotes");

    public static ApiException InvalidId(string value) => new(400, "INVALID_QUERY_FILTER_OPERATOR", $"invalid ID field: {value}");

    public static ApiException OffsetTooLarge() => new(400, "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000");

    public static ApiException InvalidLocator() => new(400, "INVALID_QUERY_LOCATOR", "invalid query locator");

    /// <summary>The caret block Salesforce puts before a message, at the first place <paramref name="token"/> appears outside quotes.</summary>
    private static string Caret(string soql, string token, string message)
    {
        var at = QueryText.IndexOfWord(soql, token);
        if (at < 0)
        {
            return message;
        }

        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < at; i++)
        {
            if (soql[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return Caret(soql, line, at - lineStart + 1, message);
    }

    private static string Caret(string soql, int line, int column, string message)
    {
        var lines = soql.Split('\n');
        var text = line >= 1 && line <= lines.Length ? lines[line - 1].TrimEnd('\r') : string.Empty;
        var caret = new string(' ', Math.Max(0, column - 1)) + "^";
        return $"\n{text}\n{caret}\nERROR at Row:{line}:Column:{column}\n{message}";
    }
}
