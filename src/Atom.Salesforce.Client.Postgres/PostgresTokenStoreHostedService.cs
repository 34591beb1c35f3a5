using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Postgres.Migrations;
using Atom.Salesforce.Client.Postgres.Telemetry;
using Atom.Salesforce.Client.Postgres.Usage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Postgres;

/// <summary>
/// Runs the migrations at start when <see cref="PostgresTokenStoreOptions.MigrateOnStart"/> says so, then writes the usage
/// counters (and any refreshed token a database failure left in memory) every
/// <see cref="PostgresTokenStoreOptions.UsageFlushInterval"/>, and once more at shutdown.
/// </summary>
internal sealed class PostgresTokenStoreHostedService(
    PostgresTokenStoreMigrator migrator,
    PostgresTokenStore store,
    PostgresUsageRecorder usage,
    IOptionsMonitor<PostgresTokenStoreOptions> options,
    TimeProvider timeProvider,
    ILogger<PostgresTokenStoreHostedService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.CurrentValue.MigrateOnStart)
        {
            await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.UsageFlushInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync writes what is left.
        }
    }

    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.FlushPendingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceException e)
        {
            Log.PendingFlushFailed(logger, e);
        }

        try
        {
            await usage.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceException e)
        {
            Log.UsageFlushFailed(logger, e);
        }
    }
}
