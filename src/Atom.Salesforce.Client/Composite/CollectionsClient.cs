using System.Net;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Composite;

/// <summary>
/// sObject Collections: create, retrieve, update, upsert by external id and delete many records, 200 per API call (2,000 ids
/// per retrieve). Inputs of any size are split, sent with bounded concurrency, and answered with one result per input record
/// in input order. Get one from <see cref="CompositeClient.Collections"/>.
/// </summary>
/// <remarks>
/// <para>
/// A record Salesforce refuses (a validation rule, a missing field) is a failed <see cref="SaveResult"/>, never an exception.
/// </para>
/// <para>
/// When a request fails as a whole (refused, such as a malformed body or <c>SERVER_UNAVAILABLE</c>; or unanswered, such as
/// a dropped connection or a timeout), no further request is started and the requests in flight are let finish. If nothing
/// can have been written, the original exception is thrown and the call may simply be repeated. Otherwise
/// <see cref="SalesforcePartialSaveException"/> is thrown with one result per input row: saved, refused, not sent,
/// or unknown (sent without an answer). Creates, updates and upserts (POST and PATCH) are never retried by the SDK, since a
/// repeat could write twice; deletes are, as a repeated delete writes nothing new.
/// </para>
/// </remarks>
public class CollectionsClient
{
    /// <summary>The most records one create, update, upsert or delete request may carry.</summary>
    public const int MaxRecordsPerRequest = 200;

    /// <summary>The most ids one retrieve request may carry.</summary>
    public const int MaxIdsPerRetrieve = 2000;

    private readonly SalesforceConnection _connection = null!;

    /// <summary>For mocking only.</summary>
    protected CollectionsClient()
    {
    }

    internal CollectionsClient(SalesforceConnection connection) => _connection = connection;

    /// <summary>Creates the records, 200 per call, and returns one result per record in input order.</summary>
    /// <param name="sObjectType">The sObject API name of every record, for example <c>Account</c>.</param>
    /// <param name="records">POCOs or <see cref="SObject"/>s. Ids and system fields are never sent.</param>
    /// <param name="options">allOrNone and concurrency; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the calls not yet answered.</param>
    /// <exception cref="SalesforcePartialSaveException">A call failed after others may have written rows; see the class remarks.</exception>
    public virtual Task<IReadOnlyList<SaveResult>> CreateAsync<T>(
        string sObjectType, IEnumerable<T> records, CollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var rows = Validate(sObjectType, records, options);
        return SaveAsync("CollectionsClient.Create", rows, options ?? CollectionOptions.Default, static (api, version, body, _, ct) => api.CreateRecords(version, body, ct),
            sObjectType, withId: false, cancellationToken);
    }

    /// <summary>
    /// Updates the records by their <c>Id</c> (<see cref="SObject.Id"/> or a POCO's <c>Id</c> property), 200 per call, and
    /// returns one result per record in input order. Only the fields a single update would send are sent.
    /// </summary>
    /// <param name="sObjectType">The sObject API name of every record.</param>
    /// <param name="records">POCOs with an <c>Id</c> property, or <see cref="SObject"/>s with <see cref="SObject.Id"/> set.</param>
    /// <param name="options">allOrNone and concurrency; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the calls not yet answered.</param>
    /// <exception cref="ArgumentException">A record has no valid id (checked before any call).</exception>
    /// <exception cref="SalesforcePartialSaveException">A call failed after others may have written rows; see the class remarks.</exception>
    public virtual Task<IReadOnlyList<SaveResult>> UpdateAsync<T>(
        string sObjectType, IEnumerable<T> records, CollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var rows = Validate(sObjectType, records, options);
        for (var i = 0; i < rows.Count; i++)
        {
            var id = RecordJson.IdOf(_connection.Serializer, rows[i]!);
            if (id is null)
            {
                throw new ArgumentException($"Record {i} has no Id; an update needs one.", nameof(records));
            }

            RecordNames.ThrowIfInvalidId(id, nameof(records));
        }

        return SaveAsync("CollectionsClient.Update", rows, options ?? CollectionOptions.Default, static (api, version, body, _, ct) => api.UpdateRecords(version, body, ct),
            sObjectType, withId: true, cancellationToken);
    }

