using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Telemetry;
using Atom.Salesforce.Soql;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>
/// Bulk API 2.0: ingest (insert, update, upsert, delete, hardDelete) any number of rows as CSV jobs, and stream query results
/// page by page. Get one from <see cref="SalesforceClient.Bulk"/>.
/// </summary>
/// <remarks>
/// Ingest writes the rows as CSV while it reads them, up to 100 MB per job (more rows make more jobs), closes each job, polls
/// until Salesforce finishes, then joins the result files back to the input rows. Cancelling or timing out while a job runs
/// leaves the job running in Salesforce; the exception names it. Any other failure once a job exists is a
/// <see cref="BulkJobException"/> with the job's id and last known state (an upload or a close that fails aborts the job first);
/// continue with <see cref="WaitForIngestJobAsync"/> / <see cref="GetIngestJobResultsAsync"/> or <see cref="WaitForQueryJobAsync"/> /
/// <see cref="GetQueryJobResultsAsync{T}"/> instead of repeating the call. Job states and abort follow the Bulk API 2.0 Developer
/// Guide ("Job States", "Close or Abort a Job").
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
    /// <param name="operation">Insert, update, upsert (on <see cref="BulkIngestOptions.ExternalIdField"/>, <c>Id</c> when not set), delete or hardDelete.</param>
    /// <param name="records">POCOs or <see cref="SObject"/>s, read once, as the upload goes.</param>
    /// <param name="options">External id field, upload size, columns, polling, progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops waiting; jobs already closed keep running in Salesforce.</param>
    public virtual Task<BulkIngestResult> IngestAsync<T>(
        string sObjectType, SaveOperation operation, IEnumerable<T> records, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(records);
        var effective = options ?? BulkIngestOptions.Default;
        effective.Validate();
        return IngestRowsAsync("BulkClient.Ingest", sObjectType, operation, effective, ',',
            () => new RecordRowSource<T>(records, _connection.Serializer, operation, effective.Columns), effective.Progress, cancellationToken);
    }

    /// <summary>
    /// Ingests a CSV stream you wrote (header row first, <see cref="BulkIngestOptions.ColumnDelimiter"/> between values). The
    /// stream is read once and split into jobs of at most 100 MB; results come back per data row, in stream order.
    /// </summary>
    /// <param name="sObjectType">The sObject API name.</param>
    /// <param name="operation">Insert, update, upsert, delete or hardDelete.</param>
    /// <param name="csv">The CSV, header row first; read once.</param>
    /// <param name="options">Column delimiter, external id field, upload size, polling, progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops waiting; jobs already closed keep running in Salesforce.</param>
    public virtual Task<BulkIngestResult> IngestCsvAsync(
        string sObjectType, SaveOperation operation, Stream csv, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(csv);
        var effective = options ?? BulkIngestOptions.Default;
        effective.Validate();
        var delimiter = effective.Delimiter;
        return IngestRowsAsync("BulkClient.IngestCsv", sObjectType, operation, effective, delimiter, () => new CsvRowSource(csv, delimiter), effective.Progress, cancellationToken);
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
    /// Waits until an ingest job is <see cref="BulkJobState.JobComplete"/>, <see cref="BulkJobState.Failed"/> or
    /// <see cref="BulkJobState.Aborted"/>, polling as <paramref name="options"/> say, and returns it: for a job named by a
    /// <see cref="BulkJobException"/>, or one started elsewhere. A job still <see cref="BulkJobState.Open"/> is refused with a
    /// <see cref="BulkJobException"/> at once: Salesforce processes it only once it is closed.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="options">Polling, timeout and progress; defaults when null (other ingest options are not used).</param>
    /// <param name="cancellationToken">Stops waiting; the job keeps running in Salesforce.</param>
    public virtual Task<BulkJobInfo> WaitForIngestJobAsync(
        string jobId, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var effective = options ?? BulkIngestOptions.Default;
        return WaitForJobAsync("ingest", jobId, effective, effective.Progress, cancellationToken);
    }

    /// <summary>Waits until a query job is complete, failed or aborted, and returns it; see <see cref="WaitForIngestJobAsync"/>.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="options">Polling, timeout and progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops waiting; the job keeps running in Salesforce.</param>
    public virtual Task<BulkJobInfo> WaitForQueryJobAsync(
        string jobId, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var effective = options ?? BulkQueryOptions.Default;
        return WaitForJobAsync("query", jobId, effective, effective.Progress, cancellationToken);
    }

    /// <summary>
    /// Reads the result files of a finished ingest job by its id: every row saved (<c>successfulResults</c>), refused
    /// (<c>failedResults</c>) or never processed (<c>unprocessedrecords</c>), with the columns it was uploaded with. Wait for the
    /// job first (<see cref="WaitForIngestJobAsync"/>); a job that is not finished is refused with a <see cref="BulkJobException"/>.
    /// Salesforce keeps the results until the job is deleted (at most 7 days).
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    public virtual Task<BulkIngestJobResult> GetIngestJobResultsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidJobId(jobId);
        return _connection.RunAsync("BulkClient.GetIngestJobResults", async ct =>
        {
            var response = await _connection.Bulk.GetJob(_connection.Version, "ingest", jobId, ct).ConfigureAwait(false);
            var job = await _connection.ReadAsync(response, JobInfo, ct).ConfigureAwait(false);
            if (!job.IsFinal)
            {
                throw new BulkJobException(
                    $"Bulk API 2.0 job {job.Id} is {job.State} and has no results yet; wait for it with WaitForIngestJobAsync first.", job);
            }

            var delimiter = DelimiterOf(job);
            var rows = new List<BulkIngestRowResult>((int)Math.Min(job.NumberRecordsProcessed, 1_000_000));
            try
            {
                var reportsCreated = job.Operation is "insert" or "upsert";
                await ReadResultFileAsync(job.Id, "successfulResults", delimiter, 2, rows, (row, fields) =>
                    new BulkIngestRowResult
                    {
                        Id = NullIfEmpty(row[0]),
                        Success = true,
                        Processed = true,
                        Created = reportsCreated ? string.Equals(row[1], "true", StringComparison.OrdinalIgnoreCase) : null,
                        Fields = fields,
                    }, ct)
                    .ConfigureAwait(false);
                await ReadResultFileAsync(job.Id, "failedResults", delimiter, 2, rows, (row, fields) =>
                    new BulkIngestRowResult
                    {
                        Id = NullIfEmpty(row[0]),
                        Success = false,
                        Processed = true,
                        Errors = [CsvValues.ParseError(row[1])],
                        Fields = fields,
                    }, ct).ConfigureAwait(false);
                await ReadResultFileAsync(job.Id, "unprocessedrecords", delimiter, 0, rows, (_, fields) =>
                    new BulkIngestRowResult
                    {
                        Success = false,
                        Processed = false,
                        Errors = [new SalesforceError
                        {
                            ErrorCode = SalesforceError.Codes.NotProcessed,
                            Message = $"Job {job.Id} ended in state {job.State} before processing this row.",
                        }],
                        Fields = fields,
                    }, ct)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (!IsCallerCancellation(e, ct))
            {
                var cause = SalesforceConnection.Map(e, ct);
                throw new BulkJobException($"Reading the results of Bulk API 2.0 job {job.Id} ({job.State}) failed: {cause.Message} Read them again by the job's id.", job, innerException: cause);
            }

            return new BulkIngestJobResult(job, rows);
        }, cancellationToken);
    }

    /// <summary>
    /// Streams the records of a query job by its id, from its first result page: for a job named by a
    /// <see cref="BulkJobException"/> (the query is not run again), or one started elsewhere. Waits for the job first when it is
    /// still running.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="options">Page size, polling and timeout; defaults when null (<see cref="BulkQueryOptions.IncludeDeleted"/> is the job's).</param>
    /// <param name="cancellationToken">Stops the enumeration; the job and its results stay in Salesforce.</param>
    public virtual IAsyncEnumerable<T> GetQueryJobResultsAsync<T>(string jobId, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidJobId(jobId);
        var effective = options ?? BulkQueryOptions.Default;
        effective.Validate();
        ThrowIfUnreadable<T>();
        return ReadRecords<T>(ct => ResumeQueryAsync(jobId, effective, ct), effective, cancellationToken);
    }

    /// <summary>
    /// Runs a SOQL query as a Bulk API 2.0 query job and streams every record of every result page, in constant memory. The job
    /// is created on the first enumeration. Read rows as <see cref="SObject"/> (every column, empty cells null) or as a class
    /// whose properties match the columns.
    /// </summary>
    /// <param name="soql">The query; Bulk queries do not support aggregates, OFFSET, TYPEOF or subqueries.</param>
    /// <param name="options">queryAll, page size, polling, progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops the enumeration; a job still running keeps running in Salesforce.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "One operation, the query as text, syntax tree or typed builder: the type of the first, required argument picks the overload, so no call that leaves options or the token out is ambiguous.")]
    public virtual IAsyncEnumerable<T> QueryAsync<T>(
        string soql, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var effective = options ?? BulkQueryOptions.Default;
        effective.Validate();
        ThrowIfUnreadable<T>();
        return ReadRecords<T>(ct => StartQueryAsync(soql, effective, effective.Progress, ct), effective, cancellationToken);
    }

    /// <summary>
    /// Runs a SOQL query given as a syntax tree as a Bulk API 2.0 query job and streams every record of every result page, in
    /// constant memory; as <see cref="QueryAsync{T}(string, BulkQueryOptions?, CancellationToken)"/> otherwise.
    /// </summary>
    /// <param name="query">The query, sent as its canonical SOQL text; Bulk queries do not support aggregates, OFFSET, TYPEOF or subqueries.</param>
    /// <param name="options">queryAll, page size, polling, progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops the enumeration; a job still running keeps running in Salesforce.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "One operation, the query as text, syntax tree or typed builder: the type of the first, required argument picks the overload, so no call that leaves options or the token out is ambiguous.")]
    public virtual IAsyncEnumerable<T> QueryAsync<T>(
        SoqlQuery query, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync<T>(query.ToString(), options, cancellationToken);
    }

    /// <summary>
    /// Runs a typed query (<c>SoqlBuilder.From&lt;Account&gt;().Where(...)</c>) as a Bulk API 2.0 query job and streams every
    /// record as <typeparamref name="T"/>; as <see cref="QueryAsync{T}(string, BulkQueryOptions?, CancellationToken)"/> otherwise.
    /// </summary>
    /// <param name="query">The query, sent as its canonical SOQL text.</param>
    /// <param name="options">queryAll, page size, polling, progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops the enumeration; a job still running keeps running in Salesforce.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "One operation, the query as text, syntax tree or typed builder: the type of the first, required argument picks the overload, so no call that leaves options or the token out is ambiguous.")]
    public virtual IAsyncEnumerable<T> QueryAsync<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties)] T>(
        SoqlBuilder<T> query, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync<T>(query.ToQuery(), options, cancellationToken);
    }

    /// <summary>
    /// Creates a Bulk API 2.0 query job and returns it at once, without waiting for it: store its id to read its results later,
    /// page by page (<see cref="GetQueryJobResultPageAsync"/>), from this process or another one. Wait for it with
    /// <see cref="WaitForQueryJobAsync"/>.
    /// </summary>
    /// <param name="soql">The query; Bulk queries do not support aggregates, OFFSET, TYPEOF or subqueries.</param>
    /// <param name="options">queryAll; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task<BulkJobInfo> CreateQueryJobAsync(string soql, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var effective = options ?? BulkQueryOptions.Default;
        effective.Validate();
        return CreateQueryJobCoreAsync(soql, effective, cancellationToken);
    }

    /// <summary>
    /// Reads one result page of a finished query job: the page the <paramref name="locator"/> names (the first page when null),
    /// with the locator of the next one (<see cref="BulkQueryResultPage.NextLocator"/>, null on the last page) known before
    /// any row is read. Rows stream from the response as they are read, so a page costs the memory of one row. A caller that
    /// stores the next locator once it has finished with a page can resume after a crash with the page that follows, while
    /// the job exists (Salesforce keeps it for 7 days).
    /// </summary>
    /// <param name="job">The job, finished (<see cref="BulkJobState.JobComplete"/>): its id and API version are used.</param>
    /// <param name="locator">The page's locator, from <see cref="BulkQueryResultPage.NextLocator"/>; null for the first page.</param>
    /// <param name="options">The page size (<see cref="BulkQueryOptions.MaxRecordsPerPage"/>); defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BulkJobException">The job is not complete, or its results could not be read.</exception>
    public virtual async Task<BulkQueryResultPage> GetQueryJobResultPageAsync(
        BulkJobInfo job, string? locator = null, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ThrowIfInvalidJobId(job.Id);
        var effective = options ?? BulkQueryOptions.Default;
        effective.Validate();
        ThrowUnlessComplete(job);
        var (response, next) = await FetchResultPageAsync(job, locator, effective, cancellationToken).ConfigureAwait(false);
        var csv = new CsvReader(ResultStream(job, locator, effective, response));
        try
        {
            var header = await ReadResultRowAsync(csv, job, cancellationToken).ConfigureAwait(false) ?? [];
            return new BulkQueryResultPage(locator, next, header, ct => ReadResultRowAsync(csv, job, ct), csv);
        }
        catch
        {
            csv.Dispose();
            throw;
        }
    }

    private async Task<BulkJobInfo> CreateQueryJobCoreAsync(string soql, BulkQueryOptions options, CancellationToken cancellationToken) =>
        await _connection.RunAsync("BulkClient.CreateQueryJob", async ct =>
        {
            Governance.RequestPriorityScope.Set(options.Priority);
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

    private void ThrowIfUnreadable<T>()
    {
        if (typeof(T) != typeof(SObject))
        {
            var info = _connection.Serializer.ReadOptions.GetTypeInfo(typeof(T));
            if (info.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object || info.CreateObject is null)
            {
                throw new ArgumentException($"Bulk query rows can be read as SObject or as a class with a parameterless constructor, not as {typeof(T).Name}.", nameof(T));
            }
        }
    }

    /// <summary>
    /// Runs a SOQL query as a Bulk API 2.0 query job and streams the result as raw UTF-8 CSV: one header row, then every page's
    /// rows. Each chunk is only valid until the enumeration moves on; copy or write it out before then.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "One operation, the query as text, syntax tree or typed builder: the type of the first, required argument picks the overload, so no call that leaves options or the token out is ambiguous.")]
    public virtual IAsyncEnumerable<ReadOnlyMemory<byte>> QueryCsvAsync(
        string soql, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var effective = options ?? BulkQueryOptions.Default;
        effective.Validate();
        return QueryChunks(soql, effective, effective.Progress, cancellationToken);
    }

    /// <summary>
    /// Runs a SOQL query given as a syntax tree as a Bulk API 2.0 query job and streams the result as raw UTF-8 CSV; as
    /// <see cref="QueryCsvAsync(string, BulkQueryOptions?, CancellationToken)"/> otherwise.
    /// </summary>
    /// <param name="query">The query, sent as its canonical SOQL text.</param>
    /// <param name="options">queryAll, page size, polling, progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops the enumeration; a job still running keeps running in Salesforce.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "One operation, the query as text, syntax tree or typed builder: the type of the first, required argument picks the overload, so no call that leaves options or the token out is ambiguous.")]
    public virtual IAsyncEnumerable<ReadOnlyMemory<byte>> QueryCsvAsync(
        SoqlQuery query, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryCsvAsync(query.ToString(), options, cancellationToken);
    }

    private async IAsyncEnumerable<T> ReadRecords<T>(
        Func<CancellationToken, Task<BulkJobInfo>> start, BulkQueryOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var job = await start(cancellationToken).ConfigureAwait(false);
        CsvRecordReader<T>? reader = null;
        string? locator = null;
        do
        {
            var (response, next) = await FetchResultPageAsync(job, locator, options, cancellationToken).ConfigureAwait(false);
            using var csv = new CsvReader(ResultStream(job, locator, options, response));
            var header = await ReadResultRowAsync(csv, job, cancellationToken).ConfigureAwait(false);
            if (header is not null)
            {
                reader ??= new CsvRecordReader<T>(_connection.Serializer, job.Object ?? string.Empty, header);
                while (await ReadResultRowAsync(csv, job, cancellationToken).ConfigureAwait(false) is { } row)
                {
                    yield return ReadRecord(reader, row, job);
                }
            }

            locator = next;
        }
        while (locator is not null);
    }

    /// <summary>A result page's body that fetches the page again, and skips what was read, when the connection breaks part-way.</summary>
    private ResumableResultStream ResultStream(BulkJobInfo job, string? locator, BulkQueryOptions options, HttpResponseMessage response) =>
        ResumableResultStream.Over(_connection, response, $"result page of Bulk API 2.0 job {job.Id}", async ct =>
        {
            var (again, _) = await FetchPageAsync(job, locator, options, ct).ConfigureAwait(false);
            return again;
        });

    /// <summary>The next result row; any failure becomes a <see cref="BulkJobException"/> naming the job.</summary>
    private static async ValueTask<string[]?> ReadResultRowAsync(CsvReader csv, BulkJobInfo job, CancellationToken cancellationToken)
    {
        try
        {
            return await csv.ReadRowAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            throw new BulkJobException($"The results of Bulk API 2.0 job {job.Id} are not valid CSV: {e.Message}", job, innerException: e);
        }
        catch (Exception e) when (!IsCallerCancellation(e, cancellationToken))
        {
            throw ResultsFailed(job, SalesforceConnection.Map(e, cancellationToken));
        }
    }

    private async Task<(HttpResponseMessage Response, string? Next)> FetchResultPageAsync(
        BulkJobInfo job, string? locator, BulkQueryOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await FetchPageAsync(job, locator, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!IsCallerCancellation(e, cancellationToken))
        {
            throw ResultsFailed(job, SalesforceConnection.Map(e, cancellationToken));
        }
    }

    private static BulkJobException ResultsFailed(BulkJobInfo job, Exception cause) =>
        new($"Reading the results of Bulk API 2.0 job {job.Id} ({job.State}) failed: {cause.Message} The results stay available while the job exists: "
            + "read them again with GetQueryJobResultsAsync(jobId).", job, innerException: cause);

    private static T ReadRecord<T>(CsvRecordReader<T> reader, string[] row, BulkJobInfo job)
    {
        try
        {
            return reader.Read(row);
        }
        catch (FormatException e)
        {
            throw new BulkJobException($"A result row of Bulk API 2.0 job {job.Id} could not be read as {typeof(T).Name}: {e.Message}", job, innerException: e);
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
                var (response, next) = await FetchResultPageAsync(job, locator, options, cancellationToken).ConfigureAwait(false);
                var stream = ResultStream(job, locator, options, response);
                await using (stream.ConfigureAwait(false))
                {
                    // Later pages repeat the header row; field names hold no line break, so it ends at the first LF.
                    var skipping = !first;
                    int read;
                    while ((read = await ReadChunkAsync(stream, buffer, job, cancellationToken).ConfigureAwait(false)) > 0)
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

    private static async ValueTask<int> ReadChunkAsync(Stream stream, byte[] buffer, BulkJobInfo job, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!IsCallerCancellation(e, cancellationToken))
        {
            throw ResultsFailed(job, SalesforceConnection.Map(e, cancellationToken));
        }
    }

    private async Task<BulkJobInfo> StartQueryAsync(string soql, BulkQueryOptions options, IProgress<BulkJobProgress>? progress, CancellationToken cancellationToken)
    {
        var created = await CreateQueryJobCoreAsync(soql, options, cancellationToken).ConfigureAwait(false);

        return ThrowUnlessComplete(await WaitOrFailAsync("query", created, options, _connection.TimeProvider.GetUtcNow(), progress, null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>An existing query job, waited for until it is complete.</summary>
    private async Task<BulkJobInfo> ResumeQueryAsync(string jobId, BulkQueryOptions options, CancellationToken cancellationToken) =>
        ThrowUnlessComplete(await WaitForJobAsync("query", jobId, options, null, cancellationToken).ConfigureAwait(false));

    private static BulkJobInfo ThrowUnlessComplete(BulkJobInfo done) => done.State == BulkJobState.JobComplete
        ? done
        : throw new BulkJobException($"Bulk API 2.0 query job {done.Id} ended in state {done.State}: {done.ErrorMessage ?? "no reason given"}.", done);

    private async Task<BulkJobInfo> WaitForJobAsync(string kind, string jobId, BulkJobOptions options, IProgress<BulkJobProgress>? progress, CancellationToken cancellationToken)
    {
        ThrowIfInvalidJobId(jobId);
        options.Validate();
        Governance.RequestPriorityScope.Set(options.Priority);
        var job = await GetJobAsync(kind, jobId, cancellationToken).ConfigureAwait(false);
        if (job.State == BulkJobState.Open)
        {
            // Salesforce processes an ingest job only once it is closed; waiting on an open one would never end.
            throw new BulkJobException($"Bulk API 2.0 job {job.Id} is Open: Salesforce processes it only once it is closed. Abort it, or upload and close it, first.", job);
        }

        return await WaitOrFailAsync(kind, job, options, _connection.TimeProvider.GetUtcNow(), progress, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><see cref="WaitAsync"/>, with any failure but the caller's cancellation a <see cref="BulkJobException"/> naming the job.</summary>
    private async Task<BulkJobInfo> WaitOrFailAsync(
        string kind, BulkJobInfo job, BulkJobOptions options, DateTimeOffset started, IProgress<BulkJobProgress>? progress, IngestJobs? ingest,
        CancellationToken cancellationToken)
    {
        Governance.RequestPriorityScope.Set(options.Priority);
        var last = new StrongBox<BulkJobInfo>(job);
        try
        {
            return await WaitAsync(kind, last, options, started, progress, ingest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not BulkJobException && !IsCallerCancellation(e, cancellationToken))
        {
            var cause = SalesforceConnection.Map(e, cancellationToken);
            var known = last.Value!;
            throw new BulkJobException(
                $"Waiting for Bulk API 2.0 job {known.Id} failed (last known state: {known.State}): {cause.Message} The job keeps running in Salesforce; "
                + $"wait for it again with WaitFor{(kind == "query" ? "Query" : "Ingest")}JobAsync(jobId).",
                known, ingest?.Snapshot(), innerException: cause);
        }
    }

    private Task<(HttpResponseMessage Response, string? Next)> FetchPageAsync(BulkJobInfo job, string? locator, BulkQueryOptions options, CancellationToken cancellationToken) =>
        _connection.RunAsync("BulkClient.QueryResults", async ct =>
        {
            Governance.RequestPriorityScope.Set(options.Priority);
            // Results must be read with the version that created the job, or Salesforce answers 409.
            var version = job.ApiVersion > 0 ? "v" + job.ApiVersion.ToString("0.0", CultureInfo.InvariantCulture) : _connection.Version;
            var response = await _connection.Bulk.GetQueryResults(version, job.Id, locator, options.MaxRecordsPerPage, ct).ConfigureAwait(false);
            await _connection.EnsureSuccessAsync(response, ct).ConfigureAwait(false);
            var next = response.Headers.TryGetValues("Sforce-Locator", out var values) ? values.FirstOrDefault() : null;
            return (response, string.IsNullOrEmpty(next) || next == "null" ? null : next);
        }, cancellationToken);

    private Task<BulkIngestResult> IngestRowsAsync(
        string operationName, string sObjectType, SaveOperation operation, BulkIngestOptions options, char delimiter, Func<RowSource> rows,
        IProgress<BulkJobProgress>? progress, CancellationToken cancellationToken)
    {
        var externalId = operation == SaveOperation.Upsert ? options.ExternalIdField ?? "Id" : null;
        return _connection.RunWriteAsync(operationName, sObjectType, async ct =>
        {
            var jobs = new IngestJobs();
            try
            {
                return await IngestAsync(jobs, sObjectType, operation, externalId, options, delimiter, rows, progress, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (jobs.Count > 0 && e is not BulkJobException && !IsCallerCancellation(e, ct))
            {
                // The input failed (or a later job could not be created) after a job was closed: its rows are being saved.
                var cause = SalesforceConnection.Map(e, ct);
                var last = jobs.Last;
                throw new BulkJobException(
                    $"The ingest stopped after {jobs.Count} Bulk API 2.0 job(s) had been closed (the last, {last.Info.Id}, holds rows {last.Keys.Start} to "
                    + $"{last.Keys.Start + last.Keys.Count - 1}): {cause.Message} Those jobs keep running in Salesforce; rows after them were not uploaded.",
                    last.Info, jobs.Snapshot(), innerException: cause);
            }
        }, cancellationToken);
    }

    private async Task<BulkIngestResult> IngestAsync(
        IngestJobs jobs, string sObjectType, SaveOperation operation, string? externalId, BulkIngestOptions options, char delimiter, Func<RowSource> rows,
        IProgress<BulkJobProgress>? progress, CancellationToken ct)
    {
        Governance.RequestPriorityScope.Set(options.Priority);
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
                    await UploadAsync(jobs, sObjectType, operation, externalId, options, buffer, keys, ct).ConfigureAwait(false);
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
                        throw CallerArgument.Invalid($"Row {index} alone is larger than MaxUploadBytes ({options.MaxUploadBytes:N0} bytes).", "records");
                    }
                }

                buffer.Write(row.WrittenSpan);
                keys.Add(source.Cells);
                index++;
            }
        }

        if (keys is not null)
        {
            await UploadAsync(jobs, sObjectType, operation, externalId, options, buffer, keys, ct).ConfigureAwait(false);
        }

        var results = new SaveResult?[index];
        var finished = new List<BulkJobInfo>(jobs.Count);
        var started = _connection.TimeProvider.GetUtcNow();
        foreach (var job in jobs.All)
        {
            var done = await WaitOrFailAsync("ingest", job.Info, options, started, progress, jobs, ct).ConfigureAwait(false);
            job.Info = done;
            finished.Add(done);
            try
            {
                await JoinResultsAsync(job.Id, done, job.Keys, operation, delimiter, results, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!IsCallerCancellation(e, ct))
            {
                var cause = SalesforceConnection.Map(e, ct);
                throw new BulkJobException(
                    $"Bulk API 2.0 job {done.Id} ended ({done.State}: {done.NumberRecordsProcessed} rows processed, {done.NumberRecordsFailed} failed), but reading its "
                    + $"results failed: {cause.Message} Read them with GetIngestJobResultsAsync(jobId); do not upload the rows again.",
                    done, jobs.Snapshot(), innerException: cause);
            }

            for (var i = job.Keys.Start; i < job.Keys.Start + job.Keys.Count; i++)
            {
                results[i] ??= new SaveResult
                {
                    Index = i,
                    Success = false,
                    Errors = [new SalesforceError
                    {
                        ErrorCode = SalesforceError.Codes.NotProcessed,
                        Message = $"Job {done.Id} ended in state {done.State} without processing this row. {done.ErrorMessage}".TrimEnd(),
                    }],
                };
            }
        }

        return new BulkIngestResult(finished, results!);
    }

    /// <summary>
    /// Creates a job, uploads <paramref name="data"/> and closes the job. When the upload or the close fails, the job is aborted
    /// (best effort: an open job would hold the rows until it expires, and Salesforce does not process an aborted job's rows)
    /// and the failure is a <see cref="BulkJobException"/> that says whether the abort succeeded.
    /// </summary>
    private async Task UploadAsync(
        IngestJobs jobs, string sObjectType, SaveOperation operation, string? externalId, BulkIngestOptions options, ArrayBufferWriter<byte> data, RowKeys keys,
        CancellationToken cancellationToken)
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
        var job = jobs.Add(await _connection.ReadAsync(response, JobInfo, cancellationToken).ConfigureAwait(false), keys);
        var step = "Uploading the rows of";
        try
        {
            var content = new ReadOnlyMemoryContent(data.WrittenMemory);
            content.Headers.ContentType = CsvMediaType;
            using (var upload = await _connection.Bulk.UploadIngestData(_connection.Version, job.Id, content, cancellationToken).ConfigureAwait(false))
            {
                await _connection.EnsureSuccessAsync(upload, cancellationToken).ConfigureAwait(false);
            }

            step = "Closing";
            var closed = await _connection.Bulk.ChangeJobState(_connection.Version, "ingest", job.Id, StateBody(BulkJobState.UploadComplete), cancellationToken)
                .ConfigureAwait(false);
            job.Info = await _connection.ReadAsync(closed, JobInfo, cancellationToken).ConfigureAwait(false);
            job.ClosedAt = _connection.TimeProvider.GetUtcNow();
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(
                $"Cancelled while uploading to Bulk API 2.0 job {job.Id}; the job stays open in Salesforce until it is aborted or expires.", e, cancellationToken);
        }
        catch (Exception e)
        {
            var cause = SalesforceConnection.Map(e, cancellationToken);
            var (aborted, info) = await TryAbortAsync("ingest", job.Info, cancellationToken).ConfigureAwait(false);
            job.Info = info;
            throw new BulkJobException(
                $"{step} Bulk API 2.0 job {info.Id} failed: {cause.Message} "
                + (aborted
                    ? info.NumberRecordsProcessed == 0
                        ? $"The SDK aborted the job before Salesforce processed any of its rows ({keys.Start} to {keys.Start + keys.Count - 1}); upload them again."
                        : $"The SDK aborted the job, but Salesforce had processed {info.NumberRecordsProcessed} of its rows: read GetIngestJobResultsAsync(jobId) and upload again only the rows it does not list as saved or refused."
                    : info.State == BulkJobState.Open
                        ? "Aborting the job failed too and it is still open: abort it by its id (AbortIngestJobAsync), then upload its rows again."
                        : $"The job was closed after all (state {info.State}): wait for it and read its results by id; do not upload its rows again."),
                info, jobs.Snapshot(), aborted, cause);
        }
    }

    /// <summary>Aborts the job, best effort; when that fails, reads its state. True when the job ended up aborted.</summary>
    private async Task<(bool Aborted, BulkJobInfo Info)> TryAbortAsync(string kind, BulkJobInfo job, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _connection.Bulk.ChangeJobState(_connection.Version, kind, job.Id, StateBody(BulkJobState.Aborted), cancellationToken).ConfigureAwait(false);
            var aborted = await _connection.ReadAsync(response, JobInfo, cancellationToken).ConfigureAwait(false);
            return (aborted.State == BulkJobState.Aborted, aborted);
        }
        catch (Exception e) when (!IsCallerCancellation(e, cancellationToken))
        {
            try
            {
                var response = await _connection.Bulk.GetJob(_connection.Version, kind, job.Id, cancellationToken).ConfigureAwait(false);
                var current = await _connection.ReadAsync(response, JobInfo, cancellationToken).ConfigureAwait(false);
                return (current.State == BulkJobState.Aborted, current);
            }
            catch (Exception again) when (!IsCallerCancellation(again, cancellationToken))
            {
                return (false, job);
            }
        }
    }

    private async Task<BulkJobInfo> WaitAsync(
        string kind, StrongBox<BulkJobInfo> last, BulkJobOptions options, DateTimeOffset started, IProgress<BulkJobProgress>? progress, IngestJobs? ingest,
        CancellationToken cancellationToken)
    {
        var schedule = new BulkPollSchedule(options.PollInterval, options.MaxPollInterval);
        var current = last.Value!;
        var uploaded = ingest?.Find(current.Id);
        var jobId = current.Id;
        try
        {
            while (true)
            {
                if (current.IsFinal)
                {
                    progress?.Report(new BulkJobProgress
                    {
                        JobId = current.Id,
                        State = current.State,
                        RecordsProcessed = current.NumberRecordsProcessed,
                        RecordsFailed = current.NumberRecordsFailed,
                    });
                    return current;
                }

                if (options.Timeout is { } timeout && _connection.TimeProvider.GetUtcNow() - started >= timeout)
                {
                    throw new BulkJobTimeoutException(current, timeout, ingest?.Snapshot());
                }

                var closedAt = uploaded?.ClosedAt ?? started;
                var delay = schedule.Next(current, uploaded?.Keys.Count, _connection.TimeProvider.GetUtcNow() - closedAt);
                await Task.Delay(delay, _connection.TimeProvider, cancellationToken).ConfigureAwait(false);
                var response = await _connection.Bulk.GetJob(_connection.Version, kind, jobId, cancellationToken).ConfigureAwait(false);
                current = await _connection.ReadAsync(response, JobInfo, cancellationToken).ConfigureAwait(false);
                last.Value = current;
                ingest?.Update(current);
                Log.BulkJobPolled(_connection.Logger, current.Id, current.State, current.NumberRecordsProcessed, current.NumberRecordsFailed);
                if (!current.IsFinal)
                {
                    progress?.Report(new BulkJobProgress
                    {
                        JobId = current.Id,
                        State = current.State,
                        RecordsProcessed = current.NumberRecordsProcessed,
                        RecordsFailed = current.NumberRecordsFailed,
                    });
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

    private async Task JoinResultsAsync(string jobId, BulkJobInfo job, RowKeys keys, SaveOperation operation, char delimiter, SaveResult?[] results, CancellationToken cancellationToken)
    {
        var reportsCreated = operation == SaveOperation.Insert || operation == SaveOperation.Upsert;
        await ReadResultsAsync(jobId, "successfulResults", delimiter, keys, 2, results, (index, row) =>
        {
            bool? created = reportsCreated ? string.Equals(row[1], "true", StringComparison.OrdinalIgnoreCase) : null;
            return new SaveResult { Index = index, Id = NullIfEmpty(row[0]), Success = true, Created = created };
        }, cancellationToken).ConfigureAwait(false);
        await ReadResultsAsync(jobId, "failedResults", delimiter, keys, 2, results, (index, row) =>
            new SaveResult
            {
                Index = index,
                Id = NullIfEmpty(row[0]),
                Success = false,
                Errors = [CsvValues.ParseError(row[1])],
            }, cancellationToken).ConfigureAwait(false);
        await ReadResultsAsync(jobId, "unprocessedrecords", delimiter, keys, 0, results, (index, _) =>
            new SaveResult
            {
                Index = index,
                Success = false,
                Errors = [new SalesforceError
                {
                    ErrorCode = SalesforceError.Codes.NotProcessed,
                    Message = $"Job {job.Id} ended in state {job.State} before processing this row.",
                }],
            },
            cancellationToken).ConfigureAwait(false);
    }

    private Task ReadResultsAsync(
        string jobId, string resultKind, char delimiter, RowKeys keys, int statusColumns, SaveResult?[] results, Func<int, string[], SaveResult> map,
        CancellationToken cancellationToken)
    {
        int[]? positions = null;
        return ForEachResultRowAsync(jobId, resultKind, delimiter, (header, row) =>
        {
            // The original columns follow the sf__ ones; find each input column by name.
            positions ??= keys.Columns.Select(c => Array.FindIndex(header, statusColumns, h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase))).ToArray();
            var index = keys.Take(row, positions);
            if (index >= 0 && row.Length >= statusColumns)
            {
                results[index] = map(index, row);
            }
        }, cancellationToken);
    }

    /// <summary>One result file of a job, each row with its original columns by name.</summary>
    private Task ReadResultFileAsync(
        string jobId, string resultKind, char delimiter, int statusColumns, List<BulkIngestRowResult> rows,
        Func<string[], IReadOnlyDictionary<string, string>, BulkIngestRowResult> map, CancellationToken cancellationToken) =>
        ForEachResultRowAsync(jobId, resultKind, delimiter, (header, row) =>
        {
            if (row.Length < statusColumns)
            {
                return;
            }

            var fields = new Dictionary<string, string>(header.Length - statusColumns, StringComparer.OrdinalIgnoreCase);
            for (var i = statusColumns; i < header.Length && i < row.Length; i++)
            {
                fields[header[i]] = row[i];
            }

            rows.Add(map(row, fields));
        }, cancellationToken);

    /// <summary>Downloads one result file of an ingest job and hands each row, with the file's header, to <paramref name="onRow"/>.</summary>
    private async Task ForEachResultRowAsync(
        string jobId, string resultKind, char delimiter, Action<string[], string[]> onRow, CancellationToken cancellationToken)
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

            while (await csv.ReadRowAsync(cancellationToken).ConfigureAwait(false) is { } row)
            {
                onRow(header, row);
            }
        }
    }

    private static char DelimiterOf(BulkJobInfo job) =>
        new BulkIngestOptions { ColumnDelimiter = string.IsNullOrEmpty(job.ColumnDelimiter) ? "COMMA" : job.ColumnDelimiter }.Delimiter;

    private static bool IsCallerCancellation(Exception e, CancellationToken cancellationToken) =>
        e is OperationCanceledException && cancellationToken.IsCancellationRequested;

    /// <summary>The jobs of one ingest call, in upload order, each with its input rows and last known state.</summary>
    private sealed class IngestJobs
    {
        private readonly List<IngestJob> _jobs = [];

        public int Count => _jobs.Count;

        public IngestJob Last => _jobs[^1];

        public IReadOnlyList<IngestJob> All => _jobs;

        public IngestJob Add(BulkJobInfo info, RowKeys keys)
        {
            var job = new IngestJob(info, keys);
            _jobs.Add(job);
            return job;
        }

        /// <summary>The job of this ingest with the id, or null.</summary>
        public IngestJob? Find(string id) => _jobs.Find(j => j.Id == id);

        public void Update(BulkJobInfo info)
        {
            foreach (var job in _jobs)
            {
                if (job.Id == info.Id)
                {
                    job.Info = info;
                }
            }
        }

        public IReadOnlyList<BulkIngestJobRows> Snapshot() => [.. _jobs.Select(j => new BulkIngestJobRows
        {
            Job = j.Info,
            FirstRow = j.Keys.Start,
            RowCount = j.Keys.Count,
        })];
    }

    private sealed class IngestJob(BulkJobInfo info, RowKeys keys)
    {
        /// <summary>The id Salesforce gave the job when it was created; every later request names it.</summary>
        public string Id { get; } = info.Id;

        public BulkJobInfo Info { get; set; } = info;

        public RowKeys Keys { get; } = keys;

        /// <summary>When the SDK closed the job (its rows are processed from then on); null until then.</summary>
        public DateTimeOffset? ClosedAt { get; set; }
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

    private Task<bool> DeleteJobAsync(string kind, string jobId, CancellationToken cancellationToken)
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
