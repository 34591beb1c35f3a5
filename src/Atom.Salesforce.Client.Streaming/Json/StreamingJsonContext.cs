using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Streaming.Json;

/// <summary>The package's own JSON metadata (source-generated, for trimming and NativeAOT).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class StreamingJsonContext : JsonSerializerContext;
