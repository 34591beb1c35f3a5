namespace Atom.Salesforce.Soql.Errors;

/// <summary>
/// A filter refused by the filter guard (<c>SoqlFilter.Parse</c>): not a valid SOQL condition, or using something the
/// guard does not allow (a field off its list, a subquery, a function, too many comparisons). Nothing was queried.
/// </summary>
public sealed class SoqlFilterException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public SoqlFilterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the syntax error behind it.</summary>
    public SoqlFilterException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
