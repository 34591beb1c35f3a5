using System.Buffers.Binary;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Emulator.Hosting;
using Atom.Salesforce.PubSub.Protocol;
using Avro;
using Avro.Generic;
using Avro.IO;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Atom.Salesforce.Emulator.Tests.PubSub;

/// <summary>
/// An org served over HTTP with its Pub/Sub API, a gRPC client of Salesforce's proto authenticated as Salesforce
/// documents (accesstoken, instanceurl, tenantid metadata), and events decoded with Apache's Avro library.
/// </summary>
internal sealed class PubSubOrg : IAsyncDisposable
{
    public const string OrgId = "00DHs0000000001MAA";

    private readonly Dictionary<string, RecordSchema> _schemas = [];

    private PubSubOrg(SalesforceEmulator emulator, EmulatorServer server)
    {
        Emulator = emulator;
        Server = server;
        Channel = GrpcChannel.ForAddress(server.PubSubAddress!);
        Client = new Atom.Salesforce.PubSub.Protocol.PubSub.PubSubClient(Channel);
        Http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.Options.AccessToken);
    }

    public SalesforceEmulator Emulator { get; }

    public EmulatorServer Server { get; }

    public GrpcChannel Channel { get; }

    public Atom.Salesforce.PubSub.Protocol.PubSub.PubSubClient Client { get; }

    /// <summary>REST calls to the org with its token.</summary>
    public HttpClient Http { get; }

    public Metadata Auth => new()
    {
        { "accesstoken", Emulator.Options.AccessToken! },
        { "instanceurl", Server.BaseAddress.GetLeftPart(UriPartial.Authority) },
        { "tenantid", OrgId },
    };

    public static async Task<PubSubOrg> StartAsync(SalesforceEmulatorOptions? options = null)
    {
        var emulator = new SalesforceEmulator(options);
        var server = await emulator.ListenAsync(cancellationToken: TestContext.Current.CancellationToken);
        return new PubSubOrg(emulator, server);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Creates a record through REST and returns its id.</summary>
    public async Task<string> CreateAsync(string type, object fields)
    {
        using var response = await Http.PostAsJsonAsync($"/services/data/v62.0/sobjects/{type}", fields, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    public async Task SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async Task<JsonElement> SendForJsonAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Opens a Subscribe stream and sends its first FetchRequest.</summary>
    public async Task<Subscription> SubscribeAsync(string topic, int numRequested = 100, ReplayPreset preset = ReplayPreset.Latest, long? replayId = null)
    {
        var call = Client.Subscribe(Auth, cancellationToken: TestContext.Current.CancellationToken);
        var request = new FetchRequest { TopicName = topic, NumRequested = numRequested, ReplayPreset = preset };
        if (replayId is { } id)
        {
            request.ReplayId = ByteString.CopyFrom(ReplayBytes(id));
        }

        await call.RequestStream.WriteAsync(request, TestContext.Current.CancellationToken);
        return new Subscription(this, call);
    }

    public static byte[] ReplayBytes(long id)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, id);
        return bytes;
    }

    public static long ReplayId(ByteString bytes) => (long)BinaryPrimitives.ReadUInt64BigEndian(bytes.Span);

    /// <summary>The schema of an event, fetched once with GetSchema.</summary>
    public async Task<RecordSchema> SchemaAsync(string schemaId)
    {
        if (!_schemas.TryGetValue(schemaId, out var schema))
        {
            var info = await Client.GetSchemaAsync(new SchemaRequest { SchemaId = schemaId }, Auth, cancellationToken: TestContext.Current.CancellationToken);
            _schemas[schemaId] = schema = (RecordSchema)global::Avro.Schema.Parse(info.SchemaJson);
        }

        return schema;
    }

    /// <summary>Decodes an event's Avro payload with its schema.</summary>
    public async Task<DecodedEvent> DecodeAsync(ConsumerEvent e)
    {
        var schema = await SchemaAsync(e.Event.SchemaId);
        var reader = new GenericDatumReader<GenericRecord>(schema, schema);
        using var stream = new MemoryStream(e.Event.Payload.ToByteArray());
        var record = reader.Read(null!, new BinaryDecoder(stream));
        Assert.Equal(stream.Length, stream.Position);
        return new DecodedEvent(ReplayId(e.ReplayId), schema, record);
    }
}

