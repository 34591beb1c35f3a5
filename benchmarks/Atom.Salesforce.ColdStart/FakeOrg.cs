using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Atom.Salesforce.ColdStart;

/// <summary>
/// A fake org on loopback: answers every query with canned Salesforce-shaped pages of 2,000 Opportunity records (10,000 in
/// five pages linked by <c>nextRecordsUrl</c>), and the OAuth token endpoint with a canned token. A minimal HTTP/1.1 server
/// over a socket (keep-alive, GET and POST, no request bodies read beyond their length) so that it costs the clients' runs
/// nothing but the bytes: the same server and the same bytes for every variant.
/// </summary>
public sealed class FakeOrg : IAsyncDisposable
{
    /// <summary>Records per page, as Salesforce's default batch size.</summary>
    public const int PageSize = 2000;

    /// <summary>Records in the whole query result.</summary>
    public const int Total = 10_000;

    private const string QueryPath = "/services/data/v66.0/query";
    private const string LocatorPrefix = "01gCOLDSTART-";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[][] _pages = new byte[Total / PageSize][];
    private readonly byte[] _token;
    private readonly Task _accepting;
    private int _pagesServed;

    /// <summary>Starts listening on a free loopback port.</summary>
    public FakeOrg()
    {
        for (var page = 0; page < _pages.Length; page++)
        {
            var next = page + 1 < _pages.Length ? $"{QueryPath}/{LocatorPrefix}{(page + 1) * PageSize}" : null;
            _pages[page] = Page(page * PageSize, PageSize, Total, next);
        }

        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _token = Encoding.UTF8.GetBytes(
            $$"""{"access_token":"00DCOLD!token","instance_url":"{{BaseAddress.ToString().TrimEnd('/')}}","id":"{{BaseAddress}}id/00DCOLDSTART000AAA/005COLDSTART000AAA","token_type":"Bearer","issued_at":"1700000000000","signature":"c2lnbmF0dXJl"}""");
        _accepting = AcceptAsync();
    }

    /// <summary>Where the org listens, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Query pages answered so far (five per client run).</summary>
    public int PagesServed => Volatile.Read(ref _pagesServed);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            socket.NoDelay = true;
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var buffer = new byte[16 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                // One request head (no request here has a body the org needs; a POST body is skipped by Content-Length).
                int end;
                while ((end = IndexOfHeadEnd(buffer.AsSpan(0, filled))) < 0)
                {
                    if (filled == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                var head = Encoding.ASCII.GetString(buffer, 0, end);
                var consumed = end + 4;
                var bodyLength = ContentLength(head);
                while (filled < consumed + bodyLength)
                {
                    if (buffer.Length < consumed + bodyLength)
                    {
                        Array.Resize(ref buffer, consumed + bodyLength);
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                consumed += bodyLength;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;

                var target = head[(head.IndexOf(' ', StringComparison.Ordinal) + 1)..];
                target = target[..target.IndexOf(' ', StringComparison.Ordinal)];
                var (status, body) = Answer(target);
                var response = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {status}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {body.Length}\r\nSforce-Limit-Info: api-usage=1/15000\r\n\r\n");
                await stream.WriteAsync(response, _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The client went away (its process ended): nothing to answer.
        }
    }

    private (string Status, byte[] Body) Answer(string target)
    {
        var path = target.Split('?')[0];
        if (path.EndsWith("/oauth2/token", StringComparison.Ordinal))
        {
            return ("200 OK", _token);
        }

        var page = -1;
        if (path is QueryPath or QueryPath + "/")
        {
            page = 0;
        }
        else if (path.StartsWith($"{QueryPath}/{LocatorPrefix}", StringComparison.Ordinal)
                 && int.TryParse(path[($"{QueryPath}/{LocatorPrefix}".Length)..], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                 && first % PageSize == 0 && first / PageSize < _pages.Length)
        {
            page = first / PageSize;
        }

        if (page < 0)
        {
            return ("404 Not Found", Encoding.UTF8.GetBytes("""[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"""));
        }

        Interlocked.Increment(ref _pagesServed);
        return ("200 OK", _pages[page]);
    }

    private static int IndexOfHeadEnd(ReadOnlySpan<byte> data) => data.IndexOf("\r\n\r\n"u8);

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>A query page shaped like Salesforce's: attributes, a parent relationship, dates, currency, nulls.</summary>
    internal static byte[] Page(int firstRecord, int count, int totalSize, string? nextRecordsUrl)
    {
        var json = new StringBuilder(count * 560);
        json.Append(CultureInfo.InvariantCulture, $"{{\"totalSize\":{totalSize},\"done\":{(nextRecordsUrl is null ? "true" : "false")},");
        if (nextRecordsUrl is not null)
        {
            json.Append(CultureInfo.InvariantCulture, $"\"nextRecordsUrl\":\"{nextRecordsUrl}\",");
        }

        json.Append("\"records\":[");
        for (var i = firstRecord; i < firstRecord + count; i++)
        {
            if (i > firstRecord)
            {
                json.Append(',');
            }

            var id = $"006RO00000{i:D5}AAA";
            json.Append(CultureInfo.InvariantCulture, $$$"""
                {"attributes":{"type":"Opportunity","url":"/services/data/v66.0/sobjects/Opportunity/{{{id}}}"},
                "Id":"{{{id}}}","Name":"Deal {{{i}}} for Acme Widgets","StageName":"{{{(i % 3 == 0 ? "Prospecting" : "Closed Won")}}}",
                "Amount":{{{(i % 7 == 0 ? "null" : (1000 + i * 12.5m).ToString(CultureInfo.InvariantCulture))}}},"Probability":{{{i % 100}}},
                "CloseDate":"2025-{{{1 + i % 12:D2}}}-{{{1 + i % 28:D2}}}","IsClosed":{{{(i % 3 == 0 ? "false" : "true")}}},
                "CreatedDate":"2024-05-20T20:49:{{{i % 60:D2}}}.000+0000","LeadSource":null,
                "Account":{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001RO00000{{{i % 500:D5}}}AAA"},"Name":"Acme {{{i % 500}}}"}}
                """);
        }

        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
