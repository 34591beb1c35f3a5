using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Mirror.Schema;

/// <summary>
/// The table of one mirrored object, derived from its describe: one column per stored field, compound fields flattened into
/// their components (which describe lists as fields of their own), formula fields left out (change events do not carry them)
/// except a person's full name, which is derived from its parts.
/// </summary>
internal sealed class MirrorTable
{
    /// <summary>Fields never mirrored: per-user view stamps, and the deleted flag (deleted rows leave the table).</summary>
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "IsDeleted", "LastViewedDate", "LastReferencedDate" };

    private static readonly string[] PersonNameParts = ["Salutation", "FirstName", "LastName", "MiddleName", "Suffix"];

    private readonly Dictionary<string, MirrorColumn> _byField;
    private readonly Dictionary<string, MirrorColumn> _byEventPath;

    public MirrorTable(string objectName, IReadOnlyList<MirrorColumn> columns)
    {
        ObjectName = objectName;
        Name = objectName.ToLowerInvariant();
        Columns = [.. columns];
        _byField = Columns.ToDictionary(c => c.Field, StringComparer.OrdinalIgnoreCase);
        _byEventPath = Columns.Where(c => !c.Derived).ToDictionary(c => c.EventPath, StringComparer.OrdinalIgnoreCase);
        HasPersonName = Columns.Any(c => c.Derived);
    }

    /// <summary>The object's API name.</summary>
    public string ObjectName { get; }

    /// <summary>The table name: the object name in lower case.</summary>
    public string Name { get; }

    /// <summary>Every column, <c>Id</c> first; columns of removed fields last (not live).</summary>
    public List<MirrorColumn> Columns { get; }

    /// <summary>The live columns (those describe still lists).</summary>
    public IEnumerable<MirrorColumn> Live => Columns.Where(c => c.Live);

    public bool HasPersonName { get; }

    public bool HasSystemModstamp => _byField.ContainsKey("SystemModstamp");

    public MirrorColumn? Field(string field) => _byField.GetValueOrDefault(field);

    public MirrorColumn? ByEventPath(string path) => _byEventPath.GetValueOrDefault(path);

    /// <summary>The SOQL that reads every live column (Bulk and REST alike).</summary>
    public string SelectSoql(string? where = null) =>
        $"SELECT {string.Join(", ", Live.Select(c => c.Field))} FROM {ObjectName}" + (where is null ? string.Empty : " " + where);

    /// <summary>The table of <paramref name="describe"/>.</summary>
    public static MirrorTable FromDescribe(SObjectDescribe describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        var fields = describe.Fields;
        var personName = fields.Any(f => f.Name == "FirstName") && fields.Any(f => f.Name == "LastName")
            && fields.FirstOrDefault(f => f.Name == "Name") is { } name && (name.Calculated || !name.Createable);
        var compounds = fields.Where(f => f.Type is "address" or "location").Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var columns = new List<MirrorColumn> { new("Id", ColumnKind.Text, "Id") };
        foreach (var field in fields)
        {
            if (field.Name == "Id" || Skipped.Contains(field.Name) || ColumnKinds.FromFieldType(field.Type) is not { } kind)
            {
                continue;
            }

            if (personName && field.Name == "Name")
            {
                columns.Add(new MirrorColumn("Name", ColumnKind.Text, "Name", Derived: true));
                continue;
            }

            if (field.Calculated)
            {
                continue;
            }

            var compound = CompoundOf(field);
            var path = compound is not null && compounds.Contains(compound)
                ? compound + "." + Component(field.Name, compound)
                : personName && PersonNameParts.Contains(field.Name) ? "Name." + field.Name : field.Name;
            columns.Add(new MirrorColumn(field.Name, kind, path));
        }

        return new MirrorTable(describe.Name, columns);
    }

    private static string? CompoundOf(FieldDescribe field) =>
        field.AdditionalProperties is { } extra && extra.TryGetValue("compoundFieldName", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>
    /// A compound field component's name in a change event (Change Data Capture Developer Guide, "Compound Fields"): the field
    /// name without the compound's prefix (<c>BillingCity</c> of <c>BillingAddress</c> is <c>City</c>; a geolocation's
    /// <c>Loc__Latitude__s</c> of <c>Loc__c</c> is <c>Latitude</c>).
    /// </summary>
    private static string Component(string field, string compound)
    {
        var prefix = compound.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? compound[..^3] + "__"
            : compound.EndsWith("Address", StringComparison.Ordinal) ? compound[..^"Address".Length]
            : string.Empty;
        var bare = field.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? field[prefix.Length..] : field;
        return bare.EndsWith("__s", StringComparison.OrdinalIgnoreCase) ? bare[..^3] : bare;
    }
}
