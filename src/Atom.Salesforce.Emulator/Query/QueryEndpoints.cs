using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>
/// The query resources (reference §1.3): query and queryAll, their locators for the next pages, and SOSL search (§1.7).
/// A page is written when it is asked for, from the rows captured when the query ran.
/// </summary>
internal static class QueryEndpoints
{
    public const int DefaultBatchSize = 2000;
    public const int MinBatchSize = 200;

    private const string Data = "/services/data/{version}";

    /// <summary>As <see cref="EmulatorResponse.Json"/> writes: quotes, ampersands and non-ASCII text as they are.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A page of 2,000 records is about a megabyte: written into a buffer reused per thread, a page costs one copy of its
    /// bytes instead of a growing stream's several.
    /// </summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _pageBuffer;

    /// <summary>Each org's open locators, kept beside it rather than in it: they are state of the query resources alone.</summary>
    private static readonly ConditionalWeakTable<Org, QueryCursors> Cursors = [];

    public static void Map(Router router)
    {
        router.Map("GET", Data + "/query", c => Run(c, includeDeleted: false));
        router.Map("GET", Data + "/queryAll", c => Run(c, includeDeleted: true));
        router.Map("GET", Data + "/query/{locator}", More);
        router.Map("GET", Data + "/queryAll/{locator}", More);
        router.Map("GET", Data + "/search", c => SoslSearch.Run(c.Org, c.Request.QueryValue("q"), c.VersionPath));
    }

    internal static QueryCursors CursorsOf(Org org) => Cursors.GetValue(org, _ => new QueryCursors());

    private static EmulatorResponse Run(RequestContext context, bool includeDeleted)
    {
        if (!includeDeleted && context.Request.QueryValue("explain") is { Length: > 0 } explain)
        {
            return QueryMetadata.Explain(context, explain);
        }

        var soql = context.Request.QueryValue("q");
        if (!string.IsNullOrWhiteSpace(soql) && string.Equals(context.Request.QueryValue("columns"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return QueryMetadata.Columns(context, soql);
        }

        if (string.IsNullOrWhiteSpace(soql))
        {
            throw QueryErrors.Malformed("A query string has to be specified");
        }

        var result = QueryCompiler.Run(context.Org, soql, includeDeleted, context.UserId);
        if (result.CountOnly)
        {
            return EmulatorResponse.Json(200, w => WriteEnvelope(w, result.TotalSize, done: true, next: null, _ => { }));
        }

        if (result.Aggregates is { } aggregates)
        {
            return EmulatorResponse.Json(200, w => WriteEnvelope(w, result.TotalSize, done: true, next: null, records => WriteAggregates(records, aggregates)));
        }

        var batch = BatchSize(context.Request);
        if (result.Rows.Length <= batch || result.FirstBatchOnly)
        {
            return Page(context, result, cursor: null, 0, batch);
        }

        var cursor = CursorsOf(context.Org).Open(result, context.UserId, context.Org.Now);
        return Page(context, result, cursor, 0, batch);
    }

    /// <summary>GET nextRecordsUrl: <c>/query/&lt;locator&gt;-&lt;offset&gt;</c>.</summary>
    private static EmulatorResponse More(RequestContext context)
    {
        var locator = context["locator"];
        var dash = locator.LastIndexOf('-');
        var id = dash < 0 ? locator : locator[..dash];
        var offset = 0;
        if (dash >= 0 && !int.TryParse(locator.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            throw QueryErrors.InvalidLocator();
        }

        var cursors = CursorsOf(context.Org);
        var cursor = cursors.Find(id, context.UserId, context.Org.Now);
        if (cursor is null || offset > cursor.Result.Rows.Length)
        {
            throw QueryErrors.InvalidLocator();
        }

        return Page(context, cursor.Result, cursor, offset, BatchSize(context.Request));
    }

    private static EmulatorResponse Page(RequestContext context, QueryResultSet result, QueryCursor? cursor, int offset, int batch)
    {
        var rows = result.Rows;
        var end = Math.Min(rows.Length, offset + batch);
        var done = end >= rows.Length || result.FirstBatchOnly;
        if (done && cursor is not null)
        {
            CursorsOf(context.Org).Close(cursor.Id);
        }

        var versionPath = context.VersionPath;
        var next = done ? null : $"{versionPath}/query/{cursor!.Id}-{end}";
        var buffer = _pageBuffer ??= new ArrayBufferWriter<byte>(64 * 1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteEnvelope(writer, result.TotalSize, done, next, records =>
            {
                for (var i = offset; i < end; i++)
                {
                    result.Selection!.Write(records, rows[i], versionPath);
                }
            });
        }

        var body = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 16 * 1024 * 1024)
        {
            // Do not keep an unusually large page's buffer alive on the thread.
            _pageBuffer = null;
        }

        return new EmulatorResponse(200, body, EmulatorResponse.JsonContentType);
    }

    private static void WriteEnvelope(Utf8JsonWriter writer, int totalSize, bool done, string? next, Action<Utf8JsonWriter> records)
    {
        writer.WriteStartObject();
        writer.WriteNumber("totalSize", totalSize);
        writer.WriteBoolean("done", done);
        if (next is not null)
        {
            writer.WriteString("nextRecordsUrl", next);
        }

        writer.WriteStartArray("records");
        records(writer);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteAggregates(Utf8JsonWriter writer, AggregateRows aggregates)
    {
        foreach (var row in aggregates.Rows)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("attributes");
            writer.WriteString("type", "AggregateResult");
            writer.WriteEndObject();
            for (var i = 0; i < aggregates.Names.Count; i++)
            {
                writer.WritePropertyName(aggregates.Names[i]);
                FieldValues.Write(writer, aggregates.Formats[i], row[i]);
            }

            writer.WriteEndObject();
        }
    }

    /// <summary><c>Sforce-Query-Options: batchSize=N</c>: 200 to 2000; a size outside that range takes the nearest bound.</summary>
    internal static int BatchSize(EmulatorRequest request)
    {
        var header = request.Header("Sforce-Query-Options");
        if (header is null)
        {
            return DefaultBatchSize;
        }

        foreach (var option in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = option.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && option[..equals].Trim().Equals("batchSize", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(option[(equals + 1)..].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var size))
            {
                return (int)Math.Clamp(size, MinBatchSize, DefaultBatchSize);
            }
        }

        return DefaultBatchSize;
    }
}
