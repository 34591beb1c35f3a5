using System.Text.Json;
using Refit;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// Refit's request builders, made once per process: building them reflects over the interfaces, which is too slow to
/// repeat for every <see cref="SalesforceClient"/>.
/// </summary>
internal sealed class SalesforceRefitApis
{
    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(new JsonSerializerOptions()));

    private readonly IRequestBuilder<ISObjectsApi> _sobjects = RequestBuilder.ForType<ISObjectsApi>(Settings);
    private readonly IRequestBuilder<IQueryApi> _query = RequestBuilder.ForType<IQueryApi>(Settings);
    private readonly IRequestBuilder<ILimitsApi> _limits = RequestBuilder.ForType<ILimitsApi>(Settings);
    private readonly IRequestBuilder<IOAuthApi> _oauth = RequestBuilder.ForType<IOAuthApi>(Settings);

    public ISObjectsApi CreateSObjects(HttpClient http) => RestService.For(http, _sobjects);

    public IQueryApi CreateQuery(HttpClient http) => RestService.For(http, _query);

    public ILimitsApi CreateLimits(HttpClient http) => RestService.For(http, _limits);

    public IOAuthApi CreateOAuth(HttpClient http) => RestService.For(http, _oauth);
}
