using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>A filter refused by <see cref="Soql.SoqlFilter"/>: not valid SOQL, or using something the filter does not allow.</summary>
public sealed class SoqlFilterException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public SoqlFilterException(string message)
        : base(message)
    {
        ErrorCode = SalesforceError.Codes.InvalidFilter;
    }

    /// <summary>Creates the exception with the syntax error behind it.</summary>
    public SoqlFilterException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = SalesforceError.Codes.InvalidFilter;
    }
}
