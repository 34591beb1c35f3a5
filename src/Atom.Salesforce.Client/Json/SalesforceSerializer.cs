using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Atom.Salesforce.Client.Json;

/// <summary>
/// The two sets of JSON options the SDK uses, built once (metadata is cached per options instance, so they must never be
/// rebuilt per call). Reading is case-insensitive and understands Salesforce's date formats. Writing a POCO leaves out null
/// properties (omitted = untouched in Salesforce), the record id, and the system fields Salesforce refuses in a save body;
/// a property marked <c>[JsonIgnore(Condition = JsonIgnoreCondition.Never)]</c> is sent even when null, which clears it.
/// </summary>
internal sealed class SalesforceSerializer
{
    /// <summary>Fields Salesforce maintains itself; sending them in a create or update is an error.</summary>
    private static readonly HashSet<string> SystemFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "attributes", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
        "IsDeleted", "LastViewedDate", "LastReferencedDate",
    };

    /// <summary>
    /// Without the SDK's source-generated metadata (reflection for every type): for converting values inside a record
    /// (<c>SObject.Get&lt;T&gt;</c>), where the target is a user type. Clients use the serializer they are given, built at the
    /// top layer over the SDK's context (<c>SalesforceJsonContext.Serializer</c>).
    /// </summary>
    public static SalesforceSerializer Default { get; } = new(sdkTypes: null, userResolver: null);

    /// <param name="sdkTypes">The metadata of the SDK's own types (the source-generated context), or null.</param>
    /// <param name="userResolver">The user's resolver (<c>SalesforceOptions.TypeInfoResolver</c>): asked first, or null.</param>
    public SalesforceSerializer(IJsonTypeInfoResolver? sdkTypes, IJsonTypeInfoResolver? userResolver)
    {
        var resolvers = new List<IJsonTypeInfoResolver>(3);
        if (userResolver is not null)
        {
            resolvers.Add(userResolver);
        }

        if (sdkTypes is not null)
        {
            resolvers.Add(sdkTypes);
        }

        if (CreateReflectionResolver() is { } reflection)
        {
            resolvers.Add(reflection);
        }

        var resolver = JsonTypeInfoResolver.Combine([.. resolvers]);

        ReadOptions = CreateOptions(resolver);
        ReadOptions.MakeReadOnly();

        WriteOptions = CreateOptions(resolver.WithAddedModifier(OmitSystemFields));
        WriteOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        WriteOptions.MakeReadOnly();
    }

    public JsonSerializerOptions ReadOptions { get; }

    public JsonSerializerOptions WriteOptions { get; }

    public JsonTypeInfo<T> ReadInfo<T>() => (JsonTypeInfo<T>)ReadOptions.GetTypeInfo(typeof(T));

    public JsonTypeInfo<T> WriteInfo<T>() => (JsonTypeInfo<T>)WriteOptions.GetTypeInfo(typeof(T));

    /// <summary>
    /// Reflection-based metadata for user types that no resolver describes, as System.Text.Json itself does: only while
    /// the <c>System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault</c> feature switch is on. A trimmed or NativeAOT
    /// app turns it off, so the reflection resolver is trimmed away and its record types come from the source-generated
    /// context in <see cref="Atom.Salesforce.Client.Configuration.SalesforceOptions.TypeInfoResolver"/>.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Guarded by JsonSerializer.IsReflectionEnabledByDefault, which trimmed and NativeAOT apps turn off (the same guard System.Text.Json and ASP.NET Core use).")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Guarded by JsonSerializer.IsReflectionEnabledByDefault, which trimmed and NativeAOT apps turn off (the same guard System.Text.Json and ASP.NET Core use).")]
    private static DefaultJsonTypeInfoResolver? CreateReflectionResolver() =>
        JsonSerializer.IsReflectionEnabledByDefault ? new DefaultJsonTypeInfoResolver() : null;

    private static JsonSerializerOptions CreateOptions(IJsonTypeInfoResolver resolver) => new()
    {
        TypeInfoResolver = resolver,
        PropertyNameCaseInsensitive = true,
        // Bodies go to an API, never into HTML: keep '+' in offsets and non-ASCII text as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters =
        {
            new SalesforceDateTimeOffsetConverter(),
            new SalesforceDateTimeConverter(),
            new SalesforceDateOnlyConverter(),
            new SalesforceTimeOnlyConverter(),
        },
    };

    private static void OmitSystemFields(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (SystemFields.Contains(property.Name))
            {
                property.ShouldSerialize = static (_, _) => false;
            }
        }
    }
}
