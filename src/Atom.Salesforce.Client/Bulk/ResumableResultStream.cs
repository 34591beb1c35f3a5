using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Telemetry;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>
/// The body of one result page that survives a broken connection: when reading fails part-way, the page is fetched again (a
/// Bulk API 2.0 result locator can be fetched again while the job exists) and the bytes already read are skipped, within
/// <see cref="Resilience.SalesforceResilienceOptions.MaxRetryAttempts"/>. A failure before the answer arrived was already retried
/// by the resilience pipeline and is not retried here.
/// </summary>
internal sealed class ResumableResultStream : Stream
{
    private readonly SalesforceConnection _connection;
    private readonly Func<CancellationToken, Task<HttpResponseMessage>> _fetch;
    private readonly string _what;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;

    private ResumableResultStream(SalesforceConnection connection, Func<CancellationToken, Task<HttpResponseMessage>> fetch, string what, HttpResponseMessage first)
    {
        _connection = connection;
        _fetch = fetch;
        _what = what;
        _response = first;
    }

    /// <summary>The stream over <paramref name="first"/>'s body; <paramref name="fetch"/> gets the same page again (a success or an exception).</summary>
    public static ResumableResultStream Over(
        SalesforceConnection connection, HttpResponseMessage first, string what, Func<CancellationToken, Task<HttpResponseMessage>> fetch) =>
        new(connection, fetch, what, first);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var resilience = _connection.Options.Resilience;
        var resumes = 0;
        while (true)
        {
            try
            {
                _body ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
                var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                _position += read;
                return read;
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested && resumes < resilience.MaxRetryAttempts)
            {
                resumes++;
                CloseBody();
                var delay = TimeSpan.FromTicks(Math.Min(resilience.BaseDelay.Ticks * (1L << Math.Min(resumes - 1, 16)), resilience.MaxDelay.Ticks));
                Log.ResultPageResumed(_connection.Logger, _what, _position, resumes, e.GetType().Name, delay);
                await Task.Delay(delay, _connection.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
        }

        base.Dispose(disposing);
    }

    /// <summary>The body from where reading stopped: the first answer's, or the page fetched again with the bytes already read skipped.</summary>
    private async Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        _response ??= await _fetch(cancellationToken).ConfigureAwait(false);
        var body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var skip = _position;
        if (skip > 0)
        {
            var scratch = new byte[(int)Math.Min(skip, 64 * 1024)];
            while (skip > 0)
            {
                var read = await body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(skip, scratch.Length)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"The {_what} was shorter when fetched again.");
                }

                skip -= read;
            }
        }

        return body;
    }

    private void CloseBody()
    {
        _body?.Dispose();
        _body = null;
        _response?.Dispose();
        _response = null;
    }
}
