using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Emulator;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

/// <summary>What the emulated org served, from its <c>/__emulator/stats</c> control route (which itself is not counted).</summary>
internal static class EmulatorStats
{
    private static readonly Uri Stats = new("/__emulator/stats", UriKind.Relative);

    /// <summary>Starts counting requests again.</summary>
    public static async Task ClearAsync(SalesforceEmulator emulator, CancellationToken cancellationToken)
    {
        using var http = Client(emulator);
        using var response = await http.DeleteAsync(Stats, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Requests the org served since the stats were cleared, the emulator's own control routes left out.</summary>
    public static async Task<int> SalesforceRequestsAsync(SalesforceEmulator emulator, CancellationToken cancellationToken)
    {
        var stats = await ReadAsync(emulator, cancellationToken);
        return stats.GetProperty("byRoute").EnumerateObject().Where(r => !r.Name.Contains("/__emulator/", StringComparison.Ordinal)).Sum(r => r.Value.GetInt32());
    }

    /// <summary>The org's API usage (the emulator's count of the API calls it served, what <c>/limits</c> reports as used).</summary>
    public static async Task<int> ApiUsageAsync(SalesforceEmulator emulator, CancellationToken cancellationToken) =>
        (await ReadAsync(emulator, cancellationToken)).GetProperty("apiUsage").GetInt32();

    private static async Task<JsonElement> ReadAsync(SalesforceEmulator emulator, CancellationToken cancellationToken)
    {
        using var http = Client(emulator);
        return await http.GetFromJsonAsync<JsonElement>(Stats, cancellationToken);
    }

    private static HttpClient Client(SalesforceEmulator emulator) => new(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
}
