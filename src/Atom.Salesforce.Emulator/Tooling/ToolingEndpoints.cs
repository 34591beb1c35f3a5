using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.PubSub;

namespace Atom.Salesforce.Emulator.Tooling;

/// <summary>
/// The Tooling API's <c>ManagedEventSubscription</c> (beta, API 60.0+), the configuration of the Pub/Sub API's managed
/// subscriptions: create (<c>FullName</c> and <c>Metadata</c> with <c>label</c>, <c>topicName</c>, <c>defaultReplay</c>,
/// <c>errorRecoveryReplay</c>, <c>state</c>), retrieve, update (<c>Metadata</c>), delete, and a Tooling query of the object
/// (<c>SELECT Id, DeveloperName, Metadata FROM ManagedEventSubscription WHERE DeveloperName = '…'</c>, as clients look a
/// subscription up). The only Tooling object the emulator serves.
/// </summary>
internal static partial class ToolingEndpoints
{
    private const string Object = "/services/data/{version}/tooling/sobjects/ManagedEventSubscription";

    public static void Map(Router router)
    {
        router.Map("POST", Object, Create);
        router.Map("GET", Object + "/{id}", Retrieve);
        router.Map("PATCH", Object + "/{id}", Update);
        router.Map("DELETE", Object + "/{id}", Delete);
        router.Map("GET", "/services/data/{version}/tooling/query", Query);
    }

