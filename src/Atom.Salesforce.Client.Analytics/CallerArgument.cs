namespace Atom.Salesforce.Client.Analytics;

/// <summary>
/// An <see cref="ArgumentException"/> thrown by an internal helper on behalf of a public method: its
/// <see cref="ArgumentException.ParamName"/> names the public method's parameter the bad value came from
/// (e.g. <c>rules</c> or <c>query</c>), not the helper's own parameter, so callers see their argument.
/// </summary>
internal static class CallerArgument
{
    /// <summary>The exception for a bad value of the caller's parameter <paramref name="publicParameterName"/>.</summary>
    public static ArgumentException Invalid(string message, string publicParameterName) => new(message, publicParameterName);
}
