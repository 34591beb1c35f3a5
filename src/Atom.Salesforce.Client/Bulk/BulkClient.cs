using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Telemetry;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>
/// Bulk API 2.0: ingest (insert, update, upsert, delete, hardDelete) any number of rows as CSV jobs, and stream query results
/// page by page. Get one from <see cref="SalesforceClient.Bulk"/>.
/// </summary>
/// <remarks>
/// Ingest writes the rows as CSV while it reads them, up to 100 MB per job (more rows make more jobs), closes each job, polls
/// until Salesforce finishes, then joins the result files back to the input rows. Cancelling or timing out while a job runs
/// leaves the job running in Salesforce; the exception names it.
/// </remarks>
public class BulkClient
{
    private static readonly MediaTypeHeaderValue CsvMediaType = new("text/csv") { CharSet = "utf-8" };
    private readonly SalesforceConnection _connection = null!;

    /// <summary>For mocking only.</summary>
    protected BulkClient()
    {
    }

    internal BulkClient(SalesforceConnection connection) => _connection = connection;

    /// <summary>Ingests the records with one or more Bulk API 2.0 jobs and returns one result per record, in input order.</summary>
    /// <param name="sObjectType">The sObject API name.</param>
    /// <param name="operation">Insert, update, upsert (on <c>Id</c>; see the overload with options for an external id), delete or hardDelete.</param>
    /// <param name="records">POCOs or <see cref="SObject"/>s, read once, as the upload goes.</param>
    /// <param name="progress">Told the state and counts of each job at every poll.</param>
    /// <param name="cancellationToken">Stops waiting; jobs already closed keep running in Salesforce.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The Azure SDK pattern: the common call takes no options; options are a separate overload.")]
    public virtual Task<BulkIngestResult> IngestAsync<T>(
        string sObjectType, BulkOperation operation, IEnumerable<T> records, IProgress<BulkJobProgress>? progress = null, CancellationToken cancellationToken = default) =>
        IngestAsync(sObjectType, operation, records, BulkIngestOptions.Default, progress, cancellationToken);

    /// <summary>Ingests the records with one or more Bulk API 2.0 jobs, with <paramref name="options"/>.</summary>
    /// <param name="sObjectType">The sObject API name.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="records">POCOs or <see cref="SObject"/>s, read once, as the upload goes.</param>
    /// <param name="options">External id field, upload size, columns, polling.</param>
    /// <param name="progress">Told the state and counts of each job at every poll.</param>
    /// <param name="cancellationToken">Stops waiting; jobs already closed keep running in Salesforce.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The Azure SDK pattern: the common call takes no options; options are a separate overload.")]
    public virtual Task<BulkIngestResult> IngestAsync<T>(
        string sObjectType, BulkOperation operation, IEnumerable<T> records, BulkIngestOptions options, IProgress<BulkJobProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return IngestRowsAsync("BulkClient.Ingest", sObjectType, operation, options, ',',
            () => new RecordRowSource<T>(records, _connection.Serializer, operation, options.Columns), progress, cancellationToken);
    }

    /// <summary>
    /// Ingests a CSV stream you wrote (header row first, <see cref="BulkIngestOptions.ColumnDelimiter"/> between values). The
    /// stream is read once and split into jobs of at most 100 MB; results come back per data row, in stream order.
    /// </summary>
    public virtual Task<BulkIngestResult> IngestCsvAsync(
        string sObjectType, BulkOperation operation, Stream csv, BulkIngestOptions? options = null, IProgress<BulkJobProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(csv);
        var effective = options ?? BulkIngestOptions.Default;
        effective.Validate();
        var delimiter = effective.Delimiter;
        return IngestRowsAsync("BulkClient.IngestCsv", sObjectType, operation, effective, delimiter, () => new CsvRowSource(csv, delimiter), progress, cancellationToken);
    }

    /// <summary>Reads an ingest job's state and counts.</summary>
    public virtual Task<BulkJobInfo> GetIngestJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        GetJobAsync("ingest", jobId, cancellationToken);

    /// <summary>Reads a query job's state and counts.</summary>
    public virtual Task<BulkJobInfo> GetQueryJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        GetJobAsync("query", jobId, cancellationToken);

    /// <summary>Aborts an ingest job; rows not yet processed are not processed.</summary>
    public virtual Task<BulkJobInfo> AbortIngestJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        ChangeStateAsync("ingest", jobId, BulkJobState.Aborted, cancellationToken);

    /// <summary>Aborts a query job.</summary>
    public virtual Task<BulkJobInfo> AbortQueryJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        ChangeStateAsync("query", jobId, BulkJobState.Aborted, cancellationToken);

