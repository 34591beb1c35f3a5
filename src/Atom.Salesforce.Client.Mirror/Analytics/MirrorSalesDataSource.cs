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
/// </summary>
public sealed class MirrorSalesDataSource : ISalesDataSource
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SalesforceMirror _mirror;

    internal MirrorSalesDataSource(NpgsqlDataSource dataSource, SalesforceMirror mirror)
    {
        _dataSource = dataSource;
        _mirror = mirror;
    }

    /// <inheritdoc />
    public async Task<SalesData> LoadAsync(SalesDataParts parts, SalesDataFilter? filter = null, CancellationToken cancellationToken = default)
    {
        if ((parts & ~(SalesDataParts.All | SalesDataParts.UserRoles)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parts), parts, "Unknown SalesDataParts bits.");
        }

        var schema = await _mirror.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
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

    /// <inheritdoc />
    public async Task<OpportunitySet> LoadOpportunitiesAsync(SalesDataFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var data = await LoadAsync(SalesDataParts.Opportunities | SalesDataParts.OpportunityHistory, filter, cancellationToken).ConfigureAwait(false);
        var schema = await _mirror.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
        var stages = new List<StageDefinition>();
        await using (var command = _dataSource.CreateCommand(
            $"SELECT coalesce(nullif(apiname, ''), masterlabel), isclosed, iswon, defaultprobability, forecastcategoryname FROM {MirrorSql.Qualified(schema, "opportunitystage")} WHERE isactive ORDER BY sortorder"))
        {
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

        return OpportunitySet.Create(data.Opportunities, data.OpportunityHistory, stages.Count == 0 ? StageDefinition.SalesforceDefaults : stages);
    }

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
