using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Http;

/// <summary>A response of the emulated org: status, headers and body bytes, with Salesforce's content types.</summary>
internal sealed class EmulatorResponse
{
    public const string JsonContentType = "application/json;charset=UTF-8";

    /// <summary>Salesforce writes quotes, ampersands and non-ASCII text as they are, not as \u escapes.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public EmulatorResponse(int status, byte[] body, string? contentType)
    {
        Status = status;
        Body = body;
        ContentType = contentType;
    }

    public int Status { get; }

    public byte[] Body { get; }

    public string? ContentType { get; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A JSON body written with <paramref name="write"/>.</summary>
    public static EmulatorResponse Json(int status, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return new EmulatorResponse(status, buffer.ToArray(), JsonContentType);
    }

    public static EmulatorResponse Empty(int status = 204) => new(status, [], null);

    /// <summary>No response at all: the connection is dropped (an injected fault).</summary>
    public static EmulatorResponse Dropped { get; } = new(0, [], null);

    public bool IsDropped => Status == 0;

    public static EmulatorResponse Text(int status, string text, string contentType) => new(status, Encoding.UTF8.GetBytes(text), contentType);

    /// <summary>Salesforce's REST error body: a JSON array of <c>{"message", "errorCode", "fields"}</c>.</summary>
    public static EmulatorResponse Error(ApiException error) => Json(error.Status, writer =>
    {
        writer.WriteStartArray();
        foreach (var e in error.Errors)
        {
            writer.WriteStartObject();
            writer.WriteString("message", e.Message);
            writer.WriteString("errorCode", e.ErrorCode);
            if (e.Fields is { Count: > 0 } fields)
            {
                writer.WriteStartArray("fields");
                foreach (var field in fields)
                {
                    writer.WriteStringValue(field);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });
}