    /// <summary>Deletes a finished ingest job and its results.</summary>
    public virtual Task DeleteIngestJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        DeleteJobAsync("ingest", jobId, cancellationToken);

    /// <summary>Deletes a finished query job and its results.</summary>
    public virtual Task DeleteQueryJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        DeleteJobAsync("query", jobId, cancellationToken);

    /// <summary>
    /// Runs a SOQL query as a Bulk API 2.0 query job and streams every record of every result page, in constant memory. The job
    /// is created on the first enumeration. Read rows as <see cref="SObject"/> (every column, empty cells null) or as a class
    /// whose properties match the columns.
    /// </summary>
    /// <param name="soql">The query; Bulk queries do not support aggregates, OFFSET, TYPEOF or subqueries.</param>
    /// <param name="options">queryAll, page size, polling; defaults when null.</param>
    /// <param name="progress">Told the job's state at every poll.</param>
    /// <param name="cancellationToken">Stops the enumeration; a job still running keeps running in Salesforce.</param>
    public virtual IAsyncEnumerable<T> QueryAsync<T>(
        string soql, BulkQueryOptions? options = null, IProgress<BulkJobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var effective = options ?? BulkQueryOptions.Default;
        effective.Validate();
        if (typeof(T) != typeof(SObject))
        {
            var info = _connection.Serializer.ReadOptions.GetTypeInfo(typeof(T));
            if (info.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object || info.CreateObject is null)
            {
                throw new ArgumentException($"Bulk query rows can be read as SObject or as a class with a parameterless constructor, not as {typeof(T).Name}.", nameof(T));
            }
        }

        return QueryRecords<T>(soql, effective, progress, cancellationToken);
    }

    /// <summary>
    /// Runs a SOQL query as a Bulk API 2.0 query job and streams the result as raw UTF-8 CSV: one header row, then every page's
    /// rows. Each chunk is only valid until the enumeration moves on; copy or write it out before then.
    /// </summary>
    public virtual IAsyncEnumerable<ReadOnlyMemory<byte>> QueryCsvAsync(
        string soql, BulkQueryOptions? options = null, IProgress<BulkJobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var effective = options ?? BulkQueryOptions.Default;
        effective.Validate();
        return QueryChunks(soql, effective, progress, cancellationToken);
    }

