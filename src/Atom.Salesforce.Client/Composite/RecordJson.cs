using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Composite;

/// <summary>
/// Writes records the way the composite family wants them: an <c>attributes</c> object with the type (and, for tree, the
/// referenceId), the <c>id</c> where an update needs it, then the fields the SDK's write options send. The record's own JSON
/// is serialized with the shared write metadata into a scratch buffer kept per thread, and its members are spliced after
/// the attributes: no per-record reflection and no per-record array (the writing is synchronous, so a thread's scratch is
/// never shared).
/// </summary>
internal static class RecordJson
{
    /// <summary>Scratch buffers larger than this are dropped after use instead of kept for the thread.</summary>
    private const int MaxKeptScratch = 1024 * 1024;

    [ThreadStatic]
    private static Scratch? t_fields;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_record;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_body;

    /// <summary>Writes one record as a JSON value into <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, SalesforceSerializer serializer, object record, string type, string? id, string? referenceId = null)
    {
        var scratch = t_record ?? new ArrayBufferWriter<byte>(256);
        t_record = null;
        scratch.ResetWrittenCount();
        Append(scratch, serializer, record, type, id, referenceId, null);
        writer.WriteRawValue(scratch.WrittenSpan, skipInputValidation: true);
        t_record = scratch.Capacity <= MaxKeptScratch ? scratch : null;
    }

    /// <summary>
    /// Runs <paramref name="write"/> over a buffer kept per thread (cleared first) and returns a copy of what it wrote, sized
    /// exactly: a request body built without growing a fresh buffer per request.
    /// </summary>
    public static byte[] Build<TState>(TState state, Action<ArrayBufferWriter<byte>, TState> write)
    {
        var body = t_body ?? new ArrayBufferWriter<byte>(16 * 1024);
        t_body = null;
        body.ResetWrittenCount();
        write(body, state);
        var bytes = body.WrittenSpan.ToArray();
        t_body = body.Capacity <= MaxKeptScratch ? body : null;
        return bytes;
    }

    /// <summary>
    /// Appends one record object to <paramref name="output"/>: attributes, id, its fields, then whatever
    /// <paramref name="extraMembers"/> appends (each member preceded by a comma).
    /// </summary>
    public static void Append(
        ArrayBufferWriter<byte> output, SalesforceSerializer serializer, object record, string type, string? id, string? referenceId,
        Action<ArrayBufferWriter<byte>>? extraMembers)
    {
        Append(output, "{\"attributes\":{\"type\":\""u8);
        Append(output, type);
        if (referenceId is not null)
        {
            Append(output, "\",\"referenceId\":\""u8);
            Append(output, referenceId);
        }

        Append(output, "\"}"u8);
        if (id is not null)
        {
            Append(output, ",\"id\":\""u8);
            Append(output, id);
            Append(output, "\""u8);
        }

        // The record's own object "{...}": its members are spliced after the attributes. The scratch is copied out before
        // extraMembers runs, so a nested record (a tree's children) may use it again.
        var scratch = t_fields;
        t_fields = null;
        if (scratch is null || !ReferenceEquals(scratch.Encoder, serializer.WriteOptions.Encoder))
        {
            scratch?.Dispose();
            scratch = new Scratch(serializer.WriteOptions);
        }

        try
        {
            var fields = scratch.Serialize(record, serializer.WriteOptions.GetTypeInfo(record.GetType()));
            if (fields.Length > 2)
            {
                Append(output, ","u8);
                Append(output, fields[1..^1]);
            }
        }
        finally
        {
            if (scratch.Buffer.Capacity <= MaxKeptScratch)
            {
                t_fields = scratch;
            }
            else
            {
                scratch.Dispose();
            }
        }

        extraMembers?.Invoke(output);
        Append(output, "}"u8);
    }

    /// <summary>The record's id: <see cref="SObject.Id"/>, or a POCO's <c>Id</c> property (any case).</summary>
    public static string? IdOf(SalesforceSerializer serializer, object record)
    {
        if (record is SObject sObject)
        {
            return sObject.Id;
        }

        var info = serializer.ReadOptions.GetTypeInfo(record.GetType());
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return null;
        }

        foreach (var property in info.Properties)
        {
            if (property.Get is not null && string.Equals(property.Name, "Id", StringComparison.OrdinalIgnoreCase))
            {
                return property.Get(record) as string;
            }
        }

        return null;
    }

    public static void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    // Names, ids and referenceIds are validated ASCII before they get here; nothing needs escaping.
    public static void Append(ArrayBufferWriter<byte> buffer, string ascii)
    {
        var span = buffer.GetSpan(ascii.Length);
        var written = Encoding.ASCII.GetBytes(ascii, span);
        buffer.Advance(written);
    }

    /// <summary>A reusable buffer and JSON writer for one record's own object, with the write options' encoder.</summary>
    private sealed class Scratch(JsonSerializerOptions options) : IDisposable
    {
        private readonly Utf8JsonWriter _writer = new(Stream.Null, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });

        public System.Text.Encodings.Web.JavaScriptEncoder? Encoder { get; } = options.Encoder;

        public ArrayBufferWriter<byte> Buffer { get; } = new(256);

        public ReadOnlySpan<byte> Serialize(object record, JsonTypeInfo info)
        {
            Buffer.ResetWrittenCount();
            _writer.Reset(Buffer);
            JsonSerializer.Serialize(_writer, record, info);
            _writer.Flush();
            return Buffer.WrittenSpan;
        }

        public void Dispose() => _writer.Dispose();
    }
}