/// <summary>A Subscribe stream: reads FetchResponses, asks for more.</summary>
internal sealed class Subscription(PubSubOrg org, AsyncDuplexStreamingCall<FetchRequest, FetchResponse> call) : IDisposable
{
    public AsyncDuplexStreamingCall<FetchRequest, FetchResponse> Call => call;

    /// <summary>The next FetchResponse (a batch of events or a keepalive), within a generous time.</summary>
    public async Task<FetchResponse> NextResponseAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "The stream ended.");
        return call.ResponseStream.Current;
    }

    /// <summary>Reads batches until <paramref name="count"/> events have come, and decodes them.</summary>
    public async Task<List<DecodedEvent>> TakeAsync(int count)
    {
        var events = new List<DecodedEvent>();
        while (events.Count < count)
        {
            var response = await NextResponseAsync();
            foreach (var e in response.Events)
            {
                events.Add(await org.DecodeAsync(e));
            }
        }

        Assert.Equal(count, events.Count);
        return events;
    }

    public Task RequestAsync(int numRequested) =>
        call.RequestStream.WriteAsync(new FetchRequest { NumRequested = numRequested }, TestContext.Current.CancellationToken);

    public void Dispose() => call.Dispose();
}

/// <summary>A decoded event: its replay id and record, with the header's bitmaps turned back into field names.</summary>
internal sealed record DecodedEvent(long ReplayId, RecordSchema Schema, GenericRecord Record)
{
    public GenericRecord Header => (GenericRecord)Record["ChangeEventHeader"];

    public string ChangeType => ((GenericEnum)Header["changeType"]).Value;

    public string EntityName => (string)Header["entityName"];

    public string[] RecordIds => ((object[])Header["recordIds"]).Cast<string>().ToArray();

    public string TransactionKey => (string)Header["transactionKey"];

    public int SequenceNumber => (int)Header["sequenceNumber"];

    public string[] ChangedFields => Bitmaps.Decode(Schema, ((object[])Header["changedFields"]).Cast<string>().ToArray());

    public string[] NulledFields => Bitmaps.Decode(Schema, ((object[])Header["nulledFields"]).Cast<string>().ToArray());

    public object? this[string field] => Record.TryGetValue(field, out var value) ? value : throw new KeyNotFoundException(field);
}

/// <summary>
/// Decodes the header's bitmap fields as Salesforce documents them ("Event Deserialization Considerations"): the first
/// string, <c>0x…</c>, is a hexadecimal number whose bit i stands for the schema's field i; each <c>{i}-0x…</c> after it
/// names the nested fields of the compound field i. Written from the documentation, not from the emulator's encoder.
/// </summary>
internal static class Bitmaps
{
    public static string[] Decode(RecordSchema schema, string[] bitmaps)
    {
        var names = new List<string>();
        foreach (var bitmap in bitmaps)
        {
            var dash = bitmap.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                names.AddRange(Positions(bitmap).Select(i => schema.Fields[i].Name));
                continue;
            }

            var parent = schema.Fields[int.Parse(bitmap[..dash], System.Globalization.CultureInfo.InvariantCulture)];
            var nested = (RecordSchema)((UnionSchema)parent.Schema).Schemas.First(s => s.Tag == global::Avro.Schema.Type.Record);
            names.AddRange(Positions(bitmap[(dash + 1)..]).Select(i => parent.Name + "." + nested.Fields[i].Name));
        }

        return [.. names];
    }

    private static IEnumerable<int> Positions(string hex)
    {
        Assert.StartsWith("0x", hex, StringComparison.Ordinal);
        var digits = hex[2..];
        for (var d = 0; d < digits.Length; d++)
        {
            // The last digit holds bits 0-3, the one before it bits 4-7, and so on.
            var value = Convert.ToInt32(digits[digits.Length - 1 - d].ToString(), 16);
            for (var b = 0; b < 4; b++)
            {
                if ((value & (1 << b)) != 0)
                {
                    yield return (d * 4) + b;
                }
            }
        }
    }
}
