using System.Globalization;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Data;

/// <summary>
/// The org's data: records of every object, written through the same validation, defaults, system fields and triggers
/// as a real org, and a recycle bin that queryAll sees. One lock guards everything: the emulator serves tests, not
/// thousands of concurrent writers, and a single lock keeps every multi-record operation consistent.
/// </summary>
internal sealed class Org
{
    private readonly Dictionary<string, StoredRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<ObjectSchema, List<StoredRecord>> _byObject = [];
    private readonly List<(StoredRecord? Before, StoredRecord After)> _journal = [];
    private readonly Dictionary<ObjectSchema, GeneratedRecords> _generated = [];
    private int _transactions;
    private long _nextNumber = 1;

    /// <summary>An org holding its admin user and the opportunity stages, created at <paramref name="createdAt"/> (the clock's now when null).</summary>
    public Org(OrgSchema schema, TimeProvider time, DateTimeOffset? createdAt = null)
    {
        Schema = schema;
        Time = time;
        foreach (var obj in schema.Objects)
        {
            _byObject[obj] = [];
        }

        AdminUserId = Seed("User", new Dictionary<string, object?>
        {
            ["Username"] = "admin@emulator.atom",
            ["FirstName"] = "Org",
            ["LastName"] = "Admin",
            ["Email"] = "admin@emulator.atom",
            ["Alias"] = "admin",
        }, createdAt);

        var order = 1;
        foreach (var stage in StandardObjects.Stages)
        {
            Seed("OpportunityStage", new Dictionary<string, object?>
            {
                ["MasterLabel"] = stage.Name,
                ["ApiName"] = stage.Name,
                ["IsActive"] = true,
                ["SortOrder"] = (decimal)order++,
                ["IsClosed"] = stage.IsClosed,
                ["IsWon"] = stage.IsWon,
                ["ForecastCategory"] = stage.ForecastCategory,
                ["ForecastCategoryName"] = StandardObjects.ForecastCategoryNames[stage.ForecastCategory],
                ["DefaultProbability"] = (decimal)stage.Probability,
            }, createdAt);
        }

        SeedSetup(createdAt ?? Now);
    }

    /// <summary>The id of the admin user's profile, "System Administrator".</summary>
    public string AdminProfileId { get; private set; } = string.Empty;

    /// <summary>
    /// The setup records of a new Developer Edition org: the Organization (its id is <see cref="OrganizationId"/>),
    /// the standard profiles, a two-level role hierarchy, the "All Internal Users" group and a group per role. A new org
    /// has no record types (RecordType is empty; describe's Master record type is not a RecordType row). Their ids come
    /// from small fixed numbers, not the record counter, so adding them left every other record's id as it was.
    /// </summary>
    private void SeedSetup(DateTimeOffset createdAt)
    {
        var number = 1;
        string Fixed(string objectName, IReadOnlyDictionary<string, object?> values, string? id = null)
        {
            var obj = Schema.Find(objectName)!;
            return Insert(obj, values, createdAt, system: true, id ?? RecordIds.Create(obj.KeyPrefix, number++));
        }

        Fixed("Organization", new Dictionary<string, object?>
        {
            ["Name"] = "Atom Salesforce Emulator",
            ["OrganizationType"] = "Developer Edition",
            ["IsSandbox"] = false,
            ["IsReadOnly"] = false,
            ["InstanceName"] = "EMU1",
            ["DefaultLocaleSidKey"] = "en_US",
            ["LanguageLocaleKey"] = "en_US",
            ["TimeZoneSidKey"] = "GMT",
            ["FiscalYearStartMonth"] = 1m,
            ["PrimaryContact"] = "Org Admin",
        }, OrganizationId);
        foreach (var profile in new[] { "System Administrator", "Standard User", "Read Only", "Minimum Access - Salesforce" })
        {
            var id = Fixed("Profile", new Dictionary<string, object?> { ["Name"] = profile, ["UserType"] = "Standard" });
            AdminProfileId = AdminProfileId.Length == 0 ? id : AdminProfileId;
        }

        var ceo = Fixed("UserRole", new Dictionary<string, object?> { ["Name"] = "CEO", ["DeveloperName"] = "CEO", ["RollupDescription"] = "CEO", ["OpportunityAccessForAccountOwner"] = "Edit" });
        var sales = Fixed("UserRole", new Dictionary<string, object?> { ["Name"] = "SVP, Sales & Marketing", ["DeveloperName"] = "SVPSalesMarketing", ["ParentRoleId"] = ceo, ["RollupDescription"] = "SVP, Sales & Marketing", ["OpportunityAccessForAccountOwner"] = "Edit" });
        Fixed("Group", new Dictionary<string, object?> { ["Name"] = "All Internal Users", ["DeveloperName"] = "AllInternalUsers", ["Type"] = "Organization" });
        foreach (var role in new[] { ceo, sales })
        {
            Fixed("Group", new Dictionary<string, object?> { ["Type"] = "Role", ["RelatedId"] = role });
            Fixed("Group", new Dictionary<string, object?> { ["Type"] = "RoleAndSubordinates", ["RelatedId"] = role });
        }

        Modify(_byId[AdminUserId], new Dictionary<string, object?> { ["ProfileId"] = AdminProfileId }, createdAt, system: true);
    }

