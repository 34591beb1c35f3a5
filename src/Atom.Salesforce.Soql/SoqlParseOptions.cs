namespace Atom.Salesforce.Soql;

/// <summary>What the SOQL parser accepts beyond the REST API's grammar.</summary>
public sealed record SoqlParseOptions
{
    /// <summary>Only what the REST API accepts.</summary>
    public static SoqlParseOptions Default { get; } = new();

    /// <summary>
    /// Accept the syntax only Apex accepts: bind variables (<c>:ids</c>), comments, <c>ALL ROWS</c>, arbitrary functions
    /// and <c>WITH</c> words the Apex compiler passes through. Off by default: the REST API rejects all of it.
    /// </summary>
    public bool AllowApexSyntax { get; init; }
}
