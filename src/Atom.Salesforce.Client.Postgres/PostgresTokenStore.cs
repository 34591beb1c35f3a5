using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Errors;
using Atom.Salesforce.Client.Postgres.Storage;
using Atom.Salesforce.Client.Postgres.Telemetry;
using Atom.Salesforce.Client.Postgres.Usage;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Atom.Salesforce.Client.Postgres;

/// <summary>
/// Keeps each user's Salesforce token in PostgreSQL, encrypted with AES-256-GCM (see <see cref="TokenEncryptionOptions"/>),
/// shared by every instance of the service. Reads are served from memory for <see cref="PostgresTokenStoreOptions.CacheDuration"/>.
/// A refresh takes a PostgreSQL advisory lock on the user, so instances that meet the same expired token make one refresh
/// between them, and a rotated refresh token is never overwritten by a stale one. Every change is audited in
/// <c>salesforce_oauth_audit_log</c>, with the IP address and user agent of <see cref="TokenAuditContext"/> when set.
/// Register it with <c>AddPostgresTokenStore</c> (resolve this type to erase a user or re-encrypt after a key rotation), or
/// make one without a container with <see cref="CreateAsync"/>.
/// </summary>
public sealed partial class PostgresTokenStore : ITokenStore, ISalesforceUsageRecorder, IAsyncDisposable
{
    internal const string Stored = "stored";
    internal const string Refreshed = "refreshed";
    internal const string RefreshFailed = "refresh_failed";
    internal const string Revoked = "revoked";
    internal const string Deactivated = "deactivated";
    internal const string Erased = "erased";

    private const int MaxAuditErrorLength = 1000;

    /// <summary>Salesforce's default session timeout (2 hours): <c>expires_at</c> when <see cref="SalesforceOptions.SessionTimeout"/> is not set.</summary>
    private static readonly TimeSpan DefaultSessionTimeout = TimeSpan.FromHours(2);

    /// <summary>How many lock stripes and deletion epochs users hash onto: fixed, whatever the number of users.</summary>
    internal const int Stripes = 64;

    private readonly TokenStoreDataSource _dataSource;
    private readonly TokenCipher _cipher;
    private readonly PostgresUsageRecorder _usage;
    private readonly IOptionsMonitor<PostgresTokenStoreOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly IOptionsMonitor<SalesforceOptions>? _sdkOptions;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CachedToken> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingToken> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>
    /// Per stripe, how many deletions (<see cref="DeleteAsync"/>, <see cref="EraseUserAsync"/>) have completed. A read or
    /// refresh that started before a deletion of its stripe does not put what it read into the cache or the pending map, so
    /// a deleted token is never served again from memory.
    /// </summary>
    private readonly long[] _deletions = new long[Stripes];