    /// <summary>The org's id: access tokens start with its first 15 characters, identity URLs carry it.</summary>
    /// <remarks>
    /// Its case-safe suffix (<c>MAA</c>) is computed as for every id (reference §8), so tools that check an 18-character
    /// id's suffix accept it.
    /// </remarks>
    public const string OrganizationId = "00DHs0000000001MAA";

    public OrgSchema Schema { get; }

    public TimeProvider Time { get; }

    /// <summary>The user every API write is made as.</summary>
    public string AdminUserId { get; }

    /// <summary>Held for any read or write; composite operations hold it across their steps.</summary>
    public object SyncRoot { get; } = new();

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>How far behind <see cref="Now"/> getUpdated and getDeleted report (<see cref="SalesforceEmulatorOptions.ReplicationLag"/>).</summary>
    public TimeSpan ReplicationLag { get; set; }

    public ObjectSchema RequireObject(string name) =>
        Schema.Find(name) ?? throw new ApiException(404, "NOT_FOUND", "The requested resource does not exist");

    /// <summary>The record with this id (15 or 18 characters), deleted or not; null if there is none.</summary>
    public StoredRecord? Find(string id)
    {
        if (!RecordIds.IsValid(id))
        {
            return null;
        }

        lock (SyncRoot)
        {
            return _byId.GetValueOrDefault(RecordIds.Normalize(id));
        }
    }

    /// <summary>The records of an object in creation order; deleted ones only when asked (queryAll).</summary>
    public IReadOnlyList<StoredRecord> Records(ObjectSchema obj, bool includeDeleted = false)
    {
        lock (SyncRoot)
        {
            var all = _byObject[obj];
            return includeDeleted ? [.. all] : [.. all.Where(r => !r.IsDeleted)];
        }
    }

    /// <summary>
    /// Adds <paramref name="count"/> records of <paramref name="objectName"/> that are made when a Bulk API 2.0 query job reads
    /// them and never stored: record <c>i</c> is <c>make(i)</c>, made again on every read (load runs whose org would not fit in
    /// memory; see <see cref="GeneratedRecords"/>). They come after the stored records, and only a query job without WHERE,
    /// ORDER BY, LIMIT or OFFSET reads them; every other read sees the stored records alone.
    /// </summary>
    public void AddGenerated(string objectName, int count, Func<int, StoredRecord> make)
    {
        var obj = Schema.Find(objectName) ?? throw new ArgumentException($"The org has no object {objectName}.", nameof(objectName));
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (SyncRoot)
        {
            _generated[obj] = new GeneratedRecords(count, make);
        }
    }

