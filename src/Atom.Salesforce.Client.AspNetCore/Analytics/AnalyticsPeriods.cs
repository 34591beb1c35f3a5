using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.Requests;

namespace Atom.Salesforce.Client.AspNetCore.Analytics;

/// <summary>The <c>period</c> property of the analytics routes.</summary>
internal static class AnalyticsPeriods
{
    public static CalendarPeriod Parse(RequestBody body, string name, CalendarPeriod fallback) => body.String(name) switch
    {
        null => fallback,
        { } text when text.Equals("month", StringComparison.OrdinalIgnoreCase) => CalendarPeriod.Month,
        { } text when text.Equals("quarter", StringComparison.OrdinalIgnoreCase) => CalendarPeriod.Quarter,
        { } text when text.Equals("year", StringComparison.OrdinalIgnoreCase) => CalendarPeriod.Year,
        { } text => throw EndpointError.Validation(
            EndpointErrorCodes.InvalidRequest, $"'{name}': '{RequestBody.Excerpt(text)}' is not a period; use month, quarter or year."),
    };
}
