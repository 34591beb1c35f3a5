namespace Atom.Salesforce.Soql;

/// <summary>The FROM clause: <c>FROM Contact c, c.Account a</c>.</summary>
public sealed record SoqlFrom
{
    /// <summary>Creates a FROM clause.</summary>
    /// <param name="objectType">The object (or, in a subquery, the child relationship) queried.</param>
    /// <param name="alias">An alias for it, if any.</param>
    public SoqlFrom(string objectType, string? alias = null)
    {
        ObjectType = SoqlNames.RequirePath(objectType, nameof(objectType));
        Alias = SoqlNames.RequireAlias(alias, nameof(alias));
    }

    /// <summary>The object (or child relationship) queried.</summary>
    public string ObjectType { get; }

    /// <summary>Its alias, if any.</summary>
    public string? Alias { get; }

    /// <summary>Relationships given aliases after the object: <c>c.Account a</c>.</summary>
    public SoqlList<SoqlRelatedObject> Related { get; init; } = SoqlList<SoqlRelatedObject>.Empty;

    /// <summary>The clause as canonical SOQL, without the FROM keyword.</summary>
    public override string ToString() => SoqlFormatter.Format(this);
}

/// <summary>A relationship named in FROM with an alias: <c>c.Account a</c>.</summary>
public sealed record SoqlRelatedObject
{
    /// <summary>Creates an aliased relationship.</summary>
    public SoqlRelatedObject(string path, string? alias)
    {
        Path = SoqlNames.RequirePath(path, nameof(path));
        Alias = SoqlNames.RequireAlias(alias, nameof(alias));
    }

    /// <summary>The relationship path.</summary>
    public string Path { get; }

    /// <summary>Its alias.</summary>
    public string? Alias { get; }
}

/// <summary>A WITH clause. A query may have several.</summary>
public abstract record SoqlWithClause
{
    private protected SoqlWithClause()
    {
    }

    /// <summary>The clause as canonical SOQL.</summary>
    public sealed override string ToString() => SoqlFormatter.Format(this);
}

/// <summary><c>WITH SECURITY_ENFORCED</c>, <c>WITH USER_MODE</c>, <c>WITH SYSTEM_MODE</c>.</summary>
public sealed record SoqlWithSecurity : SoqlWithClause
{
    /// <summary>Creates the clause.</summary>
    public SoqlWithSecurity(SoqlSecurityMode mode) => Mode = Enum.IsDefined(mode) ? mode : throw new ArgumentOutOfRangeException(nameof(mode));

    /// <summary>The mode.</summary>
    public SoqlSecurityMode Mode { get; }
}

/// <summary><c>WITH DATA CATEGORY Geography__c AT usa__c AND Product__c BELOW All__c</c>.</summary>
public sealed record SoqlWithDataCategory : SoqlWithClause
{
    /// <summary>Creates the clause.</summary>
    public SoqlWithDataCategory(SoqlList<SoqlDataCategoryFilter> filters) => Filters = SoqlNames.RequireNonEmpty(filters, nameof(filters), "WITH DATA CATEGORY");

    /// <summary>The filters, joined by AND.</summary>
    public SoqlList<SoqlDataCategoryFilter> Filters { get; }
}

/// <summary>One data category filter: <c>Geography__c AT (usa__c, uk__c)</c>.</summary>
public sealed record SoqlDataCategoryFilter
{
    /// <summary>Creates a filter.</summary>
    public SoqlDataCategoryFilter(string group, SoqlDataCategorySelector selector, SoqlList<string> categories)
    {
        Group = SoqlNames.RequireName(group, nameof(group));
        Selector = Enum.IsDefined(selector) ? selector : throw new ArgumentOutOfRangeException(nameof(selector));
        Categories = SoqlNames.RequireNonEmpty(categories, nameof(categories), "A data category filter");
        foreach (var category in categories)
        {
            SoqlNames.RequireName(category, nameof(categories));
        }
    }

    /// <summary>The data category group.</summary>
    public string Group { get; }

    /// <summary>The selector.</summary>
    public SoqlDataCategorySelector Selector { get; }

    /// <summary>The categories; more than one are written in parentheses.</summary>
    public SoqlList<string> Categories { get; }
}

