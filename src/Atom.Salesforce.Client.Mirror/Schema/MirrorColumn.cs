namespace Atom.Salesforce.Client.Mirror.Schema;

/// <summary>
/// One mirrored field: its Salesforce name, its column (the name in lower case), the type describe gives it and the type the
/// table holds (they differ after a type change, until the column is widened), and where a change event carries it.
/// </summary>
/// <param name="Field">The field's API name, for example <c>BillingCity</c>.</param>
/// <param name="Kind">The kind describe gives the field today.</param>
/// <param name="EventPath">Where a change event carries the field: the field name, or <c>Compound.Component</c> for a component of a compound field.</param>
/// <param name="Derived">True for a person's full <c>Name</c>, which change events carry only as its components: the mirror derives it.</param>
internal sealed record MirrorColumn(string Field, ColumnKind Kind, string EventPath, bool Derived = false)
{
    /// <summary>The column name: the field name in lower case (Salesforce field names are unique regardless of case).</summary>
    public string Column { get; } = Field.ToLowerInvariant();

    /// <summary>The kind of the table's column (set from the database; <see cref="Kind"/> until then).</summary>
    public ColumnKind StoredKind { get; set; } = Kind;

    /// <summary>False once describe no longer lists the field: the column is kept and stops updating.</summary>
    public bool Live { get; set; } = true;
}
