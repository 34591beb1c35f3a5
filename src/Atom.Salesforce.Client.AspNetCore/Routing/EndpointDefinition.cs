using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.Requests;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>
/// One route of the pack: its path under the prefix, its body, the shape of its <c>data</c> and its handler. The route table
/// (<c>Mapping.RouteTable</c>) is a list of these, so that mapping and the OpenAPI document can never disagree.
/// </summary>
internal sealed record EndpointDefinition(
    string Path,
    string Tag,
    string Summary,
    IReadOnlyList<BodyProperty> Body,
    Func<JsonObject> ResponseSchema,
    Func<EndpointCall, Task<object?>> Handler)
{
    /// <summary>Also answers GET, with the body's properties taken from the query string.</summary>
    public bool AllowGet { get; init; }

    /// <summary>An example body for the OpenAPI document (JSON text): the seed's documented body where it gives one.</summary>
    public string? Example { get; init; }

    /// <summary>Runs without a user (the user-specific parts are skipped).</summary>
    public bool UserOptional { get; init; }
}
