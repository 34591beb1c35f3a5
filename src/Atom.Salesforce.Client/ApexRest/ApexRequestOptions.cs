using System.Text.Json;

namespace Atom.Salesforce.Client.ApexRest;

/// <summary>Per-call settings of an Apex REST call (<see cref="ApexClient"/>).</summary>
public sealed class ApexRequestOptions
{
    /// <summary>
    /// Query parameters added to the URL, escaped; the Apex method reads them from <c>RestContext.request.params</c>.
    /// </summary>
    public IDictionary<string, string> Query { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Request headers for the Apex method (<c>RestContext.request.headers</c>). <c>Authorization</c> and <c>Host</c> are the
    /// SDK's and cannot be set here.
    /// </summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The JSON contract of the request and response bodies. Give your source-generated context's options
    /// (<c>MyJsonContext.Default.Options</c>) for a trimming- and NativeAOT-safe call that follows exactly your context's
    /// settings. When null, types resolve like the rest of the SDK: <see cref="Atom.Salesforce.Client.Configuration.SalesforceOptions.TypeInfoResolver"/> first,
    /// then the SDK's own types, then reflection; names are read case-insensitively, Salesforce's date formats are
    /// understood, and every property is written, nulls included.
    /// </summary>
    public JsonSerializerOptions? JsonOptions { get; init; }

    /// <summary>
    /// The priority of this call when API governance is registered (<c>AddApiGovernance()</c>): null (the default) leaves it to
    /// the enclosing <see cref="Governance.RequestPriorityScope"/>, else interactive.
    /// </summary>
    public Governance.RequestPriority? Priority { get; init; }
}
