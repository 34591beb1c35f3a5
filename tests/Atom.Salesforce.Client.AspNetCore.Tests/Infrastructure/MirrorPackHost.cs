using Atom.Salesforce.Client.Mirror;
using Atom.Salesforce.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

/// <summary>
/// The pack with <c>AnalyticsFromMirror</c> on a mirror of the emulated org (the mirror's default objects, integration login
/// <see cref="PackHost.Alice"/>, its own schema, no change events, no writer running until <see cref="LoadOnceAsync"/>).
/// </summary>
internal static class MirrorPackHost
{
    public static Task<PackHost> StartAsync(SalesforceEmulator emulator, string schema) =>
        PackHost.StartAsync(
            o => o.AnalyticsFromMirror = true,
            emulator,
            salesforce: b => b.AddAtomSalesforceMirror(o =>
            {
                o.ConnectionString = PackHost.ServerConnectionString;
                o.UserId = PackHost.Alice;
                o.Schema = schema;
                o.UseChangeEvents = false;
                o.RunWriter = false;
            }));

    /// <summary>Runs the mirror's writer until every table is loaded, then stops it.</summary>
    public static async Task<SalesforceMirror> LoadOnceAsync(PackHost host, CancellationToken cancellationToken)
    {
        var mirror = host.Services.GetRequiredService<SalesforceMirror>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = mirror.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (await mirror.GetStatusAsync(cancellationToken) is var status && !(status.Count > 0 && status.All(s => s.Phase == "loaded")))
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the mirror's initial load.");
            await Task.Delay(200, cancellationToken);
        }

        await stop.CancelAsync();
        await writer;
        return mirror;
    }

    public static async Task DropSchemaAsync(string schema)
    {
        await using var admin = NpgsqlDataSource.Create(PackHost.ServerConnectionString);
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