    private static EmulatorResponse Create(RequestContext context)
    {
        var body = context.Request.ReadJson();
        var name = String(body, "FullName") ?? String(body, "DeveloperName")
            ?? throw new ApiException(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [FullName]", "FullName");
        var metadata = Property(body, "Metadata") is { ValueKind: JsonValueKind.Object } m
            ? m
            : throw new ApiException(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Metadata]", "Metadata");
        var definition = new ManagedEventSubscriptionDefinition
        {
            DeveloperName = name,
            TopicName = String(metadata, "topicName") ?? throw new ApiException(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [topicName]", "topicName"),
            Label = String(metadata, "label"),
            DefaultReplay = String(metadata, "defaultReplay") ?? "LATEST",
            ErrorRecoveryReplay = String(metadata, "errorRecoveryReplay") ?? "LATEST",
            State = String(metadata, "state") ?? "RUN",
        };
        ManagedSubscription created;
        try
        {
            created = context.Host.PubSub.Managed.Add(definition);
        }
        catch (ArgumentException e)
        {
            throw new ApiException(400, e.Message.Contains("already exists", StringComparison.Ordinal) ? "DUPLICATE_DEVELOPER_NAME" : "FIELD_INTEGRITY_EXCEPTION", e.Message);
        }

        return EmulatorResponse.Json(201, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", created.Id);
            writer.WriteBoolean("success", true);
            writer.WriteStartArray("errors");
            writer.WriteEndArray();
            writer.WriteStartArray("warnings");
            writer.WriteEndArray();
            writer.WriteStartArray("infos");
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static EmulatorResponse Retrieve(RequestContext context)
    {
        var subscription = Existing(context);
        return EmulatorResponse.Json(200, writer => Write(writer, context, subscription, fields: null));
    }

    private static EmulatorResponse Update(RequestContext context)
    {
        var subscription = Existing(context);
        var body = context.Request.ReadJson();
        var metadata = Property(body, "Metadata") is { ValueKind: JsonValueKind.Object } m ? m : default;
        try
        {
            context.Host.PubSub.Managed.Update(
                subscription,
                String(metadata, "label"),
                String(metadata, "topicName"),
                String(metadata, "defaultReplay"),
                String(metadata, "errorRecoveryReplay"),
                String(metadata, "state"));
        }
        catch (ArgumentException e)
        {
            throw new ApiException(400, "FIELD_INTEGRITY_EXCEPTION", e.Message);
        }

        return EmulatorResponse.Empty();
    }

    private static EmulatorResponse Delete(RequestContext context)
    {
        context.Host.PubSub.Managed.Remove(Existing(context));
        return EmulatorResponse.Empty();
    }

    private static EmulatorResponse Query(RequestContext context)
    {
        var soql = context.Request.QueryValue("q") ?? throw new ApiException(400, "MALFORMED_QUERY", "A query string (q) is required.");
        var match = QueryPattern().Match(soql.Trim());
        if (!match.Success)
        {
            throw new ApiException(400, "INVALID_TYPE", "The emulator's Tooling API serves SELECT … FROM ManagedEventSubscription [WHERE Id = '…' | DeveloperName = '…'] [LIMIT n] only.");
        }

        var fields = match.Groups["fields"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var field in fields)
        {
            if (!Fields.Contains(field, StringComparer.OrdinalIgnoreCase))
            {
                throw new ApiException(400, "INVALID_FIELD", $"No such column '{field}' on entity 'ManagedEventSubscription'.");
            }
        }

        var all = context.Host.PubSub.Managed.All.AsEnumerable();
        if (match.Groups["field"].Success)
        {
            var value = match.Groups["value"].Value;
            all = match.Groups["field"].Value.Equals("Id", StringComparison.OrdinalIgnoreCase)
                ? all.Where(s => value.Length is 15 or 18 && string.CompareOrdinal(s.Id, 0, value, 0, 15) == 0)
                : all.Where(s => s.DeveloperName.Equals(value, StringComparison.OrdinalIgnoreCase));
        }

        if (match.Groups["limit"].Success)
        {
            all = all.Take(int.Parse(match.Groups["limit"].Value, CultureInfo.InvariantCulture));
        }

        var records = all.ToList();
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("size", records.Count);
            writer.WriteNumber("totalSize", records.Count);
            writer.WriteBoolean("done", true);
            writer.WriteNull("queryLocator");
            writer.WriteString("entityTypeName", "ManagedEventSubscription");
            writer.WriteStartArray("records");
            foreach (var record in records)
            {
                Write(writer, context, record, fields);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static readonly string[] Fields = ["Id", "DeveloperName", "MasterLabel", "Metadata", "FullName", "CreatedDate", "LastModifiedDate"];

    private static void Write(Utf8JsonWriter writer, RequestContext context, ManagedSubscription s, string[]? fields)
    {
        bool Selected(string name) => fields is null || fields.Contains(name, StringComparer.OrdinalIgnoreCase);
        writer.WriteStartObject();
        writer.WriteStartObject("attributes");
        writer.WriteString("type", "ManagedEventSubscription");
        writer.WriteString("url", $"{context.VersionPath}/tooling/sobjects/ManagedEventSubscription/{s.Id}");
        writer.WriteEndObject();
        lock (s.Gate)
        {
            if (Selected("Id"))
            {
                writer.WriteString("Id", s.Id);
            }

            if (Selected("DeveloperName"))
            {
                writer.WriteString("DeveloperName", s.DeveloperName);
            }

            if (Selected("MasterLabel"))
            {
                writer.WriteString("MasterLabel", s.Label);
            }

            if (Selected("FullName"))
            {
                writer.WriteString("FullName", s.DeveloperName);
            }

            if (Selected("CreatedDate"))
            {
                writer.WriteString("CreatedDate", Date(s.CreatedDate));
            }

            if (Selected("LastModifiedDate"))
            {
                writer.WriteString("LastModifiedDate", Date(s.LastModifiedDate));
            }

            if (Selected("Metadata"))
            {
                writer.WriteStartObject("Metadata");
                writer.WriteString("defaultReplay", s.DefaultReplay);
                writer.WriteString("errorRecoveryReplay", s.ErrorRecoveryReplay);
                writer.WriteString("label", s.Label);
                writer.WriteString("state", s.State);
                writer.WriteString("topicName", s.TopicName);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
    }

    private static ManagedSubscription Existing(RequestContext context) =>
        context.Host.PubSub.Managed.Find(context["id"], developerName: null)
            ?? throw new ApiException(404, "NOT_FOUND", "The requested resource does not exist");

    /// <summary>A string property, its name matched case-insensitively as Salesforce matches field names.</summary>
    private static string? String(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^SELECT\s+(?<fields>[\w\s,]+?)\s+FROM\s+ManagedEventSubscription(\s+WHERE\s+(?<field>Id|DeveloperName)\s*=\s*'(?<value>[^'\\]*)')?(\s+LIMIT\s+(?<limit>\d+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex QueryPattern();
}
