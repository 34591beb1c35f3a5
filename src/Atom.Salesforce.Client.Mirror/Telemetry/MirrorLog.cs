using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Mirror.Telemetry;

/// <summary>Every log line of the PostgreSQL mirror (event ids 71xx). Messages name schemas, objects, fields and counts; never a token or a connection string.</summary>
internal static partial class MirrorLog
{
    [LoggerMessage(7101, LogLevel.Information, "This instance is now the writer of mirror schema {Schema}.")]
    public static partial void WriterLockTaken(ILogger logger, string schema);

    [LoggerMessage(7102, LogLevel.Warning, "The writer lock of mirror schema {Schema} was lost; writing stops until it is taken again.")]
    public static partial void WriterLockLost(ILogger logger, string schema, Exception? exception);

    [LoggerMessage(7103, LogLevel.Debug, "Another instance writes mirror schema {Schema}; this one stands by.")]
    public static partial void StandingBy(ILogger logger, string schema);

    [LoggerMessage(7104, LogLevel.Information, "Added column {Column} to mirror table {Schema}.{Table} (new field in describe).")]
    public static partial void ColumnAdded(ILogger logger, string schema, string table, string column);

    [LoggerMessage(7105, LogLevel.Warning, "Field {Object}.{Field} changed type from {Before} to {After}: its mirror column keeps its data and now holds text.")]
    public static partial void TypeChanged(ILogger logger, string @object, string field, string before, string after);

    [LoggerMessage(7106, LogLevel.Information, "Field {Object}.{Field} is no longer in describe: its mirror column is kept and stops updating.")]
    public static partial void FieldRemoved(ILogger logger, string @object, string field);

    [LoggerMessage(7107, LogLevel.Information, "Loaded {Object} into the mirror: {Rows} rows in {Pages} pages (Bulk API 2.0 job {JobId}).")]
    public static partial void Loaded(ILogger logger, string @object, long rows, int pages, string jobId);

    [LoggerMessage(7108, LogLevel.Information, "Resuming the load of {Object} after page {Pages} of Bulk API 2.0 job {JobId}.")]
    public static partial void LoadResumed(ILogger logger, string @object, int pages, string jobId);

    [LoggerMessage(7109, LogLevel.Warning, "A {ChangeType} change event for {Object} made the mirror read {Count} record(s) again.")]
    public static partial void Reread(ILogger logger, string changeType, string @object, int count);

    [LoggerMessage(7110, LogLevel.Warning, "An overflow change event for {Object}: the mirror reloads the whole table.")]
    public static partial void Overflow(ILogger logger, string @object);

    [LoggerMessage(7111, LogLevel.Information, "{Object} has no change events for the integration login ({Reason}); the mirror polls it.")]
    public static partial void Polling(ILogger logger, string @object, string reason);

    [LoggerMessage(7112, LogLevel.Error, "The mirror writer of schema {Schema} failed; it starts again.")]
    public static partial void WriterFailed(ILogger logger, string schema, Exception exception);

    [LoggerMessage(7113, LogLevel.Warning, "getDeleted is not available for {Object}; the mirror compared ids instead.")]
    public static partial void DeletedByIds(ILogger logger, string @object, Exception exception);

    [LoggerMessage(7114, LogLevel.Information, "Describe of {Object} changed while the mirror ran; the writer brings its table in line and follows again.")]
    public static partial void SchemaChanged(ILogger logger, string @object);

    [LoggerMessage(7115, LogLevel.Information, "Backfilled {Fields} of {Object} (new columns): {Rows} rows read through Bulk API 2.0.")]
    public static partial void Backfilled(ILogger logger, string @object, string fields, long rows);

    [LoggerMessage(7116, LogLevel.Warning, "Could not read describe of {Object} again; the mirror tries at its next check.")]
    public static partial void DescribeFailed(ILogger logger, string @object, Exception exception);
}
