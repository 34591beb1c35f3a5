using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.PubSub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Emulator.Hosting;

/// <summary>
/// The Pub/Sub API's own listener, as Salesforce serves it on its own host and port (api.pubsub.salesforce.com:7443):
/// HTTP/2 only, cleartext (h2c, prior knowledge) on an <c>http://</c> URL, TLS with a self-signed certificate made at
/// start on an <c>https://</c> URL.
/// </summary>
internal sealed class PubSubHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PubSubHost(WebApplication app, Uri address, string? certificatePem)
    {
        _app = app;
        Address = address;
        CertificatePem = certificatePem;
    }

    public Uri Address { get; }

    public string? CertificatePem { get; }

    public static async Task<PubSubHost> StartAsync(IHostedEmulator emulator, string url, CancellationToken cancellationToken)
    {
        var uri = new Uri(url);
        var tls = uri.Scheme == Uri.UriSchemeHttps;
        using var certificate = tls ? SelfSigned(uri.Host) : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = EmulatorServer.ShutdownTimeout);
        builder.Services.AddSingleton(new PubSubEnvironment(emulator.PubSub, emulator.Sessions, () => StreamFault(emulator), emulator.PubSubKeepAlive));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 4 * 1024 * 1024);
        builder.WebHost.ConfigureKestrel(k =>
        {
            var address = uri.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host);
            k.Listen(address, uri.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (certificate is not null)
                {
#if NET9_0_OR_GREATER
                    listen.UseHttps(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null));
#else
                    listen.UseHttps(new X509Certificate2(certificate.Export(X509ContentType.Pfx)));
#endif
                }
            });
        });
        var app = builder.Build();
        app.MapGrpcService<PubSubService>();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var addressUri = new UriBuilder(uri.Scheme, uri.Host, bound.Port).Uri;
        return new PubSubHost(app, addressUri, certificate?.ExportCertificatePem());
    }

    /// <summary>
    /// The fault injected for the next batch of a Subscribe stream (path <c>/eventbus.v1.PubSub/Subscribe</c>):
    /// DropConnection drops the stream, Unavailable ends it as Salesforce's service-unavailable error, Latency delays
    /// the batch, Gap turns its first change event into a gap event.
    /// </summary>
    private static StreamFault? StreamFault(IHostedEmulator emulator)
    {
        var fault = emulator.Faults.Take("POST", "/eventbus.v1.PubSub/Subscribe");
        return fault?.Kind switch
        {
            FaultKind.DropConnection or FaultKind.DropResponse => new StreamFault(StreamFaultKind.Drop, TimeSpan.Zero),
            FaultKind.Unavailable or FaultKind.RateLimit => new StreamFault(StreamFaultKind.Unavailable, TimeSpan.Zero),
            FaultKind.Latency => new StreamFault(StreamFaultKind.Delay, fault.Latency),
            FaultKind.Gap => new StreamFault(StreamFaultKind.Gap, TimeSpan.Zero),
            _ => null,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A certificate for the host (and localhost, 127.0.0.1), valid for a day, that clients are told to trust.</summary>
    private static X509Certificate2 SelfSigned(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Atom Salesforce Emulator Pub/Sub API", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        if (IPAddress.TryParse(host, out var ip))
        {
            names.AddIpAddress(ip);
        }
        else if (host != "localhost")
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}
