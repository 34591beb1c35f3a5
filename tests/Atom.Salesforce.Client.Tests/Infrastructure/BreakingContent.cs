using System.Net;

namespace Atom.Salesforce.Client.Tests.Infrastructure;

/// <summary>
/// A response body whose connection breaks part-way: the first <paramref name="breakAfter"/> bytes arrive, then reading fails
/// with the <see cref="IOException"/> SocketsHttpHandler raises when a response ends prematurely.
/// </summary>
internal sealed class BreakingContent(byte[] body, int breakAfter, string mediaType) : HttpContent
{
    public BreakingContent(string body, int breakAfter, string mediaType)
        : this(System.Text.Encoding.UTF8.GetBytes(body), breakAfter, mediaType)
    {
    }

    private readonly string _mediaType = mediaType;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => throw Broken();

    protected override Task<Stream> CreateContentReadStreamAsync()
    {
        Headers.ContentType ??= new System.Net.Http.Headers.MediaTypeHeaderValue(_mediaType);
        return Task.FromResult<Stream>(new BreakingStream(body, breakAfter));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }

    private static IOException Broken() => new("The response ended prematurely. (ResponseEnded)");

    private sealed class BreakingStream(byte[] body, int breakAfter) : MemoryStream(body, 0, breakAfter, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            return read > 0 ? read : throw Broken();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = base.Read(buffer.Span);
            return read > 0 || buffer.Length == 0 ? ValueTask.FromResult(read) : ValueTask.FromException<int>(Broken());
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
