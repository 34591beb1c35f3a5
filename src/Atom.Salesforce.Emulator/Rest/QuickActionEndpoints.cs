using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Rest;

/// <summary>
/// Quick actions (REST API Developer Guide: "Quick Actions" <c>resources_quickactions.htm</c>, "sObject Quick Actions"
/// <c>resources_sobject_quickactions.htm</c>, "Get sObject Quick Action Details", "Get sObject Quick Action Default
/// Values"; SOAP API DescribeAvailableQuickActionResult and DescribeQuickActionResult for the fields).
/// The org has the standard global actions a new org has for activities: LogACall (type LogACall, a completed Task),
/// NewTask and NewEvent (type Create) and SendEmail (type SendEmail). <c>/quickActions</c> lists them; an object's
/// <c>/sobjects/{type}/quickActions</c> lists them for the objects a Task or Event can be about (the objects WhoId and
/// WhatId point to: Account, Contact, Lead, Opportunity, Campaign) and is an empty list for the others. Each action has
/// its <c>urls</c> (<c>quickAction</c>, <c>describe</c>, <c>defaultValues</c>); an unknown action name is 404 NOT_FOUND.
/// Invoking an action (POST) is not served.
/// </summary>
internal static class QuickActionEndpoints
{
    private const string Global = "/services/data/{version}/quickActions";

    private const string SObject = "/services/data/{version}/sobjects/{type}/quickActions";

    /// <summary>The standard actions, with their target object and the fields of their layout.</summary>
    internal static readonly IReadOnlyList<QuickAction> Actions =
    [
        new("LogACall", "Log a Call", "LogACall", "Task", ["Subject", "Description", "WhoId", "WhatId"]),
        new("NewTask", "New Task", "Create", "Task", ["Subject", "ActivityDate", "WhoId", "WhatId", "Status", "Priority", "OwnerId"]),
        new("NewEvent", "New Event", "Create", "Event", ["Subject", "StartDateTime", "EndDateTime", "Location", "WhoId", "WhatId", "OwnerId"]),
        new("SendEmail", "Send Email", "SendEmail", "EmailMessage", []),
    ];

    public static void Map(Router router)
    {
        router.Map("GET", Global, List);
        router.Map("GET", Global + "/{action}", Describe);
        router.Map("GET", Global + "/{action}/describe", Describe);
        router.Map("GET", Global + "/{action}/defaultValues", DefaultValues);
        router.Map("GET", SObject, List);
        router.Map("GET", SObject + "/{action}", Describe);
        router.Map("GET", SObject + "/{action}/describe", Describe);
        router.Map("GET", SObject + "/{action}/defaultValues", DefaultValues);
        router.Map("GET", SObject + "/{action}/defaultValues/{contextId}", DefaultValues);
    }

    /// <summary>The actions of an object (null: the global ones): the activity actions for the objects activities can be about.</summary>
    internal static IReadOnlyList<QuickAction> ActionsOf(OrgSchema schema, ObjectSchema? obj) =>
        obj is null || IsActivityParent(schema, obj) ? Actions : [];

    private static readonly string[] ActivityObjects = ["Task", "Event"];

    private static bool IsActivityParent(OrgSchema schema, ObjectSchema obj) =>
        ActivityObjects.Select(schema.Find).OfType<ObjectSchema>()
            .SelectMany(a => new[] { a.Field("WhoId"), a.Field("WhatId") }).OfType<FieldDefinition>()
            .Any(f => f.ReferenceTo.Contains(obj.Name, StringComparer.OrdinalIgnoreCase));

    /// <summary>The object of an sObject route (null on a global route) and the base of its action URLs.</summary>
    private static (ObjectSchema? Obj, string Base) Context(RequestContext context)
    {
        var type = context.Optional("type");
        var obj = type is null ? null : context.Org.RequireObject(type);
        return (obj, obj is null ? $"{context.VersionPath}/quickActions" : $"{context.VersionPath}/sobjects/{obj.Name}/quickActions");
    }

    private static (ObjectSchema? Obj, string Base, QuickAction Action) Require(RequestContext context)
    {
        var (obj, url) = Context(context);
        var name = context["action"];
        var action = ActionsOf(context.Org.Schema, obj).FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw ApiException.NotFound();
        return (obj, url, action);
    }