    /// <summary>The generated records of <paramref name="obj"/> (<see cref="AddGenerated"/>); null when it has none.</summary>
    public GeneratedRecords? Generated(ObjectSchema obj)
    {
        lock (SyncRoot)
        {
            return _generated.GetValueOrDefault(obj);
        }
    }

    /// <summary>How many live records (not in the recycle bin) the object holds.</summary>
    public int CountLive(ObjectSchema obj)
    {
        lock (SyncRoot)
        {
            return _byObject[obj].Count(r => !r.IsDeleted);
        }
    }

    /// <summary>Live records whose <paramref name="field"/> equals <paramref name="value"/> (text compared case-insensitively).</summary>
    public IReadOnlyList<StoredRecord> FindBy(ObjectSchema obj, FieldDefinition field, object value)
    {
        lock (SyncRoot)
        {
            return [.. _byObject[obj].Where(r => !r.IsDeleted && SameValue(r[field.Name], value))];
        }
    }

    /// <summary>
    /// Starts an all-or-nothing unit of work (composite allOrNone, sObject Tree, a graph): every write from here on can be
    /// undone with <see cref="RollbackTo"/>. Hold <see cref="SyncRoot"/> for the whole unit. Units nest.
    /// </summary>
    public int Savepoint()
    {
        _transactions++;
        return _journal.Count;
    }

    /// <summary>
    /// Called under <see cref="SyncRoot"/> when the outermost unit of work commits, with its writes in order (each record
    /// before and after; before is null for a record the unit created): Change Data Capture (PubSub/) publishes them.
    /// Nothing is called for a unit rolled back.
    /// </summary>
    public Action<IReadOnlyList<(StoredRecord? Before, StoredRecord After)>>? Committed { get; set; }

    /// <summary>Ends a unit of work, keeping its writes.</summary>
    public void Commit(int savepoint)
    {
        if (--_transactions == 0)
        {
            if (_journal.Count > 0 && Committed is { } committed)
            {
                committed([.. _journal]);
            }

            _journal.Clear();
        }
    }

    /// <summary>Runs one write as a unit of work of its own (or as part of the one under way): all of it or nothing.</summary>
    private T Atomically<T>(Func<T> write)
    {
        lock (SyncRoot)
        {
            var savepoint = Savepoint();
            T result;
            try
            {
                result = write();
            }
            catch
            {
                RollbackTo(savepoint);
                throw;
            }

            Commit(savepoint);
            return result;
        }
    }

    /// <summary>Undoes every write made since <paramref name="savepoint"/> and ends the unit of work.</summary>
    public void RollbackTo(int savepoint)
    {
        for (var i = _journal.Count - 1; i >= savepoint; i--)
        {
            var (before, after) = _journal[i];
            var list = _byObject[after.Schema];
            if (before is null)
            {
                // Undone newest first, so an inserted record is the last of its object's list by now.
                _byId.Remove(after.Id);
                list.RemoveAt(after.Position);
            }
            else
            {
                list[before.Position] = before;
                _byId[before.Id] = before;
            }
        }

        _journal.RemoveRange(savepoint, _journal.Count - savepoint);
        Commit(savepoint);
    }

    /// <summary>Creates a record through the API's rules and returns its id.</summary>
    public string Create(ObjectSchema obj, IReadOnlyDictionary<string, object?> values, DateTimeOffset? at = null)
    {
        if (!obj.Writable)
        {
            throw new ApiException(400, "INVALID_TYPE_FOR_OPERATION", $"entity type {obj.Name} does not support insert");
        }

        return Atomically(() => Insert(obj, values, at ?? Now, system: false));
    }

    /// <summary>Writes fields of a record through the API's rules.</summary>
    public void Update(ObjectSchema obj, string id, IReadOnlyDictionary<string, object?> values, DateTimeOffset? at = null)
    {
        Atomically(() =>
        {
            var record = Existing(obj, id);
            if (!obj.Writable)
            {
                throw new ApiException(400, "INVALID_TYPE_FOR_OPERATION", $"entity type {obj.Name} does not support update");
            }

            Modify(record, values, at ?? Now, system: false);
            return true;
        });
    }

