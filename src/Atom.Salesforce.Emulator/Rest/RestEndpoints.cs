using System.Globalization;
using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Json;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Rest;

/// <summary>The REST resources under <c>/services/data</c>: versions, resources, limits, describe and record CRUD.</summary>
internal static class RestEndpoints
{
    private const string Data = "/services/data/{version}";

    public static void Map(Router router)
    {
        router.Map("GET", "/services/data", Versions, anonymous: true);
        router.Map("GET", Data, Resources);
        router.Map("GET", Data + "/limits", Limits);
        router.Map("GET", Data + "/limits/recordCount", RecordCount);
        router.Map("GET", Data + "/sobjects", DescribeGlobal);
        router.Map("GET", Data + "/sobjects/{type}", BasicInfo);
        router.Map("POST", Data + "/sobjects/{type}", Create);
        router.Map("GET", Data + "/sobjects/{type}/describe", Describe);
        router.Map("GET", Data + "/sobjects/{type}/updated", Updated);
        router.Map("GET", Data + "/sobjects/{type}/deleted", Deleted);
        router.Map("GET", Data + "/sobjects/{type}/describe/{part}", DescribePart);
        router.Map("GET", Data + "/sobjects/{type}/{id}", Retrieve);
        router.Map("PATCH", Data + "/sobjects/{type}/{id}", Update);
        router.Map("DELETE", Data + "/sobjects/{type}/{id}", Delete);
        router.Map("POST", Data + "/sobjects/{type}/{id}", CreateById);
        router.Map("GET", Data + "/sobjects/{type}/{field}/{value}", RetrieveByExternalId);
        router.Map("PATCH", Data + "/sobjects/{type}/{field}/{value}", Upsert);
    }

    /// <summary>The release name of a version: 66.0 is Spring '26, 65.0 Winter '26, 64.0 Summer '25 (three a year).</summary>
    public static string ReleaseLabel(decimal version)
    {
        var v = (int)version;
        return (v % 3) switch
        {
            0 => $"Spring '{26 - ((66 - v) / 3):D2}",
            2 => $"Winter '{26 - ((66 - (v + 1)) / 3):D2}",
            _ => $"Summer '{26 - ((66 - (v + 2)) / 3) - 1:D2}",
        };
    }

