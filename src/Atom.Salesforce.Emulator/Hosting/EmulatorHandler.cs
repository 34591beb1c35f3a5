using System.Net;
using System.Net.Http.Headers;
using Atom.Salesforce.Emulator.Http;

namespace Atom.Salesforce.Emulator.Hosting;

/// <summary>Serves the org in-process: each request goes through the same pipeline as over Kestrel, without a socket.</summary>
internal sealed class EmulatorHandler(IHostedEmulator emulator) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(", ", values);
        }

        var body = Array.Empty<byte>();
        if (request.Content is { } content)
        {
            foreach (var (name, values) in content.Headers)
            {
                headers[name] = string.Join(", ", values);
            }

            body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        var emulated = new EmulatorRequest(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, body);
        var response = await emulator.HandleAsync(emulated, cancellationToken).ConfigureAwait(false);
        if (response.IsDropped)
        {
            throw new HttpRequestException("The emulated org dropped the connection (an injected fault).", new IOException("The connection was closed without a response."));
        }

        return ToHttpResponse(response, request);
    }

    private static HttpResponseMessage ToHttpResponse(EmulatorResponse response, HttpRequestMessage request)
    {
        var message = new HttpResponseMessage((HttpStatusCode)response.Status) { RequestMessage = request };
        var content = new ByteArrayContent(request.Method == HttpMethod.Head ? [] : response.Body);
        if (response.ContentType is { } contentType)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in response.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Content = content;
        return message;
    }
}