    private async IAsyncEnumerable<T> QueryRecords<T>(
        string soql, BulkQueryOptions options, IProgress<BulkJobProgress>? progress, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var job = await StartQueryAsync(soql, options, progress, cancellationToken).ConfigureAwait(false);
        CsvRecordReader<T>? reader = null;
        string? locator = null;
        do
        {
            var (response, next) = await FetchPageAsync(job, locator, options, cancellationToken).ConfigureAwait(false);
            using (response)
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var csv = new CsvReader(stream);
                var header = await ReadResultRowAsync(csv, job.Id, cancellationToken).ConfigureAwait(false);
                if (header is not null)
                {
                    reader ??= new CsvRecordReader<T>(_connection.Serializer, job.Object ?? string.Empty, header);
                    while (await ReadResultRowAsync(csv, job.Id, cancellationToken).ConfigureAwait(false) is { } row)
                    {
                        yield return ReadRecord(reader, row, job.Id);
                    }
                }
            }

            locator = next;
        }
        while (locator is not null);
    }

    /// <summary>The next result row; a broken connection or malformed CSV becomes a <see cref="SalesforceException"/> naming the job.</summary>
    private static async ValueTask<string[]?> ReadResultRowAsync(CsvReader csv, string jobId, CancellationToken cancellationToken)
    {
        try
        {
            return await csv.ReadRowAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            throw new SalesforceException($"The results of Bulk API 2.0 job {jobId} are not valid CSV: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new SalesforceException($"Reading the results of Bulk API 2.0 job {jobId} failed: {e.Message}. The results stay available while the job exists.", e, isTransient: true);
        }
    }

    private static T ReadRecord<T>(CsvRecordReader<T> reader, string[] row, string jobId)
    {
        try
        {
            return reader.Read(row);
        }
        catch (FormatException e)
        {
            throw new SalesforceException($"A result row of Bulk API 2.0 job {jobId} could not be read as {typeof(T).Name}: {e.Message}", e);
        }
    }

    private async IAsyncEnumerable<ReadOnlyMemory<byte>> QueryChunks(
        string soql, BulkQueryOptions options, IProgress<BulkJobProgress>? progress, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var job = await StartQueryAsync(soql, options, progress, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            string? locator = null;
            var first = true;
            do
            {
                var (response, next) = await FetchPageAsync(job, locator, options, cancellationToken).ConfigureAwait(false);
                using (response)
                {
                    var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await using (stream.ConfigureAwait(false))
                    {
                        // Later pages repeat the header row; field names hold no line break, so it ends at the first LF.
                        var skipping = !first;
                        int read;
                        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            var start = 0;
                            if (skipping)
                            {
                                var lf = Array.IndexOf(buffer, (byte)'\n', 0, read);
                                if (lf < 0)
                                {
                                    continue;
                                }

                                start = lf + 1;
                                skipping = false;
                            }

                            if (read > start)
                            {
                                yield return buffer.AsMemory(start, read - start);
                            }
                        }
                    }
                }

                first = false;
                locator = next;
            }
            while (locator is not null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<BulkJobInfo> StartQueryAsync(string soql, BulkQueryOptions options, IProgress<BulkJobProgress>? progress, CancellationToken cancellationToken)
    {
        var created = await _connection.RunAsync("BulkClient.CreateQueryJob", async ct =>
        {
            var body = JsonBody(writer =>
            {
                writer.WriteString("operation", options.IncludeDeleted ? "queryAll" : "query");
                writer.WriteString("query", soql);
                writer.WriteString("contentType", "CSV");
                writer.WriteString("columnDelimiter", "COMMA");
                writer.WriteString("lineEnding", "LF");
            });
            var response = await _connection.Bulk.CreateQueryJob(_connection.Version, body, ct).ConfigureAwait(false);
            return await _connection.ReadAsync(response, JobInfo, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var started = _connection.TimeProvider.GetUtcNow();
        var done = await WaitAsync("query", created, options, started, progress, cancellationToken).ConfigureAwait(false);
        if (done.State != BulkJobState.JobComplete)
        {
            throw new SalesforceException($"Bulk API 2.0 query job {done.Id} ended in state {done.State}: {done.ErrorMessage ?? "no reason given"}.");
        }

        return done;
    }

    private Task<(HttpResponseMessage Response, string? Next)> FetchPageAsync(BulkJobInfo job, string? locator, BulkQueryOptions options, CancellationToken cancellationToken) =>
        _connection.RunAsync("BulkClient.QueryResults", async ct =>
        {
            // Results must be read with the version that created the job, or Salesforce answers 409.
            var version = job.ApiVersion > 0 ? "v" + job.ApiVersion.ToString("0.0", CultureInfo.InvariantCulture) : _connection.Version;
            var response = await _connection.Bulk.GetQueryResults(version, job.Id, locator, options.MaxRecordsPerPage, ct).ConfigureAwait(false);
            await _connection.EnsureSuccessAsync(response, ct).ConfigureAwait(false);
            var next = response.Headers.TryGetValues("Sforce-Locator", out var values) ? values.FirstOrDefault() : null;
            return (response, string.IsNullOrEmpty(next) || next == "null" ? null : next);
        }, cancellationToken);

    private Task<BulkIngestResult> IngestRowsAsync(
        string operationName, string sObjectType, BulkOperation operation, BulkIngestOptions options, char delimiter, Func<RowSource> rows,
        IProgress<BulkJobProgress>? progress, CancellationToken cancellationToken)
    {
        var externalId = operation == BulkOperation.Upsert ? options.ExternalIdField ?? "Id" : null;
        return _connection.RunAsync(operationName, async ct =>
        {
            var jobs = new List<(BulkJobInfo Job, RowKeys Keys)>();
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            var csv = new CsvWriter(buffer, delimiter);
            var row = new ArrayBufferWriter<byte>(1024);
            var rowCsv = new CsvWriter(row, delimiter);
            RowKeys? keys = null;
            var index = 0;
            using (var source = rows())
            {
                while (await source.MoveNextAsync(ct).ConfigureAwait(false))
                {
                    row.ResetWrittenCount();
                    foreach (var cell in source.Cells)
                    {
                        rowCsv.WriteField(cell);
                    }

                    rowCsv.EndRow();
                    var full = keys is not null && buffer.WrittenCount + row.WrittenCount > options.MaxUploadBytes;
                    if (keys is not null && (source.ColumnsChanged || full))
                    {
                        jobs.Add((await UploadAsync(sObjectType, operation, externalId, options, buffer, ct).ConfigureAwait(false), keys));
                        keys = null;
                    }

                    if (keys is null)
                    {
                        buffer.ResetWrittenCount();
                        foreach (var column in source.Columns)
                        {
                            csv.WriteField(column);
                        }

                        csv.EndRow();
                        keys = new RowKeys(index, source.Columns);
                        if (buffer.WrittenCount + row.WrittenCount > options.MaxUploadBytes)
                        {
                            throw new ArgumentException($"Row {index} alone is larger than MaxUploadBytes ({options.MaxUploadBytes:N0} bytes).", "records");
                        }
                    }

                    buffer.Write(row.WrittenSpan);
                    keys.Add(source.Cells);
                    index++;
                }
            }

            if (keys is not null)
            {
                jobs.Add((await UploadAsync(sObjectType, operation, externalId, options, buffer, ct).ConfigureAwait(false), keys));
            }

            var results = new SaveResult?[index];
            var finished = new List<BulkJobInfo>(jobs.Count);
            var started = _connection.TimeProvider.GetUtcNow();
            foreach (var (job, jobKeys) in jobs)
            {
                var done = await WaitAsync("ingest", job, options, started, progress, ct).ConfigureAwait(false);
                finished.Add(done);
                await JoinResultsAsync(job.Id, done, jobKeys, operation, delimiter, results, ct).ConfigureAwait(false);
                for (var i = jobKeys.Start; i < jobKeys.Start + jobKeys.Count; i++)
                {
                    results[i] ??= new SaveResult(i, null, false, null,
                        [new SalesforceError(SalesforceError.Codes.NotProcessed, $"Job {done.Id} ended in state {done.State} without processing this row. {done.ErrorMessage}".TrimEnd(), [])]);
                }
            }

            return new BulkIngestResult(finished, results!);
        }, cancellationToken);
    }

    private async Task<BulkJobInfo> UploadAsync(
        string sObjectType, BulkOperation operation, string? externalId, BulkIngestOptions options, ArrayBufferWriter<byte> data, CancellationToken cancellationToken)
    {
        var body = JsonBody(writer =>
        {
            writer.WriteString("object", sObjectType);
            writer.WriteString("operation", operation.Value);
            if (externalId is not null)
            {
                writer.WriteString("externalIdFieldName", externalId);
            }

            writer.WriteString("contentType", "CSV");
            writer.WriteString("columnDelimiter", options.ColumnDelimiter.ToUpperInvariant());
            writer.WriteString("lineEnding", "LF");
            if (options.AssignmentRuleId is { } rule)
            {
                writer.WriteString("assignmentRuleId", rule);
            }
        });
        var response = await _connection.Bulk.CreateIngestJob(_connection.Version, body, cancellationToken).ConfigureAwait(false);
        var job = await _connection.ReadAsync(response, JobInfo, cancellationToken).ConfigureAwait(false);
        try
        {
            var content = new ReadOnlyMemoryContent(data.WrittenMemory);
            content.Headers.ContentType = CsvMediaType;
            using (var upload = await _connection.Bulk.UploadIngestData(_connection.Version, job.Id, content, cancellationToken).ConfigureAwait(false))
            {
                await _connection.EnsureSuccessAsync(upload, cancellationToken).ConfigureAwait(false);
            }

            var closed = await _connection.Bulk.ChangeJobState(_connection.Version, "ingest", job.Id, StateBody(BulkJobState.UploadComplete), cancellationToken)
                .ConfigureAwait(false);
            return await _connection.ReadAsync(closed, JobInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(
                $"Cancelled while uploading to Bulk API 2.0 job {job.Id}; the job stays open in Salesforce until it is aborted or expires.", e, cancellationToken);
        }
    }

    private async Task<BulkJobInfo> WaitAsync(
        string kind, BulkJobInfo job, BulkJobOptions options, DateTimeOffset started, IProgress<BulkJobProgress>? progress, CancellationToken cancellationToken)
    {
        var delay = options.PollInterval;
        var current = job;
        try
        {
            while (true)
            {
                if (current.IsFinal)
                {
                    progress?.Report(new BulkJobProgress(current.Id, current.State, current.NumberRecordsProcessed, current.NumberRecordsFailed));
                    return current;
                }

                if (options.Timeout is { } timeout && _connection.TimeProvider.GetUtcNow() - started >= timeout)
                {
                    throw new BulkJobTimeoutException(current.Id, current.State, timeout);
                }

                await Task.Delay(delay, _connection.TimeProvider, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(Math.Max(delay.Ticks * 2, TimeSpan.TicksPerMillisecond), options.MaxPollInterval.Ticks));
                var response = await _connection.Bulk.GetJob(_connection.Version, kind, current.Id, cancellationToken).ConfigureAwait(false);
                current = await _connection.ReadAsync(response, JobInfo, cancellationToken).ConfigureAwait(false);
                Log.BulkJobPolled(_connection.Logger, current.Id, current.State, current.NumberRecordsProcessed, current.NumberRecordsFailed);
                if (!current.IsFinal)
                {
                    progress?.Report(new BulkJobProgress(current.Id, current.State, current.NumberRecordsProcessed, current.NumberRecordsFailed));
                }
            }
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(
                $"Stopped waiting for Bulk API 2.0 job {current.Id} (state {current.State}); the job keeps running in Salesforce. Poll it or abort it by its id.",
                e, cancellationToken);
        }
    }

    private async Task JoinResultsAsync(string jobId, BulkJobInfo job, RowKeys keys, BulkOperation operation, char delimiter, SaveResult?[] results, CancellationToken cancellationToken)
    {
        var reportsCreated = operation == BulkOperation.Insert || operation == BulkOperation.Upsert;
        await ReadResultsAsync(jobId, "successfulResults", delimiter, keys, 2, results, (index, row) =>
        {
            bool? created = reportsCreated ? string.Equals(row[1], "true", StringComparison.OrdinalIgnoreCase) : null;
            return new SaveResult(index, NullIfEmpty(row[0]), true, created, []);
        }, cancellationToken).ConfigureAwait(false);
        await ReadResultsAsync(jobId, "failedResults", delimiter, keys, 2, results, (index, row) =>
            new SaveResult(index, NullIfEmpty(row[0]), false, null, [CsvValues.ParseError(row[1])]), cancellationToken).ConfigureAwait(false);
        await ReadResultsAsync(jobId, "unprocessedrecords", delimiter, keys, 0, results, (index, _) =>
            new SaveResult(index, null, false, null,
                [new SalesforceError(SalesforceError.Codes.NotProcessed, $"Job {job.Id} ended in state {job.State} before processing this row.", [])]),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task ReadResultsAsync(
        string jobId, string resultKind, char delimiter, RowKeys keys, int statusColumns, SaveResult?[] results, Func<int, string[], SaveResult> map,
        CancellationToken cancellationToken)
    {
        var response = await _connection.Bulk.GetIngestResults(_connection.Version, jobId, resultKind, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            await _connection.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var csv = new CsvReader(stream, delimiter);
            var header = await csv.ReadRowAsync(cancellationToken).ConfigureAwait(false);
            if (header is null)
            {
                return;
            }

            // The original columns follow the sf__ ones; find each input column by name.
            var positions = keys.Columns.Select(c => Array.FindIndex(header, statusColumns, h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase))).ToArray();
            while (await csv.ReadRowAsync(cancellationToken).ConfigureAwait(false) is { } row)
            {
                var index = keys.Take(row, positions);
                if (index >= 0 && row.Length >= statusColumns)
                {
                    results[index] = map(index, row);
                }
            }
        }
    }

    private Task<BulkJobInfo> GetJobAsync(string kind, string jobId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidJobId(jobId);
        return _connection.RunAsync("BulkClient.GetJob", async ct =>
        {
            var response = await _connection.Bulk.GetJob(_connection.Version, kind, jobId, ct).ConfigureAwait(false);
            return await _connection.ReadAsync(response, JobInfo, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    private Task<BulkJobInfo> ChangeStateAsync(string kind, string jobId, string state, CancellationToken cancellationToken)
    {
        ThrowIfInvalidJobId(jobId);
        return _connection.RunAsync("BulkClient.AbortJob", async ct =>
        {
            var response = await _connection.Bulk.ChangeJobState(_connection.Version, kind, jobId, StateBody(state), ct).ConfigureAwait(false);
            return await _connection.ReadAsync(response, JobInfo, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    private Task DeleteJobAsync(string kind, string jobId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidJobId(jobId);
        return _connection.RunAsync("BulkClient.DeleteJob", async ct =>
        {
            using var response = await _connection.Bulk.DeleteJob(_connection.Version, kind, jobId, ct).ConfigureAwait(false);
            await _connection.EnsureSuccessAsync(response, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    private System.Text.Json.Serialization.Metadata.JsonTypeInfo<BulkJobInfo> JobInfo => _connection.Serializer.ReadInfo<BulkJobInfo>();

    private static HttpContent StateBody(string state) => JsonBody(writer => writer.WriteString("state", state));

    private static HttpContent JsonBody(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return SalesforceConnection.RawJsonBody(buffer.WrittenMemory);
    }

    private static void ThrowIfInvalidJobId(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        if (jobId.Length > 40 || !jobId.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{jobId}' is not a Bulk API job id.", nameof(jobId));
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