    private static EmulatorResponse Versions(RequestContext context) => EmulatorResponse.Json(200, writer =>
    {
        writer.WriteStartArray();
        for (var version = ApiVersions.Oldest; version <= ApiVersions.Latest; version++)
        {
            writer.WriteStartObject();
            writer.WriteString("label", ReleaseLabel(version));
            writer.WriteString("url", $"/services/data/v{version:0.0}");
            writer.WriteString("version", version.ToString("0.0", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    /// <summary>The resources of the version directory, in Salesforce's order.</summary>
    private static readonly string[] DirectoryResources = ["queryAll", "search", "identity", "composite", "limits", "query", "quickActions", "compactLayouts", "sobjects"];

    private static EmulatorResponse Resources(RequestContext context) => EmulatorResponse.Json(200, writer =>
    {
        writer.WriteStartObject();
        // Salesforce's directory (RESTMD resources_discoveryresource) names every resource of the org; the emulator
        // names only those it answers, so a client that follows the directory never meets a 404. Bulk 2.0 (jobs/ingest,
        // jobs/query) answers too, but Salesforce's directory has no "jobs" entry to name it by.
        foreach (var resource in DirectoryResources)
        {
            writer.WriteString(resource, resource == "identity" ? $"{context.Host.InstanceUrl.ToString().TrimEnd('/')}/id/{Org.OrganizationId}/{context.UserId}" : $"{context.VersionPath}/{resource}");
        }

        writer.WriteEndObject();
    });

    /// <summary>
    /// <c>/sobjects/{type}/describe/{part}</c> for a describe part the emulator does not serve (<c>namedLayouts</c>,
    /// <c>searchLayouts</c>, ...): Salesforce's 404 for a resource it does not have (<c>NOT_FOUND</c>, "The requested
    /// resource does not exist"), not the external-id route's message. (<c>/describe/approvalLayouts</c> and list views
    /// are served by <see cref="ListViewEndpoints"/>, page and compact layouts by <see cref="LayoutEndpoints"/>, quick
    /// actions by <see cref="QuickActionEndpoints"/>.)
    /// </summary>
    private static EmulatorResponse DescribePart(RequestContext context)
    {
        context.Org.RequireObject(context["type"]);
        throw ApiException.NotFound();
    }

    private static EmulatorResponse Limits(RequestContext context) => EmulatorResponse.Json(200, writer =>
    {
        var usage = context.Host.Usage;
        writer.WriteStartObject();
        void Limit(string name, int max, int remaining)
        {
            writer.WriteStartObject(name);
            writer.WriteNumber("Max", max);
            writer.WriteNumber("Remaining", remaining);
            writer.WriteEndObject();
        }

        Limit("ConcurrentAsyncGetReportInstances", 200, 200);
        Limit("ConcurrentSyncReportRuns", 20, 20);
        Limit("DailyApiRequests", usage.Limit, Math.Max(0, usage.Limit - usage.Used));
        Limit("DailyAsyncApexExecutions", 250000, 250000);
        Limit("DailyBulkApiBatches", 15000, 15000);
        Limit("DailyBulkV2QueryFileStorageMB", 976562, 976562);
        Limit("DailyBulkV2QueryJobs", 10000, 10000);
        Limit("DataStorageMB", 1024, 1024);
        Limit("FileStorageMB", 1024, 1024);
        Limit("HourlyTimeBasedWorkflow", 50, 50);
        Limit("SingleEmail", 5000, 5000);
        writer.WriteEndObject();
    });

    /// <summary>
    /// <c>GET /limits/recordCount?sObjects=A,B</c> (RESTMD resources_record_count, API 40.0 and later; the Salesforce CLI's
    /// <c>sf org list sobject record-counts</c>): <c>{"sObjects":[{"count":3,"name":"Account"}]}</c>. A listed object the
    /// org does not have is left out; without a list, every object. Records in the recycle bin are not counted, nor
    /// associated objects (History, Share, Feed, ChangeEvent). Salesforce's counts are a snapshot refreshed now and
    /// then; the emulator's are exact, which is one of the values Salesforce may answer.
    /// </summary>
    private static EmulatorResponse RecordCount(RequestContext context)
    {
        if (context.ApiVersion < 40.0m)
        {
            throw ApiException.NotFound();
        }

        var listed = context.Request.QueryValue("sObjects") is { Length: > 0 } names
            ? names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(context.Org.Schema.Find).OfType<ObjectSchema>().Distinct()
            : context.Org.Schema.Objects.Where(o => !IsAssociatedObject(o.Name));
        var counts = listed.Select(o => (o.Name, Count: context.Org.CountLive(o))).ToList();
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("sObjects");
            foreach (var (name, count) in counts)
            {
                writer.WriteStartObject();
                writer.WriteNumber("count", count);
                writer.WriteString("name", name);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static bool IsAssociatedObject(string name) =>
        name.EndsWith("History", StringComparison.Ordinal) || name.EndsWith("Share", StringComparison.Ordinal)
        || name.EndsWith("Feed", StringComparison.Ordinal) || name.EndsWith("ChangeEvent", StringComparison.Ordinal);

    private static EmulatorResponse DescribeGlobal(RequestContext context)
    {
        if (NotModifiedSince(context))
        {
            return EmulatorResponse.Empty(304);
        }

        return EmulatorResponse.Json(200, writer => DescribeJson.WriteGlobal(writer, context.VersionPath, context.Org.Schema.Objects));
    }

    private static EmulatorResponse BasicInfo(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("objectDescribe");
            DescribeJson.WriteSummary(writer, context.VersionPath, obj);
            writer.WriteEndObject();
            writer.WriteStartArray("recentItems");
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static EmulatorResponse Describe(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        if (NotModifiedSince(context))
        {
            return EmulatorResponse.Empty(304);
        }

        return EmulatorResponse.Json(200, writer => DescribeJson.WriteDescribe(writer, context.VersionPath, obj));
    }

    /// <summary>The schema never changes after the org starts: anything asked about since then is not modified.</summary>
    private static bool NotModifiedSince(RequestContext context) =>
        context.Request.Header("If-Modified-Since") is { } since
        && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
        && when >= context.Host.StartedAt;

    private static EmulatorResponse Create(RequestContext context)
    {
        if (context.Host.PubSub.PublishPlatformEvent(context["type"], context.Request.ReadJson(), context.UserId ?? context.Org.AdminUserId) is { } published)
        {
            // Salesforce's answer to a platform event: success, with the event's UUID in an OPERATION_ENQUEUED status.
            return EmulatorResponse.Json(201, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("id", published.Id);
                writer.WriteBoolean("success", true);
                writer.WriteStartArray("errors");
                writer.WriteStartObject();
                writer.WriteString("statusCode", "OPERATION_ENQUEUED");
                writer.WriteString("message", published.Uuid);
                writer.WriteStartArray("fields");
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
        }

        var obj = context.Org.RequireObject(context["type"]);
        var values = FieldValues.FromJson(obj, context.Request.ReadJson());
        var id = context.Org.Create(obj, values);
        return SaveResult(201, id, created: null);
    }

    private static EmulatorResponse CreateById(RequestContext context)
    {
        // POST /sobjects/{type}/Id (37.0+): upsert on Id with no value, which simply creates.
        if (!context["id"].Equals("Id", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(405, "METHOD_NOT_ALLOWED", "HTTP Method 'POST' not allowed. Allowed are HEAD,GET,PATCH,DELETE");
        }

        var obj = context.Org.RequireObject(context["type"]);
        var id = context.Org.Create(obj, FieldValues.FromJson(obj, context.Request.ReadJson()));
        return SaveResult(201, id, created: true);
    }

    private static EmulatorResponse Retrieve(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        var record = Existing(context.Org, obj, context["id"]);
        var fields = RequestedFields(obj, context.Request.QueryValue("fields"));
        return EmulatorResponse.Json(200, writer => RecordJson.Write(writer, context.VersionPath, record, fields));
    }

    private static EmulatorResponse Update(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        context.Org.Update(obj, context["id"], FieldValues.FromJson(obj, context.Request.ReadJson()));
        return EmulatorResponse.Empty();
    }

    private static EmulatorResponse Delete(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        context.Org.Delete(obj, context["id"]);
        return EmulatorResponse.Empty();
    }

    private static EmulatorResponse RetrieveByExternalId(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        var matches = ExternalIdMatches(context, obj);
        return matches.Count switch
        {
            0 => EmulatorResponse.Error(ApiException.NotFound()),
            1 => EmulatorResponse.Json(200, writer => RecordJson.Write(writer, context.VersionPath, matches[0], RequestedFields(obj, context.Request.QueryValue("fields")))),
            _ => MultipleChoices(context, matches),
        };
    }

    private static EmulatorResponse Upsert(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        var field = ExternalIdField(obj, context["field"]);
        var values = FieldValues.FromJson(obj, context.Request.ReadJson());
        lock (context.Org.SyncRoot)
        {
            var matches = ExternalIdMatches(context, obj);
            switch (matches.Count)
            {
                case 0:
                    if (string.Equals(context.Request.QueryValue("updateOnly"), "true", StringComparison.OrdinalIgnoreCase))
                    {
                        throw ApiException.NotFound();
                    }

                    values[field.Name] = ExternalIdValue(field, context["value"]);
                    return SaveResult(201, context.Org.Create(obj, values), created: true);
                case 1:
                    values.Remove(field.Name);
                    context.Org.Update(obj, matches[0].Id, values);
                    return context.ApiVersion <= 45.0m ? EmulatorResponse.Empty() : SaveResult(200, matches[0].Id, created: false);
                default:
                    return MultipleChoices(context, matches);
            }
        }
    }

    private static IReadOnlyList<StoredRecord> ExternalIdMatches(RequestContext context, ObjectSchema obj)
    {
        var field = ExternalIdField(obj, context["field"]);
        return context.Org.FindBy(obj, field, ExternalIdValue(field, context["value"]));
    }

    private static FieldDefinition ExternalIdField(ObjectSchema obj, string name)
    {
        var field = obj.Field(name);
        return field is not null && (field.ExternalId || field.Type == FieldType.Id)
            ? field
            : throw new ApiException(404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {name}");
    }

    private static object ExternalIdValue(FieldDefinition field, string value) =>
        field.Type is FieldType.Id
            ? value
            : FieldValues.FromJson(field, JsonSerializer.SerializeToElement(value)) ?? value;

    private static EmulatorResponse MultipleChoices(RequestContext context, IReadOnlyList<StoredRecord> matches) => EmulatorResponse.Json(300, writer =>
    {
        writer.WriteStartArray();
        foreach (var match in matches)
        {
            writer.WriteStringValue(RecordJson.Url(context.VersionPath, match));
        }

        writer.WriteEndArray();
    });

    private static EmulatorResponse Updated(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        var (start, end) = ReplicationWindow(context);
        var ids = context.Org.UpdatedIds(obj, start, Reported(context, end));
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("ids");
            foreach (var id in ids)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
            writer.WriteString("latestDateCovered", FieldValues.FormatDateTime(LatestCovered(context, end)));
            writer.WriteEndObject();
        });
    }

    private static EmulatorResponse Deleted(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        var (start, end) = ReplicationWindow(context);
        var deleted = context.Org.DeletedRecords(obj, start, Reported(context, end));
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("deletedRecords");
            foreach (var record in deleted)
            {
                writer.WriteStartObject();
                writer.WriteString("id", record.Id);
                writer.WriteString("deletedDate", FieldValues.FormatDateTime(record.DeletedDate!.Value));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("earliestDateAvailable", FieldValues.FormatDateTime(context.Host.StartedAt));
            writer.WriteString("latestDateCovered", FieldValues.FormatDateTime(LatestCovered(context, end)));
            writer.WriteEndObject();
        });
    }

    /// <summary>getUpdated / getDeleted cover whole minutes up to the end, never past now (less the replication lag).</summary>
    private static DateTimeOffset LatestCovered(RequestContext context, DateTimeOffset end)
    {
        var latest = Reported(context, end);
        return new DateTimeOffset(latest.Ticks - (latest.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    /// <summary>Changes before this instant are reported: the end of the window, now, or now less the replication lag, whichever is first.</summary>
    private static DateTimeOffset Reported(RequestContext context, DateTimeOffset end)
    {
        var now = context.Org.Now - context.Org.ReplicationLag;
        return end < now ? end : now;
    }

    private static (DateTimeOffset Start, DateTimeOffset End) ReplicationWindow(RequestContext context)
    {
        if (!FieldValues.TryParseDateTime(context.Request.QueryValue("start") ?? string.Empty, out var start)
            || !FieldValues.TryParseDateTime(context.Request.QueryValue("end") ?? string.Empty, out var end))
        {
            throw new ApiException(400, "MALFORMED_QUERY", "start and end must be dateTimes such as 2024-01-31T10:00:00+00:00");
        }

        if (end <= start)
        {
            throw new ApiException(400, "INVALID_REPLICATION_DATE", "end date must be after start date");
        }

        if (end - start > TimeSpan.FromDays(30))
        {
            throw new ApiException(400, "EXCEEDED_ID_LIMIT", "the date range must not exceed 30 days");
        }

        return (start, end);
    }

    private static StoredRecord Existing(Org org, ObjectSchema obj, string id)
    {
        var record = org.Find(id);
        if (record is null || record.Schema != obj)
        {
            if (RecordIds.IsValid(id) && !id.StartsWith(obj.KeyPrefix, StringComparison.Ordinal))
            {
                throw new ApiException(400, "MALFORMED_ID", $"{obj.Label} ID: id value of incorrect type: {id}", "Id");
            }

            throw RecordIds.IsValid(id)
                ? ApiException.NotFound()
                : new ApiException(404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {id}");
        }

        return record.IsDeleted ? throw new ApiException(404, "ENTITY_IS_DELETED", "entity is deleted") : record;
    }

    private static List<string>? RequestedFields(ObjectSchema obj, string? fields)
    {
        if (string.IsNullOrWhiteSpace(fields))
        {
            return null;
        }

        var names = new List<string>();
        foreach (var name in fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var field = obj.Field(name) ?? throw ApiException.InvalidField(
                $"No such column '{name}' on entity '{obj.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
            names.Add(field.Name);
        }

        return names;
    }

    private static EmulatorResponse SaveResult(int status, string id, bool? created) => EmulatorResponse.Json(status, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteBoolean("success", true);
        writer.WriteStartArray("errors");
        writer.WriteEndArray();
        if (created is { } value)
        {
            writer.WriteBoolean("created", value);
        }

        writer.WriteEndObject();
    });
}
