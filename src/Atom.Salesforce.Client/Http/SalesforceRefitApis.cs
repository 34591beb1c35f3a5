using System.Diagnostics.CodeAnalysis;
using Atom.Salesforce.Client.Json;
using Refit;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// Makes the Refit clients. Refit generates the request-building code at compile time, so a client costs one small
/// allocation and no reflection; bodies are always <see cref="HttpContent"/> the SDK serialized itself.
/// </summary>
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "A DI-registered service: callers receive it by injection, so its factory methods stay instance members.")]
internal sealed class SalesforceRefitApis
{
    public ISObjectsApi CreateSObjects(HttpClient http) => RestService.ForGenerated<ISObjectsApi>(http, SalesforceJsonContext.Default);

    public IQueryApi CreateQuery(HttpClient http) => RestService.ForGenerated<IQueryApi>(http, SalesforceJsonContext.Default);

    public ILimitsApi CreateLimits(HttpClient http) => RestService.ForGenerated<ILimitsApi>(http, SalesforceJsonContext.Default);

    public ICompositeApi CreateComposite(HttpClient http) => RestService.ForGenerated<ICompositeApi>(http, SalesforceJsonContext.Default);

    public IBulkApi CreateBulk(HttpClient http) => RestService.ForGenerated<IBulkApi>(http, SalesforceJsonContext.Default);

    public IOAuthApi CreateOAuth(HttpClient http) => RestService.ForGenerated<IOAuthApi>(http, SalesforceJsonContext.Default);
}
