using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;

namespace Atom.Salesforce.Emulator.Faults;

/// <summary>
/// The emulator's own control plane, outside Salesforce's paths: inject faults (<c>/__emulator/faults</c>) and read the
/// request log and counters (<c>/__emulator/stats</c>). No session is needed and nothing here counts as an API call.
/// </summary>
internal sealed class ControlEndpoints(FaultInjector faults, RequestLog log)
{
    public void Map(Router router)
    {
        router.Map("POST", "/__emulator/faults", AddFault, anonymous: true);
        router.Map("GET", "/__emulator/faults", ListFaults, anonymous: true);
        router.Map("DELETE", "/__emulator/faults", ClearFaults, anonymous: true);
        router.Map("GET", "/__emulator/stats", Stats, anonymous: true);
        router.Map("DELETE", "/__emulator/stats", ClearStats, anonymous: true);
    }

    private EmulatorResponse AddFault(RequestContext context)
    {
        var body = context.Request.ReadJson();
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("kind", out var kindElement)
            || !Enum.TryParse<FaultKind>(kindElement.GetString(), ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            throw new ApiException(400, "INVALID_FAULT", "A fault needs \"kind\": rateLimit, unavailable, unableToLockRow, dropConnection, latency or dropResponse.");
        }

        var fault = new EmulatorFault(kind, body.TryGetProperty("path", out var path) ? path.GetString() ?? "*" : "*")
        {
            Method = body.TryGetProperty("method", out var method) ? method.GetString() : null,
            Count = body.TryGetProperty("count", out var count) ? count.GetInt32() : 1,
            Skip = body.TryGetProperty("skip", out var skip) ? skip.GetInt32() : 0,
            RetryAfter = body.TryGetProperty("retryAfterSeconds", out var retry) ? TimeSpan.FromSeconds(retry.GetDouble()) : TimeSpan.FromSeconds(1),
            Latency = body.TryGetProperty("latencyMs", out var latency) ? TimeSpan.FromMilliseconds(latency.GetDouble()) : TimeSpan.FromMilliseconds(500),
        };
        if (fault.Count < 1)
        {
            throw new ApiException(400, "INVALID_FAULT", "\"count\" must be at least 1.");
        }

        if (fault.Skip < 0)
        {
            throw new ApiException(400, "INVALID_FAULT", "\"skip\" must not be negative.");
        }

        faults.Add(fault);
        return EmulatorResponse.Json(201, writer => Write(writer, fault, fault.Count));
    }

    private EmulatorResponse ListFaults(RequestContext context) => EmulatorResponse.Json(200, writer =>
    {
        writer.WriteStartArray();
        foreach (var (fault, remaining) in faults.Pending())
        {
            Write(writer, fault, remaining);
        }

        writer.WriteEndArray();
    });

    private EmulatorResponse ClearFaults(RequestContext context)
    {
        faults.Clear();
        return EmulatorResponse.Empty();
    }

    private EmulatorResponse Stats(RequestContext context)
    {
        var (total, injected, byRoute, byStatus, recent) = log.Snapshot();
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("requests", total);
            writer.WriteNumber("faultsInjected", injected);
            writer.WriteNumber("apiUsage", context.Host.Usage.Used);
            writer.WriteNumber("apiLimit", context.Host.Usage.Limit);
            writer.WriteStartObject("byRoute");
            foreach (var (route, n) in byRoute.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteNumber(route, n);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("byStatus");
            foreach (var (status, n) in byStatus.OrderBy(p => p.Key))
            {
                writer.WriteNumber(status.ToString(System.Globalization.CultureInfo.InvariantCulture), n);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("recent");
            foreach (var request in recent)
            {
                writer.WriteStartObject();
                writer.WriteString("at", FieldValues.FormatDateTime(request.At));
                writer.WriteString("method", request.Method);
                writer.WriteString("path", request.Path);
                writer.WriteNumber("status", request.Status);
                writer.WriteNumber("durationMs", Math.Round(request.DurationMs, 3));
                if (request.Fault is { } fault)
                {
                    writer.WriteString("fault", fault);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private EmulatorResponse ClearStats(RequestContext context)
    {
        log.Clear();
        return EmulatorResponse.Empty();
    }

    private static void Write(Utf8JsonWriter writer, EmulatorFault fault, int remaining)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", JsonNamingPolicy.CamelCase.ConvertName(fault.Kind.ToString()));
        writer.WriteString("path", fault.Path);
        if (fault.Method is { } method)
        {
            writer.WriteString("method", method);
        }

        if (fault.Skip > 0)
        {
            writer.WriteNumber("skip", fault.Skip);
        }

        writer.WriteNumber("remaining", remaining);
        writer.WriteEndObject();
    }
}