    /// <summary>
    /// Updates a record as the org itself: read-only fields may be set (lead conversion, demo data), and a
    /// LastModifiedById among the values names the user who made the change.
    /// </summary>
    public void SeedUpdate(string objectName, string id, IReadOnlyDictionary<string, object?> values, DateTimeOffset? at = null)
    {
        Atomically(() =>
        {
            Modify(Existing(Schema.Find(objectName)!, id), values, at ?? Now, system: true);
            return true;
        });
    }

    /// <summary>Moves a record (and the records that cascade from it) to the recycle bin.</summary>
    public void Delete(ObjectSchema obj, string id, DateTimeOffset? at = null)
    {
        Atomically(() =>
        {
            var record = Existing(obj, id);
            if (!obj.Writable)
            {
                throw new ApiException(400, "INVALID_TYPE_FOR_OPERATION", $"entity type {obj.Name} does not support delete");
            }

            var when = at ?? Now;
            MarkDeleted(record, when);
            foreach (var child in obj.ChildRelationships)
            {
                // Contacts and opportunities of a deleted account go with it, as in a real org; lookups elsewhere are cleared.
                var cascade = obj.Name == "Account" && child.Child.Name is "Contact" or "Opportunity"
                    || child.Child.Name is "OpportunityContactRole" or "OpportunityHistory" or "CampaignMember";
                foreach (var dependant in _byObject[child.Child].Where(r => !r.IsDeleted && Equals(r[child.Field.Name], record.Id)).ToList())
                {
                    if (cascade)
                    {
                        MarkDeleted(dependant, when);
                    }
                    else
                    {
                        var cleared = dependant.Copy();
                        cleared[child.Field.Name] = null;
                        cleared["SystemModstamp"] = when;
                        Replace(cleared);
                    }
                }
            }

            return true;
        });
    }

