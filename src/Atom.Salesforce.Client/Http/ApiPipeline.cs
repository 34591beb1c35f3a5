namespace Atom.Salesforce.Client.Http;

/// <summary>
/// Where the clients of one connected app get their REST pipeline (the SDK's handlers over the primary handler) from, asked
/// per request: the container's <see cref="IHttpMessageHandlerFactory"/> (which rotates its handlers and runs the app's
/// <c>ConfigureHttpClient</c>), or one chain built by <c>SalesforceClientFactory.Create</c> without a container.
/// </summary>
internal abstract class ApiPipeline
{
    /// <summary>The pipeline to send the next request through; the same instance until it is replaced.</summary>
    public abstract HttpMessageHandler Current();

    /// <summary>The named pipeline of <see cref="IHttpMessageHandlerFactory"/> (pooled, rotated by the factory).</summary>
    public static ApiPipeline FromFactory(IHttpMessageHandlerFactory factory, string name) => new FactoryPipeline(factory, name);

    /// <summary>One chain for the life of its owner (connections are recycled by the primary handler's own lifetime).</summary>
    public static ApiPipeline Fixed(HttpMessageHandler handler) => new FixedPipeline(handler);

    private sealed class FactoryPipeline(IHttpMessageHandlerFactory factory, string name) : ApiPipeline
    {
        public override HttpMessageHandler Current() => factory.CreateHandler(name);
    }

    private sealed class FixedPipeline(HttpMessageHandler handler) : ApiPipeline
    {
        public override HttpMessageHandler Current() => handler;
    }
}
