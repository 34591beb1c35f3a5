using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Mirror.Storage;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Analytics;

/// <summary>
/// The analytics' records read from the PostgreSQL mirror: one SQL query per object, selecting the record type's fields, with
/// the filter in the WHERE clause (owner, created date, close date, stage; history joined to the opportunities selected), so
/// that an analytics call makes no Salesforce API call. The mirror holds what its integration login sees: restrict what you
/// show each user with the filter. An object that is not mirrored (left out of <see cref="MirrorOptions.Objects"/>, or not loaded
/// yet) reads as no rows.
/// <para>
/// Reads are kept in this process's memory (<see cref="MirrorOptions.ReadCacheEntries"/>, per set of parts and filter) and reused
/// while the mirror's state table shows no change to the objects they read: each call first reads that table's rows for those
/// objects (one small query), and any change the writer made since (an event or a poll applied, a page loaded, a reload, a
/// backfill; by whichever instance writes) reads them again. A kept read is shared: do not change its lists.
/// </para>
/// </summary>
public sealed class MirrorSalesDataSource : ISalesDataSource
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SalesforceMirror _mirror;
    private readonly MirrorReadCache _cache;

    internal MirrorSalesDataSource(NpgsqlDataSource dataSource, SalesforceMirror mirror, int cacheEntries)
    {
        _dataSource = dataSource;
        _mirror = mirror;
        _cache = new MirrorReadCache(cacheEntries);
    }

    /// <summary>The reads kept in memory (for tests).</summary>
    internal MirrorReadCache Cache => _cache;

    /// <inheritdoc />
    public async Task<SalesData> LoadAsync(SalesDataParts parts, SalesDataFilter? filter = null, CancellationToken cancellationToken = default)
    {
        if ((parts & ~(SalesDataParts.All | SalesDataParts.UserRoles)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parts), parts, "Unknown SalesDataParts bits.");
        }

        var schema = await _mirror.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
        var version = await VersionAsync(schema, ObjectsOf(parts), cancellationToken).ConfigureAwait(false);
        return await _cache.GetAsync(
            Key("data:" + ((int)parts).ToString(CultureInfo.InvariantCulture), filter), version, ct => ReadAsync(schema, parts, filter, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<OpportunitySet> LoadOpportunitiesAsync(SalesDataFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var schema = await _mirror.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
        var version = await VersionAsync(schema, ["Opportunity", "OpportunityHistory", "OpportunityStage"], cancellationToken).ConfigureAwait(false);
        return await _cache.GetAsync(Key("opportunities", filter), version, ct => ReadOpportunitiesAsync(schema, filter, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The mirrored objects <paramref name="parts"/> reads.</summary>
    private static string[] ObjectsOf(SalesDataParts parts)
    {
        var objects = new List<string>();
        void Add(SalesDataParts part, params string[] names)
        {
            if ((parts & part) != 0)
            {
                objects.AddRange(names);
            }
        }

        Add(SalesDataParts.Opportunities, "Opportunity");
        Add(SalesDataParts.OpportunityHistory, "OpportunityHistory");
        Add(SalesDataParts.Leads, "Lead");
        Add(SalesDataParts.Accounts, "Account");
        Add(SalesDataParts.Contacts, "Contact");
        Add(SalesDataParts.Activities, "Task", "Event");
        Add(SalesDataParts.Campaigns, "Campaign", "CampaignMember");
        Add(SalesDataParts.Users, "User");
        Add(SalesDataParts.UserRoles, "UserRole");
        return [.. objects];
    }

    /// <summary>
    /// The version of <paramref name="objects"/> in the mirror: their state rows' columns that the writer moves in the same
    /// transaction as any change to their rows (phase, Bulk job, pages and rows loaded, the time a change or a changing poll was
    /// last applied, pending backfills and type changes), not those a poll or keepalive that changed nothing moves. Null when
    /// the state table does not exist yet (nothing is kept then).
    /// </summary>
    private async Task<string?> VersionAsync(string schema, string[] objects, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT coalesce(string_agg(concat_ws('|', object, phase, bulk_job_id, pages_loaded, rows_loaded, extract(epoch FROM last_applied_at),
                array_to_string(backfill, ','), array_to_string(type_changes, ',')), ';' ORDER BY object), '')
            FROM {MirrorSql.State(schema)} WHERE object = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = objects });
        try
        {
            return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return null;
        }
    }

    /// <summary>The cache key of a read: what it reads and its filter, normalized (lists in ordinal order).</summary>
    private static string Key(string what, SalesDataFilter? filter)
    {
        if (filter is null)
        {
            return what;
        }

        static string List(IReadOnlyCollection<string>? values) =>
            values is null ? "-" : values.Count.ToString(CultureInfo.InvariantCulture) + ":" + string.Join('\u001f', values.Order(StringComparer.Ordinal));
        return string.Join(
            '\n',
            what,
            List(filter.OwnerIds),
            filter.CreatedFrom?.UtcTicks.ToString(CultureInfo.InvariantCulture),
            filter.CreatedBefore?.UtcTicks.ToString(CultureInfo.InvariantCulture),
            filter.CloseDateFrom?.DayNumber.ToString(CultureInfo.InvariantCulture),
            filter.CloseDateTo?.DayNumber.ToString(CultureInfo.InvariantCulture),
            List(filter.StageNames),
            List(filter.LeadIds));
    }

    private async Task<SalesData> ReadAsync(string schema, SalesDataParts parts, SalesDataFilter? filter, CancellationToken cancellationToken)
    {
        var context = MirrorJsonContext.Default;
        var opportunities = Read(parts, SalesDataParts.Opportunities, schema, "Opportunity", context.OpportunityRecord, filter, cancellationToken);
        var history = Read(parts, SalesDataParts.OpportunityHistory, schema, "OpportunityHistory", context.OpportunityHistoryRecord, filter, cancellationToken);
        var leads = Read(parts, SalesDataParts.Leads, schema, "Lead", context.LeadRecord, filter, cancellationToken);
        var accounts = Read(parts, SalesDataParts.Accounts, schema, "Account", context.AccountRecord, filter, cancellationToken);
        var contacts = Read(parts, SalesDataParts.Contacts, schema, "Contact", context.ContactRecord, filter, cancellationToken);
        var tasks = Read(parts, SalesDataParts.Activities, schema, "Task", context.ActivityRecord, filter, cancellationToken);
        var events = Read(parts, SalesDataParts.Activities, schema, "Event", context.ActivityRecord, filter, cancellationToken);
        var campaigns = Read(parts, SalesDataParts.Campaigns, schema, "Campaign", context.CampaignRecord, filter, cancellationToken);
        var members = Read(parts, SalesDataParts.Campaigns, schema, "CampaignMember", context.CampaignMemberRecord, filter, cancellationToken);
        var users = Read(parts, SalesDataParts.Users, schema, "User", context.UserRecord, filter, cancellationToken);
        var roles = Read(parts, SalesDataParts.UserRoles, schema, "UserRole", context.UserRoleRecord, filter, cancellationToken);
        await Task.WhenAll(opportunities, history, leads, accounts, contacts, tasks, events, campaigns, members, users, roles).ConfigureAwait(false);
        return new SalesData
        {
            Opportunities = opportunities.Result,
            OpportunityHistory = history.Result,
            Leads = leads.Result,
            Accounts = accounts.Result,
            Contacts = contacts.Result,
            Activities = [.. tasks.Result.Select(t => t with { Kind = ActivityKind.Task }), .. events.Result.Select(e => e with { Kind = ActivityKind.Event, IsClosed = false })],
            Campaigns = campaigns.Result,
            CampaignMembers = members.Result,
            Users = users.Result,
            UserRoles = roles.Result,
        };
    }

    /// <summary>The org the mirror holds, as its writer recorded it (<see cref="SalesforceMirror.GetOrganizationIdAsync"/>); null before a writer first ran.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<string?> GetOrganizationIdAsync(CancellationToken cancellationToken = default) => _mirror.GetOrganizationIdAsync(cancellationToken);

    /// <summary>
    /// The opportunity set read straight from the mirror's rows: the stage table, then the opportunities and their history, each
    /// with one query selecting only the columns the set keeps (a column the table lacks reads as null), with the filter in its
    /// WHERE clause; each row's typed values go into the set's builder, with no record or JSON per row.
    /// </summary>
    private async Task<OpportunitySet> ReadOpportunitiesAsync(string schema, SalesDataFilter? filter, CancellationToken cancellationToken)
    {
        var opportunityColumns = await ColumnsAsync(schema, "opportunity", cancellationToken).ConfigureAwait(false);
        var historyColumns = await ColumnsAsync(schema, "opportunityhistory", cancellationToken).ConfigureAwait(false);
        var stageColumns = await ColumnsAsync(schema, "opportunitystage", cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var stages = new List<StageDefinition>();
        if (stageColumns.Count > 0)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT coalesce(nullif(apiname, ''), masterlabel), isclosed, iswon, defaultprobability, forecastcategoryname FROM {MirrorSql.Qualified(schema, "opportunitystage")} WHERE isactive ORDER BY sortorder",
                connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!reader.IsDBNull(0))
                {
                    stages.Add(new StageDefinition
                    {
                        Name = reader.GetString(0),
                        IsClosed = !reader.IsDBNull(1) && reader.GetBoolean(1),
                        IsWon = !reader.IsDBNull(2) && reader.GetBoolean(2),
                        DefaultProbability = reader.IsDBNull(3) ? null : (double)reader.GetDecimal(3),
                        ForecastCategoryName = reader.IsDBNull(4) ? null : reader.GetString(4),
                    });
                }
            }
        }

        var builder = new OpportunitySetBuilder(stages.Count == 0 ? StageDefinition.SalesforceDefaults : stages);
        if (opportunityColumns.Count == 0)
        {
            // Not mirrored (or not loaded yet): no rows.
            return builder.Build();
        }

        // Probability goes through float8 as text (PostgreSQL's numeric to float8 is correctly rounded from the decimal, as the
        // record's double is); the amount stays numeric (the set converts the decimal as it does a record's).
        await using (var command = connection.CreateCommand())
        {
            var where = Conditions(command, schema, "Opportunity", filter);
            command.CommandText = "SELECT "
                + string.Join(", ", Column(opportunityColumns, "id", "text"), Column(opportunityColumns, "stagename", "text"), Column(opportunityColumns, "isclosed", "boolean"),
                    Column(opportunityColumns, "iswon", "boolean"), Column(opportunityColumns, "amount", "numeric"), Column(opportunityColumns, "probability", "float8", cast: true),
                    Column(opportunityColumns, "closedate", "date"), Column(opportunityColumns, "createddate", "timestamptz"), Column(opportunityColumns, "ownerid", "text"),
                    Column(opportunityColumns, "leadsource", "text"), Column(opportunityColumns, "type", "text"), Column(opportunityColumns, "forecastcategoryname", "text"))
                + $" FROM {MirrorSql.Qualified(schema, "opportunity")} t" + (where.Length == 0 ? string.Empty : " WHERE " + where) + " ORDER BY \"id\"";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                builder.AddOpportunity(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null! : reader.GetString(1),
                    !reader.IsDBNull(2) && reader.GetBoolean(2),
                    !reader.IsDBNull(3) && reader.GetBoolean(3),
                    reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                    reader.IsDBNull(5) ? null : reader.GetDouble(5),
                    reader.IsDBNull(6) ? default : reader.GetFieldValue<DateOnly>(6),
                    reader.IsDBNull(7) ? default : Utc(reader.GetDateTime(7)),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9),
                    reader.IsDBNull(10) ? null : reader.GetString(10),
                    reader.IsDBNull(11) ? null : reader.GetString(11));
            }
        }

        if (historyColumns.Count > 0)
        {
            await using var command = connection.CreateCommand();
            var where = Conditions(command, schema, "OpportunityHistory", filter);
            command.CommandText = "SELECT "
                + string.Join(", ", Column(historyColumns, "opportunityid", "text"), Column(historyColumns, "stagename", "text"), Column(historyColumns, "createddate", "timestamptz"),
                    Column(historyColumns, "closedate", "date"))
                + $" FROM {MirrorSql.Qualified(schema, "opportunityhistory")} t" + (where.Length == 0 ? string.Empty : " WHERE " + where) + " ORDER BY \"id\"";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.IsDBNull(0))
                {
                    continue;
                }

                builder.AddHistory(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null! : reader.GetString(1),
                    reader.IsDBNull(2) ? default : Utc(reader.GetDateTime(2)),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3));
            }
        }

        return builder.Build();
    }

    /// <summary>A column of <c>t</c> to select, or a typed null when the table lacks it; <paramref name="cast"/> converts it.</summary>
    private static string Column(HashSet<string> existing, string name, string type, bool cast = false) =>
        !existing.Contains(name) ? $"NULL::{type}" : cast ? $"t.{MirrorSql.Ident(name)}::{type}" : $"t.{MirrorSql.Ident(name)}";

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private async Task<IReadOnlyList<T>> Read<T>(SalesDataParts parts, SalesDataParts part, string schema, string sObject, JsonTypeInfo<T> type, SalesDataFilter? filter, CancellationToken cancellationToken)
    {
        if ((parts & part) == 0)
        {
            return [];
        }

        var table = sObject.ToLowerInvariant();
        var existing = await ColumnsAsync(schema, table, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            // The object is not mirrored (not in MirrorOptions.Objects, or not loaded yet): it has no rows here.
            return [];
        }

        var properties = type.Properties.Where(p => existing.Contains(p.Name.ToLowerInvariant())).ToList();
        await using var command = _dataSource.CreateCommand();
        var where = Conditions(command, schema, sObject, filter);
        command.CommandText = $"SELECT {string.Join(", ", properties.Select(p => MirrorSql.Ident(p.Name.ToLowerInvariant())))} FROM {MirrorSql.Qualified(schema, table)} t"
            + (where.Length == 0 ? string.Empty : " WHERE " + where) + " ORDER BY \"id\"";
        var rows = new List<T>();
        var buffer = new ArrayBufferWriter<byte>(512);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                for (var i = 0; i < properties.Count; i++)
                {
                    json.WritePropertyName(properties[i].Name);
                    WriteValue(json, reader.IsDBNull(i) ? null : reader.GetValue(i));
                }

                json.WriteEndObject();
            }

            rows.Add(JsonSerializer.Deserialize(buffer.WrittenSpan, type)!);
        }

        return rows;
    }

    private async Task<HashSet<string>> ColumnsAsync(string schema, string table, CancellationToken cancellationToken)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        await using var command = _dataSource.CreateCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    /// <summary>The filter as SQL conditions on <c>t</c>, with parameters (the same rules as <see cref="SalesDataFilter"/>'s SOQL).</summary>
    private static string Conditions(NpgsqlCommand command, string schema, string sObject, SalesDataFilter? filter)
    {
        if (filter is null)
        {
            return string.Empty;
        }

        var conditions = new List<string>();
        string Parameter<TValue>(TValue value)
        {
            command.Parameters.Add(new NpgsqlParameter<TValue> { TypedValue = value });
            return "$" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        }

        void Opportunity(string alias)
        {
            if (filter.CloseDateFrom is { } closeFrom)
            {
                conditions.Add($"{alias}.\"closedate\" >= {Parameter(closeFrom)}");
            }

            if (filter.CloseDateTo is { } closeTo)
            {
                conditions.Add($"{alias}.\"closedate\" <= {Parameter(closeTo)}");
            }

            if (filter.StageNames is { } stages)
            {
                conditions.Add($"{alias}.\"stagename\" = ANY({Parameter(stages.ToArray())})");
            }
        }

        void Owned(string alias, string name)
        {
            if (filter.OwnerIds is { } owners && SalesDataFilter_OwnedObjects.Contains(name))
            {
                conditions.Add($"{alias}.\"ownerid\" = ANY({Parameter(owners.ToArray())})");
            }

            if (SalesDataFilter_CreatedObjects.Contains(name))
            {
                if (filter.CreatedFrom is { } from)
                {
                    conditions.Add($"{alias}.\"createddate\" >= {Parameter(from.UtcDateTime)}");
                }

                if (filter.CreatedBefore is { } before)
                {
                    conditions.Add($"{alias}.\"createddate\" < {Parameter(before.UtcDateTime)}");
                }
            }
        }

        if (sObject == "OpportunityHistory")
        {
            // History follows the opportunities the filter selects.
            Owned("o", "Opportunity");
            Opportunity("o");
            return conditions.Count == 0
                ? string.Empty
                : $"t.\"opportunityid\" IN (SELECT o.\"id\" FROM {MirrorSql.Qualified(schema, "opportunity")} o WHERE {string.Join(" AND ", conditions)})";
        }

        if (filter.LeadIds is { } leads && sObject is "Lead" or "Task" or "Event")
        {
            conditions.Add($"t.{(sObject == "Lead" ? "\"id\"" : "\"whoid\"")} = ANY({Parameter(leads.ToArray())})");
        }

        Owned("t", sObject);
        if (sObject == "Opportunity")
        {
            Opportunity("t");
        }

        return string.Join(" AND ", conditions);
    }

    private static readonly HashSet<string> SalesDataFilter_OwnedObjects = new(StringComparer.Ordinal) { "Opportunity", "Lead", "Account", "Contact", "Task", "Event" };

    private static readonly HashSet<string> SalesDataFilter_CreatedObjects = new(StringComparer.Ordinal) { "Opportunity", "Lead", "Account", "Contact", "Task", "Event", "CampaignMember" };

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case DateOnly day:
                json.WriteStringValue(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTime at:
                json.WriteStringValue(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)));
                break;
            case DateTimeOffset at:
                json.WriteStringValue(at);
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
