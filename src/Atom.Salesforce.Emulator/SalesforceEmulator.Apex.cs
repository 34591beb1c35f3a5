using Atom.Salesforce.Emulator.Apex;

namespace Atom.Salesforce.Emulator;

public sealed partial class SalesforceEmulator
{
    /// <summary>The Apex REST resources registered with <see cref="MapApexRest"/>.</summary>
    internal ApexRestRegistry ApexRest { get; } = new();

    /// <summary>
    /// Serves <paramref name="resource"/> under <c>/services/apexrest</c> as an Apex class annotated
    /// <c>@RestResource(urlMapping='…')</c> would be. The mapping follows Salesforce's rules: it begins with '/', it is
    /// case-sensitive, a '*' (after a '/') matches anything; an exact match wins, else the longest matching wildcard mapping.
    /// A path no mapping matches is answered 404 <c>NOT_FOUND</c> "Could not find a match for URL".
    /// </summary>
    /// <example>
    /// <code>
    /// emulator.MapApexRest("/Orders/*", new ApexRestResource
    /// {
    ///     HttpGet = request => ApexRestResponse.Json(new { Id = request.RequestUri[(request.RequestUri.LastIndexOf('/') + 1)..] }),
    /// });
    /// </code>
    /// </example>
    /// <param name="urlMapping">The <c>urlMapping</c>, for example <c>/Orders/*</c>.</param>
    /// <param name="resource">The handlers, one per HTTP method.</param>
    /// <exception cref="ArgumentException">The mapping breaks Salesforce's rules or is already taken.</exception>
    public void MapApexRest(string urlMapping, ApexRestResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ApexRest.Add(urlMapping, resource);
    }
}