    /// <summary>
    /// Upserts the records by the external id field <paramref name="externalIdField"/>, which each record must hold, 200 per
    /// call. Each result says whether the record was created or updated.
    /// </summary>
    /// <param name="sObjectType">The sObject API name of every record.</param>
    /// <param name="externalIdField">The external id field (or <c>Id</c>) that identifies each record.</param>
    /// <param name="records">POCOs or <see cref="SObject"/>s holding the external id field.</param>
    /// <param name="options">allOrNone and concurrency; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the calls not yet answered.</param>
    /// <exception cref="SalesforcePartialSaveException">A call failed after others may have written rows; see the class remarks.</exception>
    public virtual Task<IReadOnlyList<SaveResult>> UpsertAsync<T>(
        string sObjectType, string externalIdField, IEnumerable<T> records, CollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(externalIdField, nameof(externalIdField));
        var rows = Validate(sObjectType, records, options);
        return SaveAsync("CollectionsClient.Upsert", rows, options ?? CollectionOptions.Default,
            (api, version, body, _, ct) => api.UpsertRecords(version, sObjectType, externalIdField, body, ct), sObjectType, withId: false, cancellationToken);
    }

    /// <summary>Deletes the records with these ids (any types), 200 per call, and returns one result per id in input order.</summary>
    /// <param name="ids">Record ids of any types.</param>
    /// <param name="options">allOrNone and concurrency; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the calls not yet answered.</param>
    /// <exception cref="SalesforcePartialSaveException">A call failed after others may have written rows; see the class remarks.</exception>
    public virtual Task<IReadOnlyList<SaveResult>> DeleteAsync(IEnumerable<string> ids, CollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        options?.Validate();
        var list = ids.ToList();
        foreach (var id in list)
        {
            RecordNames.ThrowIfInvalidId(id, nameof(ids));
        }

        var effective = options ?? CollectionOptions.Default;
        return _connection.RunWriteAsync("CollectionsClient.Delete", null, ct => RunSaveChunksAsync(list, effective.MaxConcurrency,
            (chunk, _, token) => _connection.Composite.DeleteRecords(_connection.Version, string.Join(',', chunk), effective.AllOrNone ? "true" : "false", token),
            id => id, ct), cancellationToken);
    }

    /// <summary>
    /// Reads the records with these ids (one type), 2,000 per call. The list is in input order; an id that does not exist or
    /// that the user cannot see gives null.
    /// </summary>
    /// <param name="sObjectType">The sObject API name of every id.</param>
    /// <param name="ids">The record ids.</param>
    /// <param name="fields">The fields to read (at least one).</param>
    /// <param name="cancellationToken">Cancels the calls not yet answered.</param>
    public virtual Task<IReadOnlyList<T?>> RetrieveAsync<T>(
        string sObjectType, IEnumerable<string> ids, IEnumerable<string> fields, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(fields);
        var fieldList = RecordNames.JoinFields(fields, nameof(fields));
        if (fieldList.Length == 0)
        {
            throw new ArgumentException("Name at least one field to retrieve.", nameof(fields));
        }

        var idList = ids.ToList();
        foreach (var id in idList)
        {
            RecordNames.ThrowIfInvalidId(id, nameof(ids));
        }

        var fieldArray = fieldList.Split(',');
        var info = _connection.Serializer.ReadInfo<List<T?>>();
        return _connection.RunAsync<IReadOnlyList<T?>>("CollectionsClient.Retrieve", ct => RunChunksAsync(idList, MaxIdsPerRetrieve, CollectionOptions.Default.MaxConcurrency,
            async (chunk, _, token) =>
            {
                var body = _connection.JsonBody(new RetrieveBody(chunk, fieldArray));
                var response = await _connection.Composite.RetrieveRecords(_connection.Version, sObjectType, body, token).ConfigureAwait(false);
                var records = await _connection.ReadAsync(response, info, token).ConfigureAwait(false);
                if (records.Count != chunk.Count)
                {
                    throw new SalesforceException($"Salesforce returned {records.Count} records for {chunk.Count} ids.");
                }

                return records;
            }, ct), cancellationToken);
    }

