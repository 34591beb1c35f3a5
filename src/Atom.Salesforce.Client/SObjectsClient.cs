using System.Globalization;
using System.Net;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client;

/// <summary>
/// Single records: create, read, update, delete, upsert by external id, describe, and the ids changed or deleted in a
/// window. Get one from <see cref="SalesforceClient.SObjects"/>. Records are your POCOs or <see cref="SObject"/>.
/// </summary>
public class SObjectsClient
{
    private readonly SalesforceConnection _connection = null!;
    private CollectionsClient? _collections;
    private BulkClient? _bulk;

    /// <summary>For mocking only.</summary>
    protected SObjectsClient()
    {
    }

    internal SObjectsClient(SalesforceConnection connection) => _connection = connection;

    /// <summary>Creates a record and returns its id.</summary>
    /// <param name="sObjectType">The sObject API name, for example <c>Account</c>.</param>
    /// <param name="record">The fields to set. POCO properties that are null are not sent.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<string> CreateAsync<T>(string sObjectType, T record, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(record);
        var connection = _connection;
        return connection.RunAsync(
            "SObjectsClient.Create", connection.SObjects.Create(connection.Version, sObjectType, connection.JsonBody(record)), NewIdReader.Instance,
            write: true, sObjectType, cancellationToken);
    }

    /// <summary>Reads a record by id.</summary>
    /// <param name="sObjectType">The sObject API name.</param>
    /// <param name="id">The 15- or 18-character record id.</param>
    /// <param name="fields">The fields to read; all readable fields when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SalesforceApiException">404 <c>NOT_FOUND</c> when no such record exists.</exception>
    public virtual Task<T> GetAsync<T>(string sObjectType, string id, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        RecordNames.ThrowIfInvalidId(id, nameof(id));
        var fieldList = NullIfEmpty(RecordNames.JoinFields(fields, nameof(fields)));
        var connection = _connection;
        return connection.RunAsync(
            "SObjectsClient.Get", connection.SObjects.Get(connection.Version, sObjectType, id, fieldList),
            JsonResponseReader<T>.For(connection.Serializer.ReadInfo<T>()), write: false, sObjectType: null, cancellationToken);
    }

    /// <summary>
    /// Updates the fields present in <paramref name="record"/>. With <see cref="SObject"/>, a field set to null is cleared and a
    /// field not set is left alone; with a POCO, null properties are left alone (mark a property
    /// <c>[JsonIgnore(Condition = JsonIgnoreCondition.Never)]</c> to send its null). The id and system fields are never sent.
    /// </summary>
    public virtual Task UpdateAsync<T>(string sObjectType, string id, T record, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        RecordNames.ThrowIfInvalidId(id, nameof(id));
        ArgumentNullException.ThrowIfNull(record);
        var connection = _connection;
        return connection.RunAsync(
            "SObjectsClient.Update", connection.SObjects.Update(connection.Version, sObjectType, id, connection.JsonBody(record)), NoContentReader.Instance,
            write: true, sObjectType, cancellationToken);
    }

    /// <summary>Deletes a record (it goes to the recycle bin).</summary>
    public virtual Task DeleteAsync(string sObjectType, string id, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        RecordNames.ThrowIfInvalidId(id, nameof(id));
        var connection = _connection;
        return connection.RunAsync(
            "SObjectsClient.Delete", connection.SObjects.Delete(connection.Version, sObjectType, id), NoContentReader.Instance,
            write: true, sObjectType, cancellationToken);
    }

    /// <summary>
    /// Creates the record whose external id field holds <paramref name="externalId"/>, or updates it when exactly one matches.
    /// The value travels as one URL path segment, whatever characters it holds.
    /// </summary>
    /// <exception cref="SalesforceMultipleMatchesException">Several records match; nothing was written.</exception>
    public virtual Task<UpsertResult> UpsertAsync<T>(
        string sObjectType, string externalIdField, string externalId, T record, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        RecordNames.ThrowIfInvalidName(externalIdField, nameof(externalIdField));
        ArgumentException.ThrowIfNullOrEmpty(externalId);
        ArgumentNullException.ThrowIfNull(record);
        var connection = _connection;
        return connection.RunAsync(
            "SObjectsClient.Upsert", connection.SObjects.Upsert(connection.Version, sObjectType, externalIdField, externalId, connection.JsonBody(record)),
            UpsertReader.Instance, write: true, sObjectType, cancellationToken);
    }

    /// <summary>Reads the record whose external id field holds <paramref name="externalId"/>.</summary>
    /// <exception cref="SalesforceMultipleMatchesException">Several records match.</exception>
    public virtual Task<T> GetByExternalIdAsync<T>(
        string sObjectType, string externalIdField, string externalId, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        RecordNames.ThrowIfInvalidName(externalIdField, nameof(externalIdField));
        ArgumentException.ThrowIfNullOrEmpty(externalId);
        var fieldList = NullIfEmpty(RecordNames.JoinFields(fields, nameof(fields)));
        var connection = _connection;
        return connection.RunAsync(
            "SObjectsClient.GetByExternalId", connection.SObjects.GetByExternalId(connection.Version, sObjectType, externalIdField, externalId, fieldList),
            JsonResponseReader<T>.For(connection.Serializer.ReadInfo<T>()), write: false, sObjectType: null, cancellationToken);
    }

    /// <summary>
    /// Lists the org's sObject types. With <paramref name="ifModifiedSince"/>, returns null when nothing changed since then
    /// (Salesforce answers 304 and the call is cheap). Without it, and with caching registered, the list comes from the cache
    /// (per user, <see cref="Caching.SalesforceCacheOptions.DescribeGlobalDuration"/>, then revalidated with If-Modified-Since
    /// up to <see cref="Caching.SalesforceCacheOptions.DescribeRetention"/>); concurrent callers share one call.
    /// </summary>
    public virtual Task<DescribeGlobalResult?> DescribeGlobalAsync(DateTimeOffset? ifModifiedSince = null, CancellationToken cancellationToken = default)
    {
        if (ifModifiedSince is null && _connection.Cache is { } cache)
        {
            return CachedAsync(cache, cancellationToken);
        }

        return DescribeGlobalUncachedAsync(ifModifiedSince, cancellationToken);

        async Task<DescribeGlobalResult?> CachedAsync(Caching.ConnectionCache cache, CancellationToken cancellationToken) =>
            await cache.GetOrRevalidateAsync(
                Caching.SalesforceCacheKinds.DescribeGlobal, "describe", cache.Options.DescribeGlobalDuration, cache.Options.DescribeRetention,
                static org => [Caching.ConnectionCache.DescribeTag(org)], this,
                static (self, since, ct) => self.DescribeGlobalUncachedAsync(since, ct),
                SalesforceJsonContext.Default.DescribeGlobalResult, cancellationToken).ConfigureAwait(false);
    }

    private Task<DescribeGlobalResult?> DescribeGlobalUncachedAsync(DateTimeOffset? ifModifiedSince, CancellationToken cancellationToken)
    {
        var connection = _connection;
        return connection.RunAsync(
            "SObjectsClient.DescribeGlobal", connection.SObjects.DescribeGlobal(connection.Version, HttpDate(ifModifiedSince)),
            JsonResponseReader<DescribeGlobalResult?>.For(connection.Serializer.ReadInfo<DescribeGlobalResult?>(), notModifiedIsNull: true),
            write: false, sObjectType: null, cancellationToken);
    }

    /// <summary>
    /// Describes one sObject type: fields, picklists, relationships, record types. With <paramref name="ifModifiedSince"/>,
    /// returns null when the type did not change since then (304). Without it, and with caching registered, the describe comes
    /// from the cache (per user, since field-level security shapes it; <see cref="Caching.SalesforceCacheOptions.DescribeDuration"/>,
    /// then revalidated with If-Modified-Since up to <see cref="Caching.SalesforceCacheOptions.DescribeRetention"/>); concurrent
    /// callers share one call. Treat a cached describe as read-only: it may be shared.
    /// </summary>
    public virtual Task<SObjectDescribe?> DescribeAsync(string sObjectType, DateTimeOffset? ifModifiedSince = null, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        if (ifModifiedSince is null && _connection.Cache is { } cache)
        {
            return CachedAsync(cache, cancellationToken);
        }

        return DescribeUncachedAsync(sObjectType, ifModifiedSince, cancellationToken);

        async Task<SObjectDescribe?> CachedAsync(Caching.ConnectionCache cache, CancellationToken cancellationToken) =>
            await cache.GetOrRevalidateAsync(
                Caching.SalesforceCacheKinds.Describe, "describe:" + sObjectType.ToLowerInvariant(), cache.Options.DescribeDuration, cache.Options.DescribeRetention,
                static org => [Caching.ConnectionCache.DescribeTag(org)], (Client: this, Type: sObjectType),
                static (s, since, ct) => s.Client.DescribeUncachedAsync(s.Type, since, ct),
                SalesforceJsonContext.Default.SObjectDescribe, cancellationToken).ConfigureAwait(false);
    }

    private Task<SObjectDescribe?> DescribeUncachedAsync(string sObjectType, DateTimeOffset? ifModifiedSince, CancellationToken cancellationToken)
    {
        var connection = _connection;
        return connection.RunAsync(
            "SObjectsClient.Describe", connection.SObjects.Describe(connection.Version, sObjectType, HttpDate(ifModifiedSince)),
            JsonResponseReader<SObjectDescribe?>.For(connection.Serializer.ReadInfo<SObjectDescribe?>(), notModifiedIsNull: true),
            write: false, sObjectType: null, cancellationToken);
    }

    /// <summary>The ids of records of <paramref name="sObjectType"/> changed between <paramref name="start"/> and <paramref name="end"/> (at most 30 days back).</summary>
    public virtual Task<UpdatedRecords> GetUpdatedAsync(string sObjectType, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        var (from, to) = Window(sObjectType, start, end);
        var connection = _connection;
        return connection.RunAsync(
            "SObjectsClient.GetUpdated", connection.SObjects.GetUpdated(connection.Version, sObjectType, from, to),
            JsonResponseReader<UpdatedRecords>.For(connection.Serializer.ReadInfo<UpdatedRecords>()), write: false, sObjectType: null, cancellationToken);
    }

    /// <summary>The records of <paramref name="sObjectType"/> deleted between <paramref name="start"/> and <paramref name="end"/> (at most 30 days back).</summary>
    public virtual Task<DeletedRecords> GetDeletedAsync(string sObjectType, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        var (from, to) = Window(sObjectType, start, end);
        var connection = _connection;
        return connection.RunAsync(
            "SObjectsClient.GetDeleted", connection.SObjects.GetDeleted(connection.Version, sObjectType, from, to),
            JsonResponseReader<DeletedRecords>.For(connection.Serializer.ReadInfo<DeletedRecords>()), write: false, sObjectType: null, cancellationToken);
    }

    /// <summary>
    /// Saves any number of rows by the cheapest route and returns one result per row, in input order: one REST call for a
    /// single row, sObject Collections (200 rows per call) up to <see cref="SaveOptions.BulkThreshold"/> rows, Bulk API 2.0 jobs
    /// above it. A row Salesforce refuses is a failed <see cref="SaveResult"/>, whatever the route.
    /// </summary>
    /// <param name="sObjectType">The sObject API name of every row.</param>
    /// <param name="operation">Insert, update (rows carry their id), upsert (<see cref="SaveOptions.ExternalIdField"/>), delete (rows carry their id), or hardDelete (rows carry their id; always Bulk API 2.0).</param>
    /// <param name="records">POCOs or <see cref="SObject"/>s.</param>
    /// <param name="options">External id field, bulk threshold, route options; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the calls; Bulk jobs already closed keep running in Salesforce.</param>
    /// <exception cref="ArgumentException">A row is null, an update or delete row has no id, or an upsert has no external id field (checked before any call).</exception>
    /// <exception cref="SalesforcePartialSaveException">On the collections route, a call failed after others may have written rows: every row's
    /// outcome is in <see cref="SalesforcePartialSaveException.Results"/>. Do not repeat the save; continue it.</exception>
    public virtual async Task<IReadOnlyList<SaveResult>> SaveAsync<T>(
        string sObjectType, SaveOperation operation, IEnumerable<T> records, SaveOptions? options = null, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(records);
        var effective = options ?? SaveOptions.Default;
        if (effective.Priority is { } priority && !Enum.IsDefined(priority))
        {
            throw new ArgumentOutOfRangeException(nameof(options), priority, "SaveOptions.Priority is Interactive or Background.");
        }

        Governance.RequestPriorityScope.Set(effective.Priority);
        if (effective.BulkThreshold < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), effective.BulkThreshold, "BulkThreshold must be at least 1.");
        }

        if (operation == SaveOperation.Upsert)
        {
            if (effective.ExternalIdField is null)
            {
                throw new ArgumentException("An upsert needs SaveOptions.ExternalIdField.", nameof(options));
            }

            RecordNames.ThrowIfInvalidName(effective.ExternalIdField, nameof(options));
        }

        var rows = records.ToList();
        var ids = new string?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is null)
            {
                throw new ArgumentException($"Record {i} is null.", nameof(records));
            }

            if (operation.NeedsIdColumn)
            {
                ids[i] = RecordJson.IdOf(_connection.Serializer, rows[i]!) ?? throw new ArgumentException($"Record {i} has no Id; an {operation} needs one.", nameof(records));
                RecordNames.ThrowIfInvalidId(ids[i], nameof(records));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        if (rows.Count == 1 && operation != SaveOperation.Upsert && operation != SaveOperation.HardDelete)
        {
            return [await SaveOneAsync(sObjectType, operation, rows[0]!, ids[0], cancellationToken).ConfigureAwait(false)];
        }

        if (rows.Count <= effective.BulkThreshold && operation != SaveOperation.HardDelete)
        {
            var collections = _collections ??= new CollectionsClient(_connection);
            var collectionOptions = effective.Collections;
            return operation.Value switch
            {
                "insert" => await collections.CreateAsync(sObjectType, rows, collectionOptions, cancellationToken).ConfigureAwait(false),
                "update" => await collections.UpdateAsync(sObjectType, rows, collectionOptions, cancellationToken).ConfigureAwait(false),
                "upsert" => await collections.UpsertAsync(sObjectType, effective.ExternalIdField!, rows, collectionOptions, cancellationToken).ConfigureAwait(false),
                _ => await collections.DeleteAsync(ids!, collectionOptions, cancellationToken).ConfigureAwait(false),
            };
        }

        var bulk = _bulk ??= new BulkClient(_connection);
        var source = effective.Bulk ?? new BulkIngestOptions();
        var bulkOptions = new BulkIngestOptions
        {
            ExternalIdField = effective.ExternalIdField,
            MaxUploadBytes = source.MaxUploadBytes,
            Columns = source.Columns,
            AssignmentRuleId = source.AssignmentRuleId,
            PollInterval = source.PollInterval,
            MaxPollInterval = source.MaxPollInterval,
            Timeout = source.Timeout,
            Progress = source.Progress,
        };
        var result = await bulk.IngestAsync(sObjectType, operation, rows, bulkOptions, cancellationToken).ConfigureAwait(false);
        return result.Results;
    }

    private async Task<SaveResult> SaveOneAsync(string sObjectType, SaveOperation operation, object record, string? id, CancellationToken cancellationToken)
    {
        try
        {
            switch (operation.Value)
            {
                case "insert":
                    return new SaveResult
                    {
                        Index = 0,
                        Id = await CreateAsync(sObjectType, record, cancellationToken).ConfigureAwait(false),
                        Success = true,
                        Created = true,
                    };
                case "update":
                    await UpdateAsync(sObjectType, id!, record, cancellationToken).ConfigureAwait(false);
                    return new SaveResult { Index = 0, Id = id, Success = true };
                default:
                    await DeleteAsync(sObjectType, id!, cancellationToken).ConfigureAwait(false);
                    return new SaveResult { Index = 0, Id = id, Success = true };
            }
        }
        catch (SalesforceApiException e) when (e.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound && e is not SalesforceRateLimitException)
        {
            // The row was refused, as a collections call would report it.
            return new SaveResult { Index = 0, Id = id, Success = false, Errors = e.Errors };
        }
    }

    private static (string Start, string End) Window(string sObjectType, DateTimeOffset start, DateTimeOffset end)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        if (end <= start)
        {
            throw new ArgumentException("end must be later than start.", nameof(end));
        }

        // ISO 8601 in UTC; Salesforce ignores the seconds.
        static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
        return (Format(start), Format(end));
    }

    private static string? HttpDate(DateTimeOffset? value) => value?.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A create's answer: the new record's id, read by hand (<see cref="SaveResponseReader"/>).</summary>
    private sealed class NewIdReader : ResponseReader<string>
    {
        public static readonly NewIdReader Instance = new();

        public override string Read(HttpResponseMessage response, ReadOnlySpan<byte> body)
        {
            var result = SaveResponseReader.ReadOne(body) ?? throw new SalesforceException($"Salesforce returned an empty {nameof(SaveResponse)} body.");
            return result.Id ?? throw new SalesforceApiException(
                HttpStatusCode.OK, result.Errors.Select(e => e.ToError()).ToList(), message: "Salesforce did not return the new record's id.");
        }
    }

    /// <summary>An upsert's answer: 201 created or 200 updated with a save result; 204 (API 45.0 and earlier) an update without a body.</summary>
    private sealed class UpsertReader : ResponseReader<UpsertResult>
    {
        public static readonly UpsertReader Instance = new();

        public override bool TryAnswer(HttpResponseMessage response, out UpsertResult value)
        {
            value = response.StatusCode == HttpStatusCode.NoContent ? new UpsertResult { Created = false } : null!;
            return value is not null;
        }

        public override UpsertResult Read(HttpResponseMessage response, ReadOnlySpan<byte> body)
        {
            var result = SaveResponseReader.ReadOne(body) ?? throw new SalesforceException($"Salesforce returned an empty {nameof(SaveResponse)} body.");
            return new UpsertResult { Id = result.Id, Created = result.Created ?? response.StatusCode == HttpStatusCode.Created };
        }
    }
}