    /// <summary><c>GET .../quickActions</c>: an array of DescribeAvailableQuickActionResult with their URLs.</summary>
    private static EmulatorResponse List(RequestContext context)
    {
        var (obj, url) = Context(context);
        var actions = ActionsOf(context.Org.Schema, obj);
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartArray();
            foreach (var action in actions)
            {
                writer.WriteStartObject();
                writer.WriteString("actionEnumOrId", action.Name);
                writer.WriteString("label", action.Label);
                writer.WriteString("name", action.Name);
                writer.WriteString("type", action.Type);
                WriteUrls(writer, url, action);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    private static void WriteUrls(Utf8JsonWriter writer, string url, QuickAction action)
    {
        writer.WriteStartObject("urls");
        writer.WriteString("defaultValues", $"{url}/{action.Name}/defaultValues");
        writer.WriteString("describe", $"{url}/{action.Name}/describe");
        writer.WriteString("quickAction", $"{url}/{action.Name}");
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>GET .../quickActions/{name}</c> and <c>/describe</c>: DescribeQuickActionResult, its <c>layout</c> a layout
    /// section of the target object's fields (null for SendEmail: the org has no EmailMessage object).
    /// </summary>
    private static EmulatorResponse Describe(RequestContext context)
    {
        var (obj, url, action) = Require(context);
        var target = context.Org.Schema.Find(action.TargetSObjectType);
        var fields = target is null ? [] : action.Fields.Select(target.Field).OfType<FieldDefinition>().ToList();
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNull("accessLevelRequired");
            writer.WriteString("actionEnumOrId", action.Name);
            writer.WriteNull("canvasApplicationName");
            writer.WriteStartArray("colors");
            writer.WriteEndArray();
            WriteNullable(writer, "contextSobjectType", obj?.Name);
            writer.WriteStartArray("defaultValues");
            writer.WriteEndArray();
            writer.WriteNull("height");
            writer.WriteNull("iconName");
            writer.WriteNull("iconUrl");
            writer.WriteStartArray("icons");
            writer.WriteEndArray();
            writer.WriteString("label", action.Label);
            if (target is null)
            {
                writer.WriteNull("layout");
            }
            else
            {
                writer.WritePropertyName("layout");
                LayoutEndpoints.WriteSection(writer, action.Label, RecordIds.Create("01B", 900 + Actions.ToList().IndexOf(action)), fields, target, edit: true, columns: 1);
            }

            writer.WriteNull("miniIconUrl");
            writer.WriteString("name", action.Name);
            WriteNullable(writer, "targetParentField", obj is null || target is null ? null : ParentField(target, obj)?.Name);
            writer.WriteNull("targetRecordTypeId");
            writer.WriteString("targetSobjectType", action.TargetSObjectType);
            writer.WriteString("type", action.Type);
            WriteUrls(writer, url, action);
            writer.WriteNull("visualforcePageName");
            writer.WriteNull("width");
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>GET .../quickActions/{name}/defaultValues[/{contextId}]</c>: a record of the target object with the defaults the
    /// action fills in (its picklist defaults, a logged call's Completed status and Call type) and, with a context
    /// record, the parent field (WhoId or WhatId) set to it.
    /// </summary>
    private static EmulatorResponse DefaultValues(RequestContext context)
    {
        var (obj, _, action) = Require(context);
        var target = context.Org.Schema.Find(action.TargetSObjectType);
        var contextId = context.Optional("contextId");
        if (contextId is not null && (!RecordIds.IsValid(contextId) || context.Org.Find(contextId) is null))
        {
            throw ApiException.NotFound();
        }

        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("attributes");
            writer.WriteString("type", action.TargetSObjectType);
            writer.WriteEndObject();
            if (target is not null)
            {
                foreach (var field in action.Fields.Select(target.Field).OfType<FieldDefinition>())
                {
                    if (field.DefaultValue is string value)
                    {
                        writer.WriteString(field.Name, value);
                    }
                }

                if (action.Name == "LogACall")
                {
                    writer.WriteString("Status", "Completed");
                    writer.WriteString("TaskSubtype", "Call");
                }

                if (contextId is not null && obj is not null && ParentField(target, obj) is { } parent)
                {
                    writer.WriteString(parent.Name, RecordIds.Normalize(contextId));
                }
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>The field of an activity that points at the context object: WhoId for contacts and leads, else WhatId.</summary>
    private static FieldDefinition? ParentField(ObjectSchema target, ObjectSchema obj) =>
        new[] { target.Field("WhoId"), target.Field("WhatId") }.OfType<FieldDefinition>()
            .FirstOrDefault(f => f.ReferenceTo.Contains(obj.Name, StringComparer.OrdinalIgnoreCase));

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}

/// <summary>A standard quick action: its API name, label, type, target object and layout fields.</summary>
internal sealed record QuickAction(string Name, string Label, string Type, string TargetSObjectType, IReadOnlyList<string> Fields);