/// <summary>A filter on a named value: <c>WITH DIVISION = 'Global'</c>, <c>WITH UserId = '005...'</c>.</summary>
public sealed record SoqlWithFilter : SoqlWithClause
{
    /// <summary>Creates the clause.</summary>
    public SoqlWithFilter(string name, SoqlLiteral value)
    {
        Name = SoqlNames.RequireName(name, nameof(name));
        Value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The name filtered on.</summary>
    public string Name { get; }

    /// <summary>The value.</summary>
    public SoqlLiteral Value { get; }
}

/// <summary>A named clause with parameters: <c>WITH RecordVisibilityContext (maxDescriptorPerRecord=100)</c>.</summary>
public sealed record SoqlWithParameters : SoqlWithClause
{
    /// <summary>Creates the clause.</summary>
    public SoqlWithParameters(string name, SoqlList<SoqlNamedValue> parameters)
    {
        Name = SoqlNames.RequireName(name, nameof(name));
        Parameters = SoqlNames.RequireNonEmpty(parameters, nameof(parameters), "A WITH clause with parameters");
    }

    /// <summary>The clause name.</summary>
    public string Name { get; }

    /// <summary>The parameters.</summary>
    public SoqlList<SoqlNamedValue> Parameters { get; }
}

/// <summary>A <c>name = value</c> pair: a parameter of <see cref="SoqlWithParameters"/> or an item of the BIND clause.</summary>
public sealed record SoqlNamedValue
{
    /// <summary>Creates a pair.</summary>
    public SoqlNamedValue(string name, SoqlLiteral value)
    {
        Name = SoqlNames.RequireName(name, nameof(name));
        Value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The value.</summary>
    public SoqlLiteral Value { get; }
}

/// <summary>Apex only: <c>WITH SomeIdentifier</c>, a bare word the Apex compiler accepts.</summary>
public sealed record SoqlWithIdentifier : SoqlWithClause
{
    /// <summary>Creates the clause.</summary>
    public SoqlWithIdentifier(string name) => Name = SoqlNames.RequireName(name, nameof(name));

    /// <summary>The word.</summary>
    public string Name { get; }
}

/// <summary>The GROUP BY clause: plain, ROLLUP or CUBE.</summary>
public sealed record SoqlGroupBy
{
    /// <summary>Creates a GROUP BY clause.</summary>
    public SoqlGroupBy(SoqlGroupByKind kind, SoqlList<SoqlExpression> expressions)
    {
        Kind = Enum.IsDefined(kind) ? kind : throw new ArgumentOutOfRangeException(nameof(kind));
        Expressions = SoqlNames.RequireNonEmpty(expressions, nameof(expressions), "GROUP BY");
    }

    /// <summary>Plain, ROLLUP or CUBE.</summary>
    public SoqlGroupByKind Kind { get; }

    /// <summary>The grouped fields or date functions.</summary>
    public SoqlList<SoqlExpression> Expressions { get; }

    /// <summary>The clause as canonical SOQL, without the GROUP BY keywords.</summary>
    public override string ToString() => SoqlFormatter.Format(this);
}

/// <summary>One ORDER BY item. Direction and nulls order are null when the query leaves them to the defaults (ASC, NULLS FIRST).</summary>
public sealed record SoqlOrderItem
{
    /// <summary>Creates an ORDER BY item.</summary>
    public SoqlOrderItem(SoqlExpression expression, SoqlSortDirection? direction = null, SoqlNullsOrder? nulls = null)
    {
        Expression = expression ?? throw new ArgumentNullException(nameof(expression));
        Direction = direction is null || Enum.IsDefined(direction.Value) ? direction : throw new ArgumentOutOfRangeException(nameof(direction));
        Nulls = nulls is null || Enum.IsDefined(nulls.Value) ? nulls : throw new ArgumentOutOfRangeException(nameof(nulls));
    }

    /// <summary>The field or function sorted on.</summary>
    public SoqlExpression Expression { get; }

    /// <summary>ASC or DESC as written; null when not written (ascending).</summary>
    public SoqlSortDirection? Direction { get; }

    /// <summary>NULLS FIRST or LAST as written; null when not written (first).</summary>
    public SoqlNullsOrder? Nulls { get; }

    /// <summary>The item as canonical SOQL.</summary>
    public override string ToString() => SoqlFormatter.Format(this);
}