    internal PostgresTokenStore(
        TokenStoreDataSource dataSource,
        TokenCipher cipher,
        PostgresUsageRecorder usage,
        IOptionsMonitor<PostgresTokenStoreOptions> options,
        TimeProvider timeProvider,
        IOptionsMonitor<SalesforceOptions>? sdkOptions,
        ILogger<PostgresTokenStore> logger)
    {
        _sdkOptions = sdkOptions;
        _dataSource = dataSource;
        _cipher = cipher;
        _usage = usage;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    /// <exception cref="TokenDecryptionException">The stored token cannot be decrypted with the configured keys.</exception>
    /// <exception cref="SalesforceException">The database failed; <see cref="SalesforceException.IsTransient"/> says whether to try again.</exception>
    /// <exception cref="SalesforceAuthenticationException">No username was given and the user has several logins (<c>several_logins</c>).</exception>
    public Task<SalesforceToken?> GetAsync(SalesforceLogin login, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(login.UserId, nameof(login));
        var userId = login.UserId;
        var found = Find(login, cancellationToken);
        if (found.IsCompletedSuccessfully)
        {
            CountLookup(userId, found.Result);
            return found;
        }

        return CountWhenFoundAsync(userId, found);
    }

    /// <summary>Counts a lookup on the login row that served it (access_count / last_used_at are per login).</summary>
    private void CountLookup(string userId, SalesforceToken? token)
    {
        if (token is not null)
        {
            _usage.RecordLookup(userId, StoreSql.StoredUsername(token.Username));
        }
    }

    private async Task<SalesforceToken?> CountWhenFoundAsync(string userId, Task<SalesforceToken?> found)
    {
        var token = await found.ConfigureAwait(false);
        CountLookup(userId, token);
        return token;
    }

    private Task<SalesforceToken?> Find(SalesforceLogin login, CancellationToken cancellationToken)
    {
        var userId = login.UserId;
        if (!_pending.IsEmpty && PendingFor(userId, login.Username) is { } pending)
        {
            return pending.Task;
        }

        var key = login.Username is null ? OnlyKey(userId) : LoginKey(userId, login.Username);
        if (_cache.TryGetValue(key, out var cached) && _timeProvider.GetTimestamp() < cached.ExpiresAt)
        {
            return cached.Task;
        }

        return ReadAndCacheAsync(userId, login.Username, key, Epoch(userId), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Not cached: every call reads (and decrypts) the user's rows.</remarks>
    public async Task<IReadOnlyList<SalesforceToken>> GetLoginsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        try
        {
            await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return [.. (await ReadRowsAsync(connection, StoreSql.SelectAll, userId, null, int.MaxValue, cancellationToken).ConfigureAwait(false)).Select(r => r.Token)];
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, $"read the logins of user '{userId}'", _dataSource);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Audited as <c>stored</c>, or <c>deactivated</c> when the token has <see cref="SalesforceToken.InvalidatedAt"/> set. The
    /// row is the user's row of <see cref="SalesforceToken.Username"/> (documented key <c>(user_id, username)</c>; a token
    /// without username is stored with username <c>''</c>, and a named token replaces that row); the user's other logins stay.
    /// </remarks>
    public async Task SaveAsync(string userId, SalesforceToken token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(token);
        _ = GrantTypeName(token.GrantType);
        var action = token.InvalidatedAt is null ? Stored : Deactivated;
        var epoch = Epoch(userId);
        StoredToken stored;
        try
        {
            await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            stored = (await WriteAsync(connection, StoreSql.Upsert, userId, token, null, action, cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, $"store the token of user '{userId}'", _dataSource);
        }

        _pending.TryRemove(LoginKey(userId, stored.StoredUsername), out _);
        _cache.TryRemove(OnlyKey(userId), out _);
        _cache.TryRemove(LoginKey(userId, string.Empty), out _);
        Cache(userId, LoginKey(userId, stored.StoredUsername), stored, epoch);
        Log.TokenStored(_logger, userId, action);
    }

    /// <inheritdoc />
    /// <remarks>Audited as <c>revoked</c>. The audit trail and usage rows stay; <see cref="EraseUserAsync"/> removes them too.</remarks>
    public async Task<bool> DeleteAsync(SalesforceLogin login, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(login.UserId, nameof(login));
        var userId = login.UserId;
        int deleted;
        try
        {
            var audit = TokenAuditContext.Current;
            await using var command = _dataSource.DataSource.CreateCommand(StoreSql.Delete);
            command.Parameters.Add(Text(userId));
            command.Parameters.Add(Inet(audit?.IpAddress));
            command.Parameters.Add(Text(audit?.UserAgent));
            command.Parameters.Add(Timestamp(_timeProvider.GetUtcNow()));
            command.Parameters.Add(Text(login.Username));
            deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, $"delete the token of user '{userId}'", _dataSource);
        }

        Forget(userId);
        return deleted > 0;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Holds a session-level advisory lock on the login (<c>pg_advisory_lock</c>) from reading the row until the new token is
    /// written, on one pooled connection but outside any transaction, so no transaction stays open across the HTTP refresh.
    /// The write is also a compare-and-swap on the row version, so a token saved meanwhile by <see cref="SaveAsync"/> wins.
    /// A refresh response without a refresh token keeps the stored one. Audited as <c>refreshed</c>, <c>deactivated</c>
    /// (the refresh token was refused) or <c>refresh_failed</c> (<paramref name="refresh"/> threw; the exception is rethrown).
    /// If the database fails after Salesforce answered, the new token is kept in this process (served by
    /// <see cref="GetAsync"/> and written as soon as the database answers again) and a transient
    /// <see cref="SalesforceException"/> is thrown. A user with no stored token gets a
    /// <see cref="SalesforceAuthenticationException"/> (<c>no_token</c>): a revoked or erased token is never brought back.
    /// </remarks>
    public async Task<SalesforceToken> RefreshAsync(
        string userId,
        SalesforceToken expired,
        Func<SalesforceToken, CancellationToken, Task<SalesforceToken>> refresh,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(expired);
        ArgumentNullException.ThrowIfNull(refresh);

        // One connection per lock stripe and process waits on the database lock; the others wait here.
        var gate = Gate(userId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RefreshLockedAsync(userId, StoreSql.StoredUsername(expired.Username), expired, refresh, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Removes everything stored about <paramref name="userId"/> (GDPR / CCPA erasure): the token, every audit row, every usage
    /// row, and the counts not yet written by this process. One audit row with action <c>erased</c> is then written to prove
    /// the erasure: its user id is <c>sha256:</c> followed by the hex SHA-256 of <paramref name="userId"/>, with no IP address
    /// or user agent, so the erasure of a given user can be confirmed without the user id being kept.
    /// </summary>
    public async Task<TokenErasureResult> EraseUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        _usage.Forget(userId);
        ForgetMemory(userId);
        int tokens, audit, usage;
        try
        {
            await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            tokens = await ExecuteAsync(connection, StoreSql.EraseTokens, userId, cancellationToken).ConfigureAwait(false);
            audit = await ExecuteAsync(connection, StoreSql.EraseAudit, userId, cancellationToken).ConfigureAwait(false);
            usage = await ExecuteAsync(connection, StoreSql.EraseUsage, userId, cancellationToken).ConfigureAwait(false);
            await using (var marker = new NpgsqlCommand(StoreSql.Audit, connection))
            {
                AddAuditParameters(marker, ErasureMarker(userId), null, Erased, true, null, null, null);
                await marker.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, "erase a user's data", _dataSource);
        }

        // Counts recorded while the erasure ran would be dropped by the database anyway (no token row); drop them here too.
        _usage.Forget(userId);
        Forget(userId);
        Log.UserErased(_logger, tokens, audit, usage);
        return new TokenErasureResult(tokens, audit, usage);
    }

    /// <summary>
    /// Moves every row not encrypted with the current key to it, and rewrites rows still in the earlier format (whose
    /// ciphertext is not yet bound to the row's instance URL) in the current one, and encrypts any plaintext token left in an
    /// adopted table, <paramref name="batchSize"/> rows per transaction, while the service runs; then does the same for the
    /// endpoint pack's webhook signing secrets, which are encrypted with the same keys (when the webhooks' table is there).
    /// Rows that cannot be decrypted are left as they are and reported. Run it after making a new key current;
    /// when it reports no failures, the old key can be removed from the configuration.
    /// </summary>
    public async Task<TokenReEncryptionResult> ReEncryptAsync(int batchSize = 500, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 10_000);
        var ring = _cipher.Ring;
        var failed = new List<string>();
        var current = TokenCipher.TextPrefix + TokenCipher.FormatVersion + ":" + ring.CurrentKeyId.Replace("_", "\\_", StringComparison.Ordinal) + ":%";
        int moved;
        try
        {
            moved = await ReEncryptRowsAsync(
                StoreSql.ReEncryptSelect, StoreSql.ReEncryptUpdate, current, after: 0, batchSize,
                static reader => (Id: reader.GetInt32(0), UserId: reader.GetString(1), Username: reader.GetString(2), Access: reader.GetString(3),
                    Refresh: reader.IsDBNull(4) ? null : reader.GetString(4), InstanceUrl: reader.GetString(5)),
                static row => row.Id,
                (row, _) =>
                {
                    var bound = StoreSql.BoundUsername(row.Username);
                    var access = Reveal(ring, row.Access, TokenCipher.AccessTokenField, row.UserId, bound, row.InstanceUrl);
                    var refresh = row.Refresh is null ? null : Reveal(ring, row.Refresh, TokenCipher.RefreshTokenField, row.UserId, bound, row.InstanceUrl);
                    return (TokenCipher.EncryptText(ring, access, TokenCipher.AccessTokenField, row.UserId, bound, row.InstanceUrl),
                        refresh is null ? null : TokenCipher.EncryptText(ring, refresh, TokenCipher.RefreshTokenField, row.UserId, bound, row.InstanceUrl));
                },
                (row, e) =>
                {
                    Log.DecryptionFailed(_logger, e.UserId, e.KeyId);
                    failed.Add(row.UserId);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, "re-encrypt tokens", _dataSource);
        }

        Log.ReEncrypted(_logger, moved, ring.CurrentKeyId, failed.Count);
        var (webhooks, failedWebhooks) = await ReEncryptWebhookSecretsAsync(ring, current, batchSize, cancellationToken).ConfigureAwait(false);
        return new TokenReEncryptionResult(ring.CurrentKeyId, moved, failed, webhooks, failedWebhooks);
    }

    /// <summary>
    /// The endpoint pack's webhook signing secrets (migration 4's table, when it is there), encrypted with the same key ring:
    /// moved to the current key like the tokens, so that the old key can be removed. A previous secret whose lifetime has
    /// ended signs nothing any more and is dropped instead.
    /// </summary>
    private async Task<(int Moved, IReadOnlyList<Guid> Failed)> ReEncryptWebhookSecretsAsync(TokenKeyRing ring, string current, int batchSize, CancellationToken cancellationToken)
    {
        var failed = new List<Guid>();
        int moved;
        try
        {
            await using (var exists = _dataSource.DataSource.CreateCommand(StoreSql.WebhookEndpointsExist))
            {
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                {
                    return (0, failed);
                }
            }

            moved = await ReEncryptRowsAsync(
                StoreSql.ReEncryptWebhookSelect, StoreSql.ReEncryptWebhookUpdate, current, after: Guid.Empty, batchSize,
                static reader => (Id: reader.GetGuid(0), UserId: reader.GetString(1), Target: reader.GetString(2), Secret: reader.GetString(3),
                    Previous: reader.IsDBNull(4) ? null : reader.GetString(4), PreviousUntil: reader.IsDBNull(5) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(5)),
                static row => row.Id,
                (row, now) =>
                {
                    // The endpoint's id and target stand where a token's username and instance URL do (as WebhookStore binds them).
                    var endpoint = row.Id.ToString("D");
                    var secret = TokenCipher.DecryptText(ring, row.Secret, TokenCipher.WebhookSecretField, row.UserId, endpoint, row.Target);
                    var old = row.Previous is not null && row.PreviousUntil > now
                        ? TokenCipher.DecryptText(ring, row.Previous, TokenCipher.WebhookPreviousSecretField, row.UserId, endpoint, row.Target)
                        : null;
                    return (TokenCipher.EncryptText(ring, secret, TokenCipher.WebhookSecretField, row.UserId, endpoint, row.Target),
                        old is null ? null : TokenCipher.EncryptText(ring, old, TokenCipher.WebhookPreviousSecretField, row.UserId, endpoint, row.Target));
                },
                (row, e) =>
                {
                    Log.WebhookSecretDecryptionFailed(_logger, row.Id, e.UserId, e.KeyId);
                    failed.Add(row.Id);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, "re-encrypt webhook signing secrets", _dataSource);
        }

        Log.WebhookSecretsReEncrypted(_logger, moved, ring.CurrentKeyId, failed.Count);
        return (moved, failed);
    }

    /// <summary>
    /// The batched re-encryption that tokens and webhook secrets share: per transaction, the next <paramref name="batchSize"/>
    /// rows (in id order, after <paramref name="after"/>) whose ciphertext is not under the <paramref name="current"/> key
    /// pattern are read by <paramref name="selectSql"/>, each row's two ciphertexts (the second may be null) rewritten by
    /// <paramref name="reEncrypt"/> (given the batch's time), and written back by <paramref name="updateSql"/> as arrays of ids,
    /// firsts and seconds. A row that cannot be decrypted goes to <paramref name="failed"/> and is left as it is.
    /// </summary>
    /// <returns>How many rows were rewritten.</returns>
    private async Task<int> ReEncryptRowsAsync<TId, TRow>(
        string selectSql, string updateSql, string current, TId after, int batchSize,
        Func<NpgsqlDataReader, TRow> read, Func<TRow, TId> idOf, Func<TRow, DateTimeOffset, (string First, string? Second)> reEncrypt,
        Action<TRow, TokenDecryptionException> failed, CancellationToken cancellationToken)
    {
        var moved = 0;
        while (true)
        {
            var now = _timeProvider.GetUtcNow();
            await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<TRow>();
            await using (var select = new NpgsqlCommand(selectSql, connection))
            {
                select.Parameters.Add(Text(current));
                select.Parameters.Add(new NpgsqlParameter<TId> { TypedValue = after });
                select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(read(reader));
                }
            }

            var ids = new List<TId>(rows.Count);
            var firsts = new List<string>(rows.Count);
            var seconds = new List<string?>(rows.Count);
            foreach (var row in rows)
            {
                try
                {
                    var (first, second) = reEncrypt(row, now);
                    ids.Add(idOf(row));
                    firsts.Add(first);
                    seconds.Add(second);
                }
                catch (TokenDecryptionException e)
                {
                    failed(row, e);
                }
            }

            if (ids.Count > 0)
            {
                await using var update = new NpgsqlCommand(updateSql, connection);
                update.Parameters.Add(new NpgsqlParameter<TId[]> { TypedValue = [.. ids] });
                update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. firsts], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                update.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. seconds], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            moved += ids.Count;
            if (rows.Count < batchSize)
            {
                return moved;
            }

            after = idOf(rows[^1]);
        }
    }

    /// <summary>Writes the refreshed tokens kept in memory after a database failure, if any.</summary>
    public async ValueTask DisposeAsync()
    {
        if (await DisposeOwnedAsync().ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await FlushPendingAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SalesforceException or ObjectDisposedException)
        {
            Log.PendingFlushFailed(_logger, e);
        }
    }

    /// <summary>Counts one API call of <paramref name="userId"/> in the monthly usage counters (written in batches).</summary>
    void ISalesforceUsageRecorder.Record(string userId, long bytesTransferred, bool failed) => _usage.Record(userId, bytesTransferred, failed);

    /// <summary>True while a refreshed token of <paramref name="userId"/> waits in memory to be written.</summary>
    internal bool HasPendingToken(string userId) => _pending.Values.Any(p => p.UserId == userId);

    /// <summary>Writes the refreshed tokens that a database failure left in memory (called on the flush timer).</summary>
    internal async Task FlushPendingAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, first) in _pending)
        {
            var userId = first.UserId;
            var gate = Gate(userId);
            var epoch = Epoch(userId);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            NpgsqlConnection? connection = null;
            var locked = false;
            try
            {
                if (!_pending.TryGetValue(key, out var pending))
                {
                    continue;
                }

                connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await LockAsync(connection, key, userId, cancellationToken).ConfigureAwait(false);
                locked = true;
                var row = await ReadAsync(connection, userId, pending.StoredUsername, cancellationToken).ConfigureAwait(false);
                await PersistPendingLockedAsync(connection, key, pending, row, epoch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
            {
                throw StoreErrors.Wrap(e, $"write the refreshed token of user '{userId}' kept in memory", _dataSource);
            }
            finally
            {
                await ReleaseAsync(connection, locked, key).ConfigureAwait(false);
                gate.Release();
            }
        }
    }

    /// <summary>The user id of the audit row that proves an erasure: <c>sha256:</c> and the hex SHA-256 of the user id.</summary>
    internal static string ErasureMarker(string userId) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(userId))).ToLowerInvariant();

    private async Task<SalesforceToken> RefreshLockedAsync(
        string userId,
        string storedUsername,
        SalesforceToken expired,
        Func<SalesforceToken, CancellationToken, Task<SalesforceToken>> refresh,
        CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        var locked = false;
        var epoch = Epoch(userId);
        var key = LoginKey(userId, storedUsername);
        try
        {
            StoredToken? row;
            try
            {
                connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await LockAsync(connection, key, userId, cancellationToken).ConfigureAwait(false);
                locked = true;
                row = await ReadAsync(connection, userId, storedUsername, cancellationToken).ConfigureAwait(false);
                if (_pending.TryGetValue(key, out var pending))
                {
                    row = await PersistPendingLockedAsync(connection, key, pending, row, epoch, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
            {
                if (_pending.TryGetValue(key, out var kept) && !string.Equals(kept.Token.AccessToken, expired.AccessToken, StringComparison.Ordinal))
                {
                    // The database is still away, but this process holds a newer token than the refused one.
                    return kept.Token;
                }

                throw StoreErrors.Wrap(e, $"read the token of user '{userId}' for a refresh", _dataSource);
            }

            if (row is null)
            {
                Uncache(userId, key);
                throw NoToken(userId);
            }

            if (!string.Equals(row.Token.AccessToken, expired.AccessToken, StringComparison.Ordinal))
            {
                Log.RefreshedElsewhere(_logger, userId);
                Cache(userId, key, row, epoch);
                return row.Token;
            }

            SalesforceToken fresh;
            try
            {
                fresh = await refresh(row.Token, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The refresh callback returned null.");
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                await TryAuditAsync(userId, row, RefreshFailed, success: false, Describe(e)).ConfigureAwait(false);
                throw;
            }

            if (fresh == row.Token)
            {
                return fresh;
            }

            if (fresh.RefreshToken is null && row.Token.RefreshToken is not null)
            {
                fresh = fresh with { RefreshToken = row.Token.RefreshToken };
            }

            var action = fresh.InvalidatedAt is null ? Refreshed : Deactivated;
            StoredToken? written;
            try
            {
                written = await WriteAsync(connection, StoreSql.CompareAndSwap, userId, fresh, row, action, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
            {
                // Salesforce may have rotated the refresh token: the new one exists only here now. Keep it.
                var kept = new PendingToken(fresh, row.Token.AccessToken, action, userId, storedUsername);
                _pending[key] = kept;
                Uncache(userId, key);
                _cache.TryRemove(OnlyKey(userId), out _);
                if (Epoch(userId) != epoch)
                {
                    // The token was deleted while the refresh ran: the new one must not outlive it, not even in memory.
                    _pending.TryRemove(new KeyValuePair<string, PendingToken>(key, kept));
                }

                Log.RefreshWriteFailed(_logger, userId, e);
                throw new SalesforceException(
                    $"The PostgreSQL token store could not store the refreshed token of user '{userId}': the database is unreachable or the connection was lost ({_dataSource.Description}). The new token is kept in this process and written as soon as the database answers again; trying again later may succeed.",
                    e, isTransient: true);
            }

            if (written is null)
            {
                // Only SaveAsync or DeleteAsync change a row while its refresh lock is held: what they wrote wins.
                Log.RefreshSuperseded(_logger, userId);
                await TryAuditAsync(userId, row, Refreshed, success: false, "superseded: the stored token was replaced while the refresh ran; the stored one was kept").ConfigureAwait(false);
                StoredToken? current;
                try
                {
                    current = await ReadAsync(connection, userId, storedUsername, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
                {
                    throw StoreErrors.Wrap(e, $"read the token of user '{userId}'", _dataSource);
                }

                if (current is null)
                {
                    Uncache(userId, key);
                    throw NoToken(userId);
                }

                Cache(userId, key, current, epoch);
                return current.Token;
            }

            _cache.TryRemove(OnlyKey(userId), out _);
            Cache(userId, key, written, epoch);
            if (action == Refreshed)
            {
                Log.TokenRefreshStored(_logger, userId, !string.Equals(fresh.RefreshToken, row.Token.RefreshToken, StringComparison.Ordinal));
            }
            else
            {
                Log.TokenStored(_logger, userId, action);
            }

            return fresh;
        }
        finally
        {
            await ReleaseAsync(connection, locked, key).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Under the user's lock: writes the token a failed write left in memory if the row still holds the access token it was
    /// refreshed from (even when a stale refresh marked that row inactive meanwhile); otherwise the row moved on and wins.
    /// </summary>
    private async Task<StoredToken?> PersistPendingLockedAsync(
        NpgsqlConnection connection, string key, PendingToken pending, StoredToken? row, long epoch, CancellationToken cancellationToken)
    {
        var userId = pending.UserId;
        if (row is not null && string.Equals(row.Token.AccessToken, pending.BaseAccessToken, StringComparison.Ordinal))
        {
            var written = await WriteAsync(connection, StoreSql.CompareAndSwap, userId, pending.Token, row, pending.Action, cancellationToken).ConfigureAwait(false);
            if (written is not null)
            {
                _pending.TryRemove(new KeyValuePair<string, PendingToken>(key, pending));
                _cache.TryRemove(OnlyKey(userId), out _);
                Cache(userId, key, written, epoch);
                Log.PendingTokenWritten(_logger, userId);
                return written;
            }

            row = await ReadAsync(connection, userId, pending.StoredUsername, cancellationToken).ConfigureAwait(false);
        }

        _pending.TryRemove(new KeyValuePair<string, PendingToken>(key, pending));
        Log.PendingTokenDropped(_logger, userId);
        return row;
    }

    private async Task<SalesforceToken?> ReadAndCacheAsync(string userId, string? username, string key, long epoch, CancellationToken cancellationToken)
    {
        StoredToken? row;
        try
        {
            await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            row = await ReadAsync(connection, userId, username, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, $"read the token of user '{userId}'", _dataSource);
        }

        if (row is null)
        {
            Uncache(userId, key);
            return null;
        }

        Cache(userId, key, row, epoch);
        return row.Token;
    }

    /// <summary>
    /// The login of <paramref name="username"/> (as stored: '' for none), or with <paramref name="username"/> null the user's
    /// only login; a user with several then gets <c>several_logins</c>.
    /// </summary>
    private async Task<StoredToken?> ReadAsync(NpgsqlConnection connection, string userId, string? username, CancellationToken cancellationToken)
    {
        var rows = await ReadRowsAsync(connection, StoreSql.Select, userId, username, 2, cancellationToken).ConfigureAwait(false);
        if (rows.Count > 1)
        {
            Log.SeveralLogins(_logger, userId, rows.Count);
            throw new SalesforceAuthenticationException(userId, SalesforceAuthenticationException.Codes.SeveralLogins,
                $"User '{userId}' has several Salesforce logins; say which one to use: pass its Salesforce username (ISalesforceClientFactory.ForUser(userId, username), a SalesforceLogin with Username), or list them with ITokenStore.GetLoginsAsync.");
        }

        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<List<StoredToken>> ReadRowsAsync(
        NpgsqlConnection connection, string sql, string userId, string? username, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(Text(userId));
        command.Parameters.Add(Text(username));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<StoredToken>();
        while (rows.Count < limit && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadRow(reader, userId));
        }

        return rows;
    }

    private StoredToken ReadRow(NpgsqlDataReader reader, string userId)
    {
        var id = reader.GetInt32(0);
        var storedUsername = reader.GetString(1);
        var username = StoreSql.BoundUsername(storedUsername);
        var instanceUrl = reader.GetString(2);
        var ring = _cipher.Ring;
        string accessToken;
        string? refreshToken;
        try
        {
            accessToken = Reveal(ring, reader.GetString(6), TokenCipher.AccessTokenField, userId, username, instanceUrl);
            refreshToken = reader.IsDBNull(7) ? null : Reveal(ring, reader.GetString(7), TokenCipher.RefreshTokenField, userId, username, instanceUrl);
        }
        catch (TokenDecryptionException e)
        {
            Log.DecryptionFailed(_logger, userId, e.KeyId);
            throw;
        }

        // A row the old service deactivated has is_active = false and no invalidated_at: it was refused when it was last updated.
        var inactive = !reader.IsDBNull(12) && !reader.GetBoolean(12);
        DateTimeOffset? invalidatedAt = reader.IsDBNull(9)
            ? inactive ? (reader.IsDBNull(13) ? _timeProvider.GetUtcNow() : reader.GetFieldValue<DateTimeOffset>(13)) : null
            : reader.GetFieldValue<DateTimeOffset>(9);
        var token = new SalesforceToken(accessToken, new Uri(instanceUrl), reader.IsDBNull(8) ? _timeProvider.GetUtcNow() : reader.GetFieldValue<DateTimeOffset>(8))
        {
            RefreshToken = refreshToken,
            Username = username,
            Email = reader.IsDBNull(14) ? null : reader.GetString(14),
            ProfileId = reader.IsDBNull(15) ? null : reader.GetString(15),
            IdentityUrl = reader.IsDBNull(3) ? null : new Uri(reader.GetString(3)),
            Scope = reader.IsDBNull(4) ? null : reader.GetString(4),
            GrantType = ParseGrantType(reader.GetString(5)),
            InvalidatedAt = invalidatedAt,
            InvalidationReason = reader.IsDBNull(10) ? (inactive ? "deactivated" : null) : reader.GetString(10),
        };
        return new StoredToken(token, reader.GetInt64(11), id, storedUsername);
    }

    /// <summary>Decrypts a stored secret; a plaintext value (an adopted table not yet migrated) is refused.</summary>
    private static string Reveal(TokenKeyRing ring, string stored, string field, string userId, string? username, string instanceUrl) =>
        TokenCipher.DecryptText(ring, stored, field, userId, username, instanceUrl);

    /// <summary>
    /// Runs <see cref="StoreSql.Upsert"/> (<paramref name="row"/> null) or <see cref="StoreSql.CompareAndSwap"/> of
    /// <paramref name="row"/>; null when the swap found another version. The secrets are bound to the row's username.
    /// </summary>
    private async Task<StoredToken?> WriteAsync(
        NpgsqlConnection connection, string sql, string userId, SalesforceToken token, StoredToken? row, string action, CancellationToken cancellationToken)
    {
        var ring = _cipher.Ring;
        var instanceUrl = token.InstanceUrl.AbsoluteUri;
        var storedUsername = row?.StoredUsername ?? StoreSql.StoredUsername(token.Username);
        var bound = StoreSql.BoundUsername(storedUsername);
        var access = TokenCipher.EncryptText(ring, token.AccessToken, TokenCipher.AccessTokenField, userId, bound, instanceUrl);
        var refresh = token.RefreshToken is null ? null : TokenCipher.EncryptText(ring, token.RefreshToken, TokenCipher.RefreshTokenField, userId, bound, instanceUrl);
        var audit = TokenAuditContext.Current;
        var sdk = _sdkOptions?.CurrentValue;
        var environment = LoginFacts.Environment(token.InstanceUrl, token.IdentityUrl, sdk?.LoginUrl);
        var grant = GrantTypeName(token.GrantType);
        await using var command = new NpgsqlCommand(sql, connection);
        var p = command.Parameters;
        p.Add(Text(userId));                                                            // $1
        p.Add(Text(storedUsername));                                                    // $2
        p.Add(Text(token.Email));                                                       // $3
        p.Add(Text(access));                                                            // $4
        p.Add(Text(refresh));                                                           // $5
        p.Add(Text(token.Scope));                                                       // $6
        p.Add(Text(instanceUrl));                                                       // $7
        p.Add(Text(LoginFacts.OrganizationId(token.IdentityUrl)));                      // $8
        p.Add(Text(environment));                                                       // $9
        p.Add(Timestamp(token.IssuedAt + (sdk?.SessionTimeout ?? DefaultSessionTimeout))); // $10 expires_at
        p.Add(Timestamp(token.IssuedAt));                                               // $11
        p.Add(Text(token.IdentityUrl?.AbsoluteUri));                                    // $12
        p.Add(Text(grant));                                                             // $13
        p.Add(NullableTimestamp(token.InvalidatedAt));                                  // $14
        p.Add(Text(token.InvalidationReason));                                          // $15
        p.Add(Timestamp(_timeProvider.GetUtcNow()));                                    // $16
        p.Add(Text(StoreSql.Details(                                                    // $17 metadata
            ("grant_type", grant),
            ("salesforce_user_id", LoginFacts.SalesforceUserId(token.IdentityUrl)),
            ("login_host", token.IdentityUrl?.Host))));
        p.Add(new NpgsqlParameter<int> { TypedValue = row?.Id ?? 0 });                  // $18
        p.Add(Text(action));                                                            // $19
        p.Add(Text(action == Deactivated ? Truncate(token.InvalidationReason) : null)); // $20
        p.Add(Inet(audit?.IpAddress));                                                  // $21
        p.Add(Text(audit?.UserAgent));                                                  // $22
        p.Add(Text(StoreSql.Details(                                                    // $23 details
            ("grant", grant),
            ("instance_host", token.InstanceUrl.Host),
            ("environment", environment),
            ("reason", action == Deactivated ? Truncate(token.InvalidationReason) : null))));
        p.Add(new NpgsqlParameter<long> { TypedValue = row?.Version ?? 0 });            // $24
        p.Add(Text(token.ProfileId));                                                   // $25 profile_id
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var written = new StoredToken(token with { Username = bound }, reader.GetInt64(1), reader.GetInt32(0), storedUsername);
        return written;
    }

    private async Task TryAuditAsync(string userId, StoredToken? row, string action, bool success, string? error)
    {
        try
        {
            await using var command = _dataSource.DataSource.CreateCommand(StoreSql.Audit);
            var details = row is null ? null : StoreSql.Details(
                ("grant", GrantTypeName(row.Token.GrantType)), ("instance_host", row.Token.InstanceUrl.Host), ("reason", Truncate(error)));
            AddAuditParameters(command, userId, row?.Token.Username, action, success, error, details, TokenAuditContext.Current);
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            Log.AuditWriteFailed(_logger, userId, action, e);
        }
    }

    private void AddAuditParameters(
        NpgsqlCommand command, string userId, string? username, string action, bool success, string? error, string? details, TokenAuditContext? audit)
    {
        command.Parameters.Add(Text(userId));
        command.Parameters.Add(Text(username));
        command.Parameters.Add(Text(action));
        command.Parameters.Add(Text(details ?? "{}"));
        command.Parameters.Add(Inet(audit?.IpAddress));
        command.Parameters.Add(Text(audit?.UserAgent));
        command.Parameters.Add(Timestamp(_timeProvider.GetUtcNow()));
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = success });
        command.Parameters.Add(Text(Truncate(error)));
    }

    /// <summary>Takes the login's advisory lock (<paramref name="key"/>: user id and stored username).</summary>
    private async Task LockAsync(NpgsqlConnection connection, string key, string userId, CancellationToken cancellationToken)
    {
        var timeout = _options.CurrentValue.RefreshLockTimeout;
        await using var command = new NpgsqlCommand(StoreSql.Lock, connection)
        {
            CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        };
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = StoreSql.RefreshLockNamespace });
        command.Parameters.Add(Text(key));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException)
        {
            throw new SalesforceException(
                $"Waited {timeout} for another refresh of the token of user '{userId}' to finish; trying again later may succeed.",
                e, isTransient: true);
        }
    }

    private static async Task ReleaseAsync(NpgsqlConnection? connection, bool locked, string key)
    {
        if (connection is null)
        {
            return;
        }

        if (locked)
        {
            try
            {
                await using var command = new NpgsqlCommand(StoreSql.Unlock, connection);
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = StoreSql.RefreshLockNamespace });
                command.Parameters.Add(Text(key));
                await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreErrors.IsDatabaseFailure(e) || e is InvalidOperationException)
            {
                // The connection is broken, and the server released its session locks with it. (Npgsql also resets
                // a pooled connection, advisory locks included, before it is used again.)
            }
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, string userId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(Text(userId));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private SemaphoreSlim Gate(string userId) => _gates[StripeOf(userId)];

    private static int StripeOf(string userId) => (int)((uint)StringComparer.Ordinal.GetHashCode(userId) % Stripes);

    private long Epoch(string userId) => Volatile.Read(ref _deletions[StripeOf(userId)]);

    /// <summary>After a deletion: later caching by reads and refreshes that began before it is refused, then memory is cleared.</summary>
    private void Forget(string userId)
    {
        Interlocked.Increment(ref _deletions[StripeOf(userId)]);
        ForgetMemory(userId);
    }

    /// <summary>Drops every cached and pending login of the user.</summary>
    private void ForgetMemory(string userId)
    {
        var prefix = userId + KeySeparator;
        foreach (var key in _pending.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            _pending.TryRemove(key, out _);
        }

        foreach (var key in _cache.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            Uncache(userId, key);
        }
    }

    private const char KeySeparator = '\u001f';

    /// <summary>The memory key of the user's login of <paramref name="storedUsername"/> ('' for none); also its lock key.</summary>
    private static string LoginKey(string userId, string storedUsername) => userId + KeySeparator + "=" + storedUsername;

    /// <summary>Drops the cached login and the cached "only login" of the user, which may be the same row.</summary>
    private void Uncache(string userId, string key)
    {
        _cache.TryRemove(key, out _);
        _cache.TryRemove(OnlyKey(userId), out _);
    }

    /// <summary>The memory key of "the user's only login".</summary>
    private static string OnlyKey(string userId) => userId + KeySeparator + "*";

    /// <summary>A refreshed token kept in memory for the login (or for the user's only pending login when no username is given).</summary>
    private PendingToken? PendingFor(string userId, string? username)
    {
        if (username is not null)
        {
            return _pending.TryGetValue(LoginKey(userId, username), out var exact) ? exact : null;
        }

        PendingToken? found = null;
        foreach (var pending in _pending.Values)
        {
            if (pending.UserId == userId)
            {
                if (found is not null)
                {
                    return null;
                }

                found = pending;
            }
        }

        return found;
    }

    /// <summary>
    /// Caches a row read or written since <paramref name="epoch"/>, unless a deletion of its stripe completed meanwhile. The
    /// cache holds at most <see cref="PostgresTokenStoreOptions.CacheSizeLimit"/> tokens: expired entries go first.
    /// </summary>
    private void Cache(string userId, string key, StoredToken row, long epoch)
    {
        var settings = _options.CurrentValue;
        var duration = settings.CacheDuration;
        if (duration <= TimeSpan.Zero || Epoch(userId) != epoch)
        {
            return;
        }

        var now = _timeProvider.GetTimestamp();
        if (!_cache.ContainsKey(key) && _cache.Count >= settings.CacheSizeLimit)
        {
            Evict(now, settings.CacheSizeLimit);
        }

        var expiresAt = now + (long)(duration.TotalSeconds * _timeProvider.TimestampFrequency);
        var entry = new CachedToken(row.Token, row.Version, expiresAt);
        var cached = _cache.AddOrUpdate(key, static (_, fresh) => fresh, static (_, old, fresh) => old.Version > fresh.Version ? old : fresh, entry);

        // A deletion that completed between the check above and the write: it may have cleared the cache before we wrote.
        if (Epoch(userId) != epoch)
        {
            _cache.TryRemove(new KeyValuePair<string, CachedToken>(key, cached));
        }
    }

    /// <summary>Drops expired entries; if the cache is still full, drops the entries closest to expiry until a tenth is free.</summary>
    private void Evict(long now, int limit)
    {
        foreach (var (user, entry) in _cache)
        {
            if (entry.ExpiresAt <= now)
            {
                _cache.TryRemove(new KeyValuePair<string, CachedToken>(user, entry));
            }
        }

        var excess = _cache.Count - (limit - Math.Max(1, limit / 10));
        if (excess <= 0)
        {
            return;
        }

        foreach (var (user, entry) in _cache.OrderBy(p => p.Value.ExpiresAt).Take(excess).ToList())
        {
            _cache.TryRemove(new KeyValuePair<string, CachedToken>(user, entry));
        }
    }

    /// <summary>How many tokens the cache holds (for tests of its bound).</summary>
    internal int CachedCount => _cache.Count;

    private static SalesforceAuthenticationException NoToken(string userId) =>
        new(userId, "no_token", $"No Salesforce token is stored for user '{userId}'; the user must connect first.");

    /// <summary>What the audit row says about a failure: the type, and the message only for the SDK's own exceptions.</summary>
    private static string Describe(Exception e) => e switch
    {
        SalesforceAuthenticationException a => $"{a.ErrorCode}: {a.Message}",
        SalesforceException s => $"{s.GetType().Name}: {s.Message}",
        _ => e.GetType().Name,
    };

    private static string? Truncate(string? value) =>
        value is null || value.Length <= MaxAuditErrorLength ? value : value[..MaxAuditErrorLength];

    private static string GrantTypeName(SalesforceGrantType grantType) => grantType switch
    {
        SalesforceGrantType.AuthorizationCode => "authorization_code",
        SalesforceGrantType.JwtBearer => "jwt_bearer",
        SalesforceGrantType.ClientCredentials => "client_credentials",
        _ => throw new ArgumentOutOfRangeException(nameof(grantType), grantType, "Unknown grant type."),
    };

    private static SalesforceGrantType ParseGrantType(string value) => value switch
    {
        "authorization_code" => SalesforceGrantType.AuthorizationCode,
        "jwt_bearer" => SalesforceGrantType.JwtBearer,
        "client_credentials" => SalesforceGrantType.ClientCredentials,
        _ => throw new SalesforceException($"The token store holds an unknown grant type '{value}'."),
    };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    /// <summary>The audit context's address as INET; a value that is not an IP address is left out.</summary>
    private static NpgsqlParameter Inet(string? value) =>
        new() { Value = IPAddress.TryParse(value, out var address) ? address : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Inet };

    private static NpgsqlParameter<DateTimeOffset> Timestamp(DateTimeOffset value) =>
        new() { TypedValue = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter NullableTimestamp(DateTimeOffset? value) =>
        new() { Value = value is { } v ? v.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    /// <summary>A login as read or written: its token, row version, row id and the <c>username</c> column as stored.</summary>
    private sealed record StoredToken(SalesforceToken Token, long Version, int Id, string StoredUsername);

    private sealed class CachedToken(SalesforceToken token, long version, long expiresAt)
    {
        public Task<SalesforceToken?> Task { get; } = System.Threading.Tasks.Task.FromResult<SalesforceToken?>(token);

        public long Version { get; } = version;

        public long ExpiresAt { get; } = expiresAt;
    }

    private sealed class PendingToken(SalesforceToken token, string baseAccessToken, string action, string userId, string storedUsername)
    {
        public string UserId { get; } = userId;

        /// <summary>The login's <c>username</c> column ('' for none).</summary>
        public string StoredUsername { get; } = storedUsername;

        public SalesforceToken Token { get; } = token;

        /// <summary>The access token the refresh started from: the row may be overwritten only while it still holds it.</summary>
        public string BaseAccessToken { get; } = baseAccessToken;

        public string Action { get; } = action;

        public Task<SalesforceToken?> Task { get; } = System.Threading.Tasks.Task.FromResult<SalesforceToken?>(token);
    }
}