    /// <summary>
    /// Restores a record from the recycle bin, with the records its delete took with it (deleted at the same moment and
    /// pointing to it). A live record fails with UNDELETE_FAILED "Entity is not in the recycle bin" (Salesforce's text,
    /// as clients record it); an id the org never had, with INVALID_CROSS_REFERENCE_KEY. Lookups that the delete
    /// cleared on other records stay cleared (Salesforce restores them).
    /// </summary>
    public void Undelete(string id, DateTimeOffset? at = null)
    {
        Atomically(() =>
        {
            if (!_byId.TryGetValue(id, out var record))
            {
                throw new ApiException(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
            }

            if (!record.IsDeleted)
            {
                throw new ApiException(400, "UNDELETE_FAILED", "Entity is not in the recycle bin");
            }

            var when = at ?? Now;
            var deletedAt = record.DeletedDate;
            Restore(record, when);
            foreach (var child in record.Schema.ChildRelationships)
            {
                foreach (var dependant in _byObject[child.Child].Where(r => r.IsDeleted && r.DeletedDate == deletedAt && Equals(r[child.Field.Name], record.Id)).ToList())
                {
                    Restore(dependant, when);
                }
            }

            return true;
        });
    }

    private void Restore(StoredRecord record, DateTimeOffset when)
    {
        var restored = record.Copy();
        restored["IsDeleted"] = false;
        restored["SystemModstamp"] = when;
        restored["LastModifiedDate"] = when;
        restored.DeletedDate = null;
        Replace(restored);
    }

    /// <summary>Ids of live records of <paramref name="obj"/> changed in [start, end) (getUpdated).</summary>
    public IReadOnlyList<string> UpdatedIds(ObjectSchema obj, DateTimeOffset start, DateTimeOffset end)
    {
        lock (SyncRoot)
        {
            return [.. _byObject[obj].Where(r => !r.IsDeleted && r["SystemModstamp"] is DateTimeOffset m && m >= start && m < end).Select(r => r.Id)];
        }
    }

    /// <summary>Records of <paramref name="obj"/> deleted in [start, end) (getDeleted).</summary>
    public IReadOnlyList<StoredRecord> DeletedRecords(ObjectSchema obj, DateTimeOffset start, DateTimeOffset end)
    {
        lock (SyncRoot)
        {
            return [.. _byObject[obj].Where(r => r.IsDeleted && r.DeletedDate >= start && r.DeletedDate < end)];
        }
    }

    /// <summary>Creates a record as the org itself: read-only fields may be set (seed data, history, demo data).</summary>
    public string Seed(string objectName, IReadOnlyDictionary<string, object?> values, DateTimeOffset? at = null)
    {
        return Atomically(() => Insert(Schema.Find(objectName)!, values, at ?? Now, system: true));
    }

    private string Insert(ObjectSchema obj, IReadOnlyDictionary<string, object?> values, DateTimeOffset when, bool system, string? fixedId = null)
    {
        var id = fixedId ?? RecordIds.Create(obj.KeyPrefix, _nextNumber);
        var record = new StoredRecord(obj, id) { Sequence = fixedId is null ? _nextNumber : 0, Position = _byObject[obj].Count };
        _nextNumber += fixedId is null ? 1 : 0;
        foreach (var field in obj.Fields.Where(f => f.Type != FieldType.Id))
        {
            record[field.Name] = field.Type == FieldType.Boolean ? field.DefaultValue ?? false : field.DefaultValue;
        }

        record["IsDeleted"] = false;
        if (obj.Field("OwnerId") is not null)
        {
            record["OwnerId"] = AdminUserId ?? id;
        }

        Apply(record, values, creating: true, system);

        // The org's own writes may name their author (demo data made by sales reps); API writes are the session's user.
        var author = system && record["CreatedById"] is string by ? by : AdminUserId ?? id;
        record["CreatedDate"] = when;
        record["CreatedById"] = author;
        record["LastModifiedDate"] = when;
        record["LastModifiedById"] = system && record["LastModifiedById"] is string modifier ? modifier : author;
        record["SystemModstamp"] = when;
        Derive(record, before: null, values, when);
        CheckRequired(record);
        CheckUnique(record);
        _byId[id] = record;
        _byObject[obj].Add(record);
        Journal(null, record);
        AfterWrite(record, before: null, when);
        return id;
    }

    private void Modify(StoredRecord record, IReadOnlyDictionary<string, object?> values, DateTimeOffset when, bool system)
    {
        if (!system && record.Schema.Name == "Lead" && record["IsConverted"] is true)
        {
            throw new ApiException(400, "CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead", "Id");
        }

        var before = record.Copy();
        var updated = record.Copy();
        Apply(updated, values, creating: false, system);
        Derive(updated, before, values, when);
        CheckRequired(updated);
        CheckUnique(updated);
        updated["LastModifiedDate"] = when;
        updated["LastModifiedById"] = system && values.ContainsKey("LastModifiedById") ? updated["LastModifiedById"] : AdminUserId;
        updated["SystemModstamp"] = when;
        Replace(updated);
        AfterWrite(updated, before, when);
    }

    private StoredRecord Existing(ObjectSchema obj, string id)
    {
        if (!RecordIds.IsValid(id))
        {
            throw new ApiException(404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {id}");
        }

        var record = _byId.GetValueOrDefault(RecordIds.Normalize(id));
        if (record is null || record.Schema != obj)
        {
            if (!id.StartsWith(obj.KeyPrefix, StringComparison.Ordinal))
            {
                throw new ApiException(400, "MALFORMED_ID", $"{obj.Label} ID: id value of incorrect type: {id}", "Id");
            }

            throw ApiException.NotFound();
        }

        if (record.IsDeleted)
        {
            throw new ApiException(404, "ENTITY_IS_DELETED", "entity is deleted");
        }

        return record;
    }

    private void Replace(StoredRecord updated)
    {
        // Each record knows its index in its object's list: a search made every update O(n), and loading a large org quadratic.
        var list = _byObject[updated.Schema];
        Journal(list[updated.Position], updated);
        list[updated.Position] = updated;
        _byId[updated.Id] = updated;
    }

    private void Journal(StoredRecord? before, StoredRecord after)
    {
        if (_transactions > 0)
        {
            _journal.Add((before, after));
        }
    }

    private void MarkDeleted(StoredRecord record, DateTimeOffset when)
    {
        var deleted = record.Copy();
        deleted["IsDeleted"] = true;
        deleted["SystemModstamp"] = when;
        deleted.DeletedDate = when;
        Replace(deleted);
    }

    /// <summary>Checks each value against its field and stores it.</summary>
    private void Apply(StoredRecord record, IReadOnlyDictionary<string, object?> values, bool creating, bool system = false)
    {
        var obj = record.Schema;
        var readOnly = new List<string>();
        foreach (var (name, value) in values)
        {
            var field = obj.Field(name)
                ?? throw ApiException.InvalidField($"No such column '{name}' on sobject of type {obj.Name}");
            if (!system && (creating ? !field.Createable : !field.Updateable))
            {
                readOnly.Add(field.Name);
                continue;
            }

            record[field.Name] = Check(obj, field, value);
        }

        if (readOnly.Count > 0)
        {
            throw new ApiException(
                400,
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                $"Unable to create/update fields: {string.Join(", ", readOnly)}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                [.. readOnly]);
        }
    }

    private object? Check(ObjectSchema obj, FieldDefinition field, object? value)
    {
        if (value is null)
        {
            return field.Type == FieldType.Boolean ? false : null;
        }

        var label = field.Label ?? OrgSchema.LabelOf(field.Name);
        switch (field.Type)
        {
            case FieldType.String or FieldType.TextArea or FieldType.Phone or FieldType.Url or FieldType.Email or FieldType.Picklist or FieldType.MultiPicklist:
                var text = value as string ?? throw WrongType(field, value);
                var max = field.Length ?? (field.Type == FieldType.TextArea ? 32000 : 255);
                if (text.Length > max)
                {
                    throw new ApiException(400, "STRING_TOO_LONG", $"{label}: data value too large: {Excerpt(text)} (max length={max})", field.Name);
                }

                if (field.Type == FieldType.Email && text.Length > 0 && !IsEmail(text))
                {
                    throw new ApiException(400, "INVALID_EMAIL_ADDRESS", $"{label}: invalid email address: {Excerpt(text)}", field.Name);
                }

                if (field.RestrictedPicklist && !field.PicklistValues.Contains(text, StringComparer.Ordinal))
                {
                    throw new ApiException(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"{label}: bad value for restricted picklist field: {Excerpt(text)}", field.Name);
                }

                return text;
            case FieldType.Boolean:
                return value as bool? ?? throw WrongType(field, value);
            case FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent:
                var number = value as decimal? ?? throw WrongType(field, value);
                var scale = field.Type == FieldType.Int ? 0 : field.Scale;
                var rounded = Math.Round(number, scale, MidpointRounding.AwayFromZero);
                if (Math.Abs(rounded) >= Pow10(field.Precision - scale))
                {
                    throw new ApiException(400, "NUMBER_OUTSIDE_VALID_RANGE", $"{label}: value outside of valid range on numeric field: {number.ToString(CultureInfo.InvariantCulture)}", field.Name);
                }

                return rounded;
            case FieldType.Date:
                return value as DateOnly? ?? throw WrongType(field, value);
            case FieldType.DateTime:
                return value is DateTimeOffset dto ? dto.ToUniversalTime() : throw WrongType(field, value);
            case FieldType.Time:
                return value as TimeOnly? ?? throw WrongType(field, value);
            case FieldType.Reference:
                var id = value as string ?? throw WrongType(field, value);
                if (id.Length == 0)
                {
                    return null;
                }

                if (!RecordIds.IsValid(id) || !field.ReferenceTo.Any(t => Schema.Find(t)?.KeyPrefix == id[..3]))
                {
                    throw new ApiException(400, "MALFORMED_ID", $"{label}: id value of incorrect type: {Excerpt(id)}", field.Name);
                }

                var target = _byId.GetValueOrDefault(RecordIds.Normalize(id));
                if (target is null || target.IsDeleted)
                {
                    throw new ApiException(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", field.Name);
                }

                return target.Id;
            default:
                return value;
        }

        static decimal Pow10(int digits) => digits >= 28 ? decimal.MaxValue : (decimal)Math.Pow(10, digits);
    }

    private static ApiException WrongType(FieldDefinition field, object value) => new(
        400,
        "INVALID_TYPE",
        $"{field.Label ?? OrgSchema.LabelOf(field.Name)}: value of incorrect type: {Excerpt(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty)}",
        field.Name);

    private static bool IsEmail(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == text.LastIndexOf('@') && text.IndexOf('.', at) > at + 1 && !text.EndsWith('.') && !text.Contains(' ', StringComparison.Ordinal);
    }

    private static string Excerpt(string text) => text.Length <= 100 ? text : text[..100];

    private static void CheckRequired(StoredRecord record)
    {
        var missing = record.Schema.Fields
            .Where(f => f.Required && (record[f.Name] is null || record[f.Name] is string { Length: 0 }))
            .Select(f => f.Name)
            .ToArray();
        if (missing.Length > 0)
        {
            throw new ApiException(400, "REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing);
        }
    }

    private void CheckUnique(StoredRecord record)
    {
        // Only "Unique" fields are checked: Salesforce's External ID attribute does not imply Unique (custom field
        // definition, "External ID" and "Unique" are separate checkboxes; describe reports externalId and unique apart).
        foreach (var field in record.Schema.Fields.Where(f => f.Unique))
        {
            var value = record[field.Name];
            if (value is null)
            {
                continue;
            }

            var clash = _byObject[record.Schema].FirstOrDefault(r => r.Id != record.Id && !r.IsDeleted && SameValue(r[field.Name], value));
            if (clash is not null)
            {
                throw new ApiException(400, "DUPLICATE_VALUE", $"duplicate value found: {field.Name} duplicates value on record with id: {clash.Id}");
            }
        }
    }

    private static bool SameValue(object? stored, object? value) => stored switch
    {
        string s when value is string v => string.Equals(s, v, StringComparison.OrdinalIgnoreCase),
        null => value is null,
        _ => stored.Equals(value),
    };

    /// <summary>Fields the org computes from others: names, opportunity stage data, activity flags.</summary>
    private void Derive(StoredRecord record, StoredRecord? before, IReadOnlyDictionary<string, object?> given, DateTimeOffset when)
    {
        switch (record.Schema.Name)
        {
            case "Contact" or "Lead" or "User":
                record["Name"] = $"{record["FirstName"]} {record["LastName"]}".Trim();
                break;
            case "Opportunity":
                DeriveOpportunity(record, before, given, when);
                break;
            case "Task":
                record["IsClosed"] = record["Status"] is "Completed";
                record["IsHighPriority"] = record["Priority"] is "High";
                record["AccountId"] = AccountOf(record);
                break;
            case "Event":
                record["AccountId"] = AccountOf(record);
                break;
            case "CampaignMember":
                record["HasResponded"] = record["Status"] is "Responded";
                break;
        }
    }

    /// <summary>
    /// The stage's defaults, as a real org applies them: setting the stage (on create, or changing it) gives the deal the
    /// stage's DefaultProbability and forecast category unless the same write sets them; a write that leaves the stage
    /// alone keeps whatever Probability and ForecastCategoryName it sets. A closed stage forces its own (100 and Closed,
    /// or 0 and Omitted). ForecastCategory (the API name) always follows ForecastCategoryName.
    /// </summary>
    private static void DeriveOpportunity(StoredRecord record, StoredRecord? before, IReadOnlyDictionary<string, object?> given, DateTimeOffset when)
    {
        var stageName = record["StageName"] as string;
        var stage = StandardObjects.Stages.FirstOrDefault(s => s.Name == stageName);
        var stageChanged = before is null || !Equals(before["StageName"], stageName);
        var probabilityGiven = Sets(given, "Probability");
        var categoryName = CategoryNameGiven(record, given);
        if (stage.Name is not null)
        {
            record["IsClosed"] = stage.IsClosed;
            record["IsWon"] = stage.IsWon;
            if (stage.IsClosed)
            {
                probabilityGiven = false;
                categoryName = null;
            }

            if (stage.IsClosed || (stageChanged && !probabilityGiven))
            {
                record["Probability"] = (decimal)stage.Probability;
            }

            // A write that clears ForecastCategoryName puts the deal back in its stage's category.
            if (stage.IsClosed || (categoryName is null && (stageChanged || record["ForecastCategoryName"] is null)))
            {
                categoryName = StandardObjects.ForecastCategoryNames[stage.ForecastCategory];
            }
        }

        if (categoryName is not null)
        {
            record["ForecastCategoryName"] = categoryName;
            record["ForecastCategory"] = StandardObjects.ForecastCategoryNames.First(c => c.Value == categoryName).Key;
        }

        if (stageChanged)
        {
            record["LastStageChangeDate"] = when;
        }

        record["ExpectedRevenue"] = record["Amount"] is decimal amount && record["Probability"] is decimal probability
            ? Math.Round(amount * probability / 100m, 2)
            : null;
        if (record["CloseDate"] is DateOnly close)
        {
            record["FiscalYear"] = (decimal)close.Year;
            record["FiscalQuarter"] = (decimal)(((close.Month - 1) / 3) + 1);
        }
    }

    /// <summary>Whether the write names <paramref name="field"/> with a value (field names are case-insensitive).</summary>
    private static bool Sets(IReadOnlyDictionary<string, object?> given, string field) =>
        given.Any(v => string.Equals(v.Key, field, StringComparison.OrdinalIgnoreCase) && v.Value is not null);

    /// <summary>
    /// The forecast category label this write sets, if any: ForecastCategoryName, or (for the org's own writes, which may
    /// set read-only fields) the API name ForecastCategory translated to its label.
    /// </summary>
    private static string? CategoryNameGiven(StoredRecord record, IReadOnlyDictionary<string, object?> given)
    {
        if (Sets(given, "ForecastCategoryName"))
        {
            return record["ForecastCategoryName"] as string;
        }

        return Sets(given, "ForecastCategory") && record["ForecastCategory"] is string api
            ? StandardObjects.ForecastCategoryNames.GetValueOrDefault(api)
            : null;
    }

    private string? AccountOf(StoredRecord activity)
    {
        if (activity["WhatId"] is string whatId && _byId.TryGetValue(whatId, out var what))
        {
            return what.Schema.Name == "Account" ? what.Id : what["AccountId"] as string;
        }

        return activity["WhoId"] is string whoId && _byId.TryGetValue(whoId, out var who) ? who["AccountId"] as string : null;
    }

    /// <summary>Triggers: an OpportunityHistory row whenever stage, amount, close date or probability change.</summary>
    private void AfterWrite(StoredRecord record, StoredRecord? before, DateTimeOffset when)
    {
        if (record.Schema.Name != "Opportunity")
        {
            return;
        }

        string[] tracked = ["StageName", "Amount", "CloseDate", "Probability"];
        if (before is not null && tracked.All(f => Equals(before[f], record[f])))
        {
            return;
        }

        Insert(Schema.Find("OpportunityHistory")!, new Dictionary<string, object?>
        {
            ["OpportunityId"] = record.Id,
            ["StageName"] = record["StageName"],
            ["Amount"] = record["Amount"],
            ["ExpectedRevenue"] = record["ExpectedRevenue"],
            ["CloseDate"] = record["CloseDate"],
            ["Probability"] = record["Probability"],
            ["ForecastCategory"] = record["ForecastCategory"],
            ["PrevAmount"] = before?["Amount"],
            ["PrevCloseDate"] = before?["CloseDate"],
            ["CreatedById"] = record["LastModifiedById"],
        }, when, system: true);
    }
}
