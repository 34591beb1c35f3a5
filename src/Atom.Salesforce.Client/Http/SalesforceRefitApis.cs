using Atom.Salesforce.Client.Json;
using Refit;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// Makes the Refit clients. Refit generates the request-building code at compile time, so a client costs one small
/// allocation and no reflection; bodies are always <see cref="HttpContent"/> the SDK serialized itself.
/// </summary>
internal sealed class SalesforceRefitApis
{
    public ISObjectsApi CreateSObjects(HttpClient http) => RestService.ForGenerated<ISObjectsApi>(http, SalesforceJsonContext.Default);

    public IQueryApi CreateQuery(HttpClient http) => RestService.ForGenerated<IQueryApi>(http, SalesforceJsonContext.Default);

    public ILimitsApi CreateLimits(HttpClient http) => RestService.ForGenerated<ILimitsApi>(http, SalesforceJsonContext.Default);

    public ICompositeApi CreateComposite(HttpClient http) => RestService.ForGenerated<ICompositeApi>(http, SalesforceJsonContext.Default);

    public IBulkApi CreateBulk(HttpClient http) => RestService.ForGenerated<IBulkApi>(http, SalesforceJsonContext.Default);

    public IOAuthApi CreateOAuth(HttpClient http) => RestService.ForGenerated<IOAuthApi>(http, SalesforceJsonContext.Default);
}
