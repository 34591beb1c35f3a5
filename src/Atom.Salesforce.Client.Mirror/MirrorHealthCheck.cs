using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Atom.Salesforce.Client.Mirror;

/// <summary>
/// The mirror's freshness as a health check: healthy when every table is loaded and was known current within
/// <see cref="MirrorOptions.MaxStaleness"/>; degraded while an initial load is under way (or before the writer first ran);
/// unhealthy when a loaded table is staler than that. The data holds each table's last change, lag and last sync.
/// </summary>
public sealed class MirrorHealthCheck : IHealthCheck
{
    private readonly SalesforceMirror _mirror;
    private readonly MirrorOptions _options;
    private readonly TimeProvider _time;

    internal MirrorHealthCheck(SalesforceMirror mirror, MirrorOptions options, TimeProvider time)
    {
        _mirror = mirror;
        _options = options;
        _time = time;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<MirrorTableStatus> tables;
        try
        {
            tables = await _mirror.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HealthCheckResult(context?.Registration.FailureStatus ?? HealthStatus.Unhealthy, "The mirror's state could not be read.", e);
        }

        var now = _time.GetUtcNow();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            data[table.ObjectName] = $"{table.Phase}, {table.Mode}; last change {Format(table.LastChangeAt)}, lag {table.Lag?.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} s, synced {Format(table.LastSyncedAt)}";
        }

        var stale = tables.Where(t => t.Phase == "loaded" && (t.LastSyncedAt is not { } synced || now - synced > _options.MaxStaleness)).Select(t => t.ObjectName).ToList();
        if (stale.Count > 0)
        {
            return new HealthCheckResult(context?.Registration.FailureStatus ?? HealthStatus.Unhealthy, $"Mirror tables staler than {_options.MaxStaleness}: {string.Join(", ", stale)}.", data: data);
        }

        var loading = tables.Where(t => t.Phase != "loaded").Select(t => t.ObjectName).ToList();
        if (tables.Count == 0 || loading.Count > 0)
        {
            return HealthCheckResult.Degraded(tables.Count == 0 ? "The mirror has not been loaded yet." : $"Initial load under way: {string.Join(", ", loading)}.", data: data);
        }

        return HealthCheckResult.Healthy($"{tables.Count} mirror tables current.", data);
    }

    private static string Format(DateTimeOffset? at) => at?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
