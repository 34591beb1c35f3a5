namespace Atom.Salesforce.Soql;

/// <summary>One item of the SELECT list. <see cref="ToString"/> prints it as SOQL.</summary>
public abstract record SoqlSelectItem
{
    private protected SoqlSelectItem()
    {
    }

    /// <summary>The item as canonical SOQL.</summary>
    public sealed override string ToString() => SoqlFormatter.Format(this);
}

/// <summary>A field or function, with an optional alias: <c>Name</c>, <c>COUNT(Id) cnt</c>.</summary>
public sealed record SoqlSelectExpression : SoqlSelectItem
{
    /// <summary>Creates a select item.</summary>
    public SoqlSelectExpression(SoqlExpression expression, string? alias = null)
    {
        Expression = expression ?? throw new ArgumentNullException(nameof(expression));
        Alias = SoqlNames.RequireAlias(alias, nameof(alias));
    }

    /// <summary>The field or function.</summary>
    public SoqlExpression Expression { get; }

    /// <summary>The alias, if any.</summary>
    public string? Alias { get; }
}

/// <summary><c>FIELDS(ALL)</c>, <c>FIELDS(STANDARD)</c> or <c>FIELDS(CUSTOM)</c>.</summary>
public sealed record SoqlSelectFields : SoqlSelectItem
{
    /// <summary>Creates a FIELDS() item.</summary>
    public SoqlSelectFields(SoqlFieldsScope scope) => Scope = Enum.IsDefined(scope) ? scope : throw new ArgumentOutOfRangeException(nameof(scope));

    /// <summary>Which fields.</summary>
    public SoqlFieldsScope Scope { get; }
}

/// <summary>A parent-to-child subquery: <c>(SELECT LastName FROM Contacts)</c>.</summary>
public sealed record SoqlSelectSubquery : SoqlSelectItem
{
    /// <summary>Creates a subquery item.</summary>
    public SoqlSelectSubquery(SoqlQuery query) => Query = query ?? throw new ArgumentNullException(nameof(query));

    /// <summary>The subquery; its FROM names the child relationship.</summary>
    public SoqlQuery Query { get; }
}

/// <summary>
/// <c>TYPEOF What WHEN Account THEN Phone WHEN Opportunity THEN Amount ELSE Name END</c>: fields chosen by the type of a
/// polymorphic relationship.
/// </summary>
public sealed record SoqlSelectTypeOf : SoqlSelectItem
{
    /// <summary>Creates a TYPEOF item.</summary>
    public SoqlSelectTypeOf(string relationship, SoqlList<SoqlTypeOfWhen> whens, SoqlList<SoqlField>? elseFields = null)
    {
        Relationship = SoqlNames.RequirePath(relationship, nameof(relationship));
        Whens = SoqlNames.RequireNonEmpty(whens, nameof(whens), "TYPEOF");
        Else = elseFields is null ? null : SoqlNames.RequireNonEmpty(elseFields, nameof(elseFields), "ELSE");
    }

    /// <summary>The polymorphic relationship (<c>What</c>, <c>Owner</c>).</summary>
    public string Relationship { get; }

    /// <summary>The WHEN branches.</summary>
    public SoqlList<SoqlTypeOfWhen> Whens { get; }

    /// <summary>The ELSE fields, if any.</summary>
    public SoqlList<SoqlField>? Else { get; }
}

/// <summary>One <c>WHEN Type THEN fields</c> branch of TYPEOF.</summary>
public sealed record SoqlTypeOfWhen
{
    /// <summary>Creates a branch.</summary>
    public SoqlTypeOfWhen(string objectType, SoqlList<SoqlField> fields)
    {
        ObjectType = SoqlNames.RequireName(objectType, nameof(objectType));
        Fields = SoqlNames.RequireNonEmpty(fields, nameof(fields), "A WHEN branch");
    }

    /// <summary>The object type matched.</summary>
    public string ObjectType { get; }

    /// <summary>The fields selected for it.</summary>
    public SoqlList<SoqlField> Fields { get; }
}
