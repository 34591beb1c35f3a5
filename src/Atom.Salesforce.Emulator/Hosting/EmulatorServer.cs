using Atom.Salesforce.Emulator.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Emulator.Hosting;

/// <summary>The org served over HTTP by Kestrel; dispose to stop.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PubSubHost? _pubSub;

    private EmulatorServer(WebApplication app, Uri baseAddress, PubSubHost? pubSub)
    {
        _app = app;
        BaseAddress = baseAddress;
        _pubSub = pubSub;
    }

    /// <summary>How long <see cref="DisposeAsync"/> lets requests in flight finish before it closes their connections.</summary>
    internal static readonly TimeSpan ShutdownTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Where the org listens, for example <c>http://127.0.0.1:52731/</c>: the instance URL for clients.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// Where the org serves the Pub/Sub API (gRPC over HTTP/2), for example <c>http://127.0.0.1:52732/</c>: the endpoint
    /// a Pub/Sub client is given in place of <c>api.pubsub.salesforce.com:7443</c>. Null when
    /// <see cref="SalesforceEmulatorOptions.PubSubUrl"/> is null.
    /// </summary>
    public Uri? PubSubAddress => _pubSub?.Address;

    /// <summary>
    /// The PEM of the self-signed certificate the Pub/Sub API is served with over TLS (an <c>https://</c>
    /// <see cref="SalesforceEmulatorOptions.PubSubUrl"/>), for clients to trust (NODE_EXTRA_CA_CERTS,
    /// GRPC_DEFAULT_SSL_ROOTS_FILE_PATH); null over cleartext HTTP/2.
    /// </summary>
    public string? PubSubCertificatePem => _pubSub?.CertificatePem;

    /// <summary>Stops serving: requests in flight get half a second to finish, idle keep-alive connections are closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_pubSub is not null)
        {
            await _pubSub.DisposeAsync().ConfigureAwait(false);
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    internal static async Task<EmulatorServer> StartAsync(IHostedEmulator emulator, string url, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 150 * 1024 * 1024);

        // The host's default lifetime takes over SIGINT and SIGTERM; an embedded server leaves them to the program.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();

        // Stopping waits this long at most for requests in flight (30 s by default), so that a program stops within a second.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        var app = builder.Build();
        app.Run(context => ServeAsync(emulator, context));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Port in use, a malformed URL: nothing is served, nothing is left open.
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        emulator.ServedAt(new Uri(baseAddress.GetLeftPart(UriPartial.Authority)));
        PubSubHost? pubSub = null;
        if (emulator.PubSubUrl is { } pubSubUrl)
        {
            try
            {
                pubSub = await PubSubHost.StartAsync(emulator, pubSubUrl, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return new EmulatorServer(app, baseAddress, pubSub);
    }

    private static async Task ServeAsync(IHostedEmulator emulator, HttpContext context)
    {
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var request = new EmulatorRequest(
            context.Request.Method,
            context.Request.PathBase.Add(context.Request.Path).ToUriComponent(),
            context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : string.Empty,
            headers,
            body.ToArray());
        var response = await emulator.HandleAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (response.IsDropped)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.ContentType is { } contentType)
        {
            context.Response.ContentType = contentType;
        }

        if (response.Body.Length > 0 && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentLength = response.Body.Length;
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