    private static List<T> Validate<T>(string sObjectType, IEnumerable<T> records, CollectionOptions? options)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(records);
        options?.Validate();
        var rows = records as List<T> ?? records.ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is null)
            {
                throw new ArgumentException($"Record {i} is null.", nameof(records));
            }
        }

        return rows;
    }

    private Task<IReadOnlyList<SaveResult>> SaveAsync<T>(
        string operation,
        List<T> rows,
        CollectionOptions options,
        Func<CompositeApi, string, HttpContent, int, CancellationToken, Task<HttpResponseMessage>> send,
        string sObjectType,
        bool withId,
        CancellationToken cancellationToken) =>
        _connection.RunWriteAsync(operation, sObjectType, ct => RunSaveChunksAsync(rows, options.MaxConcurrency, (chunk, offset, token) =>
        {
            var body = SalesforceConnection.RawJsonBody(WriteBody(chunk, sObjectType, withId, options.AllOrNone));
            return send(_connection.Composite, _connection.Version, body, offset, token);
        }, record => withId ? RecordJson.IdOf(_connection.Serializer, record!) : null, ct), cancellationToken);

    /// <summary>
    /// Sends <paramref name="items"/> 200 per request, at most <paramref name="concurrency"/> requests at once, and returns one
    /// result per item in input order. The first failed request stops new requests from starting; the requests in flight
    /// finish. Then, if nothing can have been written, the first failure is rethrown; otherwise
    /// <see cref="SalesforcePartialSaveException"/> accounts for every item.
    /// </summary>
    private async Task<IReadOnlyList<SaveResult>> RunSaveChunksAsync<TIn>(
        List<TIn> items,
        int concurrency,
        Func<List<TIn>, int, CancellationToken, Task<HttpResponseMessage>> send,
        Func<TIn, string?> knownId,
        CancellationToken cancellationToken)
    {
        var chunkCount = (items.Count + MaxRecordsPerRequest - 1) / MaxRecordsPerRequest;
        var outcomes = new ChunkOutcome?[chunkCount];
        var next = -1;
        var stop = 0;

        async Task WorkAsync()
        {
            while (Volatile.Read(ref stop) == 0)
            {
                var k = Interlocked.Increment(ref next);
                if (k >= chunkCount)
                {
                    return;
                }

                var offset = k * MaxRecordsPerRequest;
                var chunk = items.GetRange(offset, Math.Min(MaxRecordsPerRequest, items.Count - offset));
                var outcome = await SendChunkAsync(chunk, offset, send, knownId, cancellationToken).ConfigureAwait(false);
                outcomes[k] = outcome;
                if (outcome.Failure is not null)
                {
                    Volatile.Write(ref stop, 1);
                }
            }
        }

        var workers = new Task[Math.Min(concurrency, chunkCount)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkAsync();
        }

        await Task.WhenAll(workers).ConfigureAwait(false);

        var results = new List<SaveResult>(items.Count);
        Exception? firstFailure = null;
        var mayHaveWritten = false;
        for (var k = 0; k < chunkCount; k++)
        {
            var offset = k * MaxRecordsPerRequest;
            var size = Math.Min(MaxRecordsPerRequest, items.Count - offset);
            if (outcomes[k] is not { } outcome)
            {
                for (var i = 0; i < size; i++)
                {
                    results.Add(new SaveResult
                    {
                        Index = offset + i,
                        Id = knownId(items[offset + i]),
                        Success = false,
                        Outcome = SaveRowOutcome.NotSent,
                    });
                }

                continue;
            }

            if (outcome.Failure is { } failure)
            {
                firstFailure ??= failure;
                mayHaveWritten |= outcome.RowOutcome == SaveRowOutcome.Unknown;
                for (var i = 0; i < size; i++)
                {
                    results.Add(new SaveResult
                    {
                        Index = offset + i,
                        Id = knownId(items[offset + i]),
                        Success = false,
                        Errors = outcome.Errors,
                        Outcome = outcome.RowOutcome,
                    });
                }

                continue;
            }

            mayHaveWritten |= outcome.Results!.Any(r => r.Success);
            results.AddRange(outcome.Results!);
        }

        if (firstFailure is null)
        {
            return results;
        }

        if (!mayHaveWritten)
        {
            // Nothing can have been written: the original failure, and repeating the whole call is safe.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(firstFailure).Throw();
        }

        throw new SalesforcePartialSaveException(results, firstFailure);
    }

    /// <summary>Sends one request and tells what became of its rows. Only the caller's cancellation escapes.</summary>
    private async Task<ChunkOutcome> SendChunkAsync<TIn>(
        List<TIn> chunk, int offset, Func<List<TIn>, int, CancellationToken, Task<HttpResponseMessage>> send, Func<TIn, string?> knownId, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send(chunk, offset, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var mapped = SalesforceConnection.Map(e, cancellationToken);
            return ChunkOutcome.Failed(WasSent(e) ? SaveRowOutcome.Unknown : SaveRowOutcome.NotSent, [], mapped);
        }

        try
        {
            // The results read by hand straight into SaveResults (no intermediate SaveResponse per row).
            var results = await _connection.ReadBodyAsync(
                response, (Chunk: chunk, Offset: offset, KnownId: knownId),
                static (body, state) => SaveResponseReader.ReadMany(body, state.Chunk.Count, state.Offset, state, static (s, i) => s.KnownId(s.Chunk[i])),
                cancellationToken).ConfigureAwait(false);
            return ChunkOutcome.Answered(results);
        }
        catch (SalesforceApiException e) when (e.Status is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
        {
            // A gateway's answer: Salesforce behind it may have run the request.
            return ChunkOutcome.Failed(SaveRowOutcome.Unknown, [], e);
        }
        catch (SalesforceApiException e)
        {
            // Salesforce refused the request as a whole: nothing of it was written.
            return ChunkOutcome.Failed(SaveRowOutcome.Refused, e.Errors.Count > 0 ? e.Errors : [new SalesforceError
            {
                ErrorCode = e.ErrorCode,
                Message = e.Message,
            }], e);
        }
        catch (SalesforceAuthenticationException e)
        {
            // A 401 after a refresh: the session was refused, the request did not run.
            return ChunkOutcome.Failed(SaveRowOutcome.Refused, [new SalesforceError
            {
                ErrorCode = e.ErrorCode,
                Message = e.Message,
            }], e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A success status whose body could not be read, or did not match the rows: they may be saved.
            return ChunkOutcome.Failed(SaveRowOutcome.Unknown, [], SalesforceConnection.Map(e, cancellationToken));
        }
    }

    /// <summary>
    /// False only when the failure happened before the request could leave: no token (or its refresh failed, or the session
    /// was refused), or no connection could be made. Anything else may have reached Salesforce.
    /// </summary>
    private static bool WasSent(Exception e)
    {
        return e switch
        {
            SalesforceException => false,
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError } => false,
            _ => true,
        };
    }

    private sealed record ChunkOutcome(List<SaveResult>? Results, SaveRowOutcome RowOutcome, IReadOnlyList<SalesforceError> Errors, Exception? Failure)
    {
        public static ChunkOutcome Answered(List<SaveResult> results) => new(results, SaveRowOutcome.Saved, [], null);

        public static ChunkOutcome Failed(SaveRowOutcome outcome, IReadOnlyList<SalesforceError> errors, Exception failure) => new(null, outcome, errors, failure);
    }

    /// <summary>
    /// <c>{"allOrNone":...,"records":[...]}</c>, every record written straight into one buffer kept per thread; the body is
    /// one exactly sized copy of it.
    /// </summary>
    private ReadOnlyMemory<byte> WriteBody<T>(List<T> chunk, string sObjectType, bool withId, bool allOrNone) =>
        RecordJson.Build((Chunk: chunk, Type: sObjectType, WithId: withId, AllOrNone: allOrNone, Serializer: _connection.Serializer), static (output, state) =>
        {
            RecordJson.Append(output, state.AllOrNone ? "{\"allOrNone\":true,\"records\":["u8 : "{\"allOrNone\":false,\"records\":["u8);
            for (var i = 0; i < state.Chunk.Count; i++)
            {
                if (i > 0)
                {
                    RecordJson.Append(output, ","u8);
                }

                var record = state.Chunk[i]!;
                RecordJson.Append(output, state.Serializer, record, state.Type, state.WithId ? RecordJson.IdOf(state.Serializer, record) : null, null, null);
            }

            RecordJson.Append(output, "]}"u8);
        });

    /// <summary>
    /// Splits <paramref name="items"/> into chunks, runs at most <paramref name="concurrency"/> of them at once, and joins
    /// their outputs in input order. The first failure stops new chunks from starting and is rethrown.
    /// </summary>
    internal static async Task<IReadOnlyList<TOut>> RunChunksAsync<TIn, TOut>(
        List<TIn> items, int chunkSize, int concurrency, Func<List<TIn>, int, CancellationToken, Task<List<TOut>>> run, CancellationToken cancellationToken)
    {
        var chunkCount = (items.Count + chunkSize - 1) / chunkSize;
        if (chunkCount == 0)
        {
            return [];
        }

        if (chunkCount == 1)
        {
            return await run(items, 0, cancellationToken).ConfigureAwait(false);
        }

        var outputs = new List<TOut>[chunkCount];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, chunkCount),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (k, ct) =>
            {
                var offset = k * chunkSize;
                var chunk = items.GetRange(offset, Math.Min(chunkSize, items.Count - offset));
                outputs[k] = await run(chunk, offset, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);

        var joined = new List<TOut>(items.Count);
        foreach (var output in outputs)
        {
            joined.AddRange(output);
        }

        return joined;
    }

    internal sealed record RetrieveBody(
        [property: System.Text.Json.Serialization.JsonPropertyName("ids")] IReadOnlyList<string> Ids,
        [property: System.Text.Json.Serialization.JsonPropertyName("fields")] IReadOnlyList<string> Fields);
}
