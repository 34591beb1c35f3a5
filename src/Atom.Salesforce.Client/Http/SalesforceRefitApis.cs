using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Refit;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// Makes the Refit clients. Refit generates the request-building code at compile time, so a client costs one small
/// allocation and no reflection; bodies are always <see cref="HttpContent"/> the SDK serialized itself.
/// </summary>
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "A DI-registered service: callers receive it by injection, so its factory methods stay instance members.")]
internal sealed class SalesforceRefitApis
{
    public ISObjectsApi CreateSObjects(HttpClient http) => RestService.ForGenerated<ISObjectsApi>(http, RefitJsonContext.Default);

    public IQueryApi CreateQuery(HttpClient http) => RestService.ForGenerated<IQueryApi>(http, RefitJsonContext.Default);

    public ILimitsApi CreateLimits(HttpClient http) => RestService.ForGenerated<ILimitsApi>(http, RefitJsonContext.Default);

    public ICompositeApi CreateComposite(HttpClient http) => RestService.ForGenerated<ICompositeApi>(http, RefitJsonContext.Default);

    public IBulkApi CreateBulk(HttpClient http) => RestService.ForGenerated<IBulkApi>(http, RefitJsonContext.Default);

    public IOAuthApi CreateOAuth(HttpClient http) => RestService.ForGenerated<IOAuthApi>(http, RefitJsonContext.Default);
}

/// <summary>
/// Metadata for the only body Refit itself encodes (the OAuth form); every other body is content the SDK serialized, and
/// every response is read by <see cref="SalesforceConnection"/>.
/// </summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class RefitJsonContext : JsonSerializerContext;
