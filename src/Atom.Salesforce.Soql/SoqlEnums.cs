namespace Atom.Salesforce.Soql;

/// <summary>A comparison between a field (or function) and one value.</summary>
public enum SoqlComparisonOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>&lt;&gt;</c>, the same as <c>!=</c>; kept apart so that a query prints as it was written.</summary>
    LessOrGreater,

    /// <summary><c>&lt;</c></summary>
    LessThan,

    /// <summary><c>&lt;=</c></summary>
    LessThanOrEqual,

    /// <summary><c>&gt;</c></summary>
    GreaterThan,

    /// <summary><c>&gt;=</c></summary>
    GreaterThanOrEqual,

    /// <summary><c>LIKE</c>: the value is a pattern in which <c>%</c> and <c>_</c> are wildcards and a backslash takes the next <c>%</c>, <c>_</c> or backslash literally.</summary>
    Like,
}

/// <summary>A comparison between a field and a list of values.</summary>
public enum SoqlSetOperator
{
    /// <summary><c>IN</c></summary>
    In,

    /// <summary><c>NOT IN</c></summary>
    NotIn,

    /// <summary><c>INCLUDES</c> (multi-select picklists)</summary>
    Includes,

    /// <summary><c>EXCLUDES</c> (multi-select picklists)</summary>
    Excludes,
}

/// <summary>Arithmetic between two operands in a filter (<c>A + B &gt; 10</c>).</summary>
public enum SoqlArithmeticOperator
{
    /// <summary><c>+</c></summary>
    Add,

    /// <summary><c>-</c></summary>
    Subtract,
}

/// <summary>The direction of an ORDER BY item.</summary>
public enum SoqlSortDirection
{
    /// <summary><c>ASC</c></summary>
    Ascending,

    /// <summary><c>DESC</c></summary>
    Descending,
}

/// <summary>Where nulls go in an ORDER BY item.</summary>
public enum SoqlNullsOrder
{
    /// <summary><c>NULLS FIRST</c> (Salesforce's default)</summary>
    First,

    /// <summary><c>NULLS LAST</c></summary>
    Last,
}

/// <summary>The form of a GROUP BY clause.</summary>
public enum SoqlGroupByKind
{
    /// <summary><c>GROUP BY a, b</c></summary>
    Plain,

    /// <summary><c>GROUP BY ROLLUP(a, b)</c>: subtotals from left to right.</summary>
    Rollup,

    /// <summary><c>GROUP BY CUBE(a, b)</c>: subtotals for every combination.</summary>
    Cube,
}

/// <summary>The argument of <c>FIELDS(...)</c>.</summary>
public enum SoqlFieldsScope
{
    /// <summary><c>FIELDS(ALL)</c></summary>
    All,

    /// <summary><c>FIELDS(STANDARD)</c></summary>
    Standard,

    /// <summary><c>FIELDS(CUSTOM)</c></summary>
    Custom,
}

/// <summary>The sharing and field-security mode of <c>WITH SECURITY_ENFORCED | USER_MODE | SYSTEM_MODE</c>.</summary>
public enum SoqlSecurityMode
{
    /// <summary><c>WITH SECURITY_ENFORCED</c></summary>
    SecurityEnforced,

    /// <summary><c>WITH USER_MODE</c></summary>
    UserMode,

    /// <summary><c>WITH SYSTEM_MODE</c></summary>
    SystemMode,
}

/// <summary>The selector of a <c>WITH DATA CATEGORY</c> filter.</summary>
public enum SoqlDataCategorySelector
{
    /// <summary><c>AT</c></summary>
    At,

    /// <summary><c>ABOVE</c></summary>
    Above,

    /// <summary><c>BELOW</c></summary>
    Below,

    /// <summary><c>ABOVE_OR_BELOW</c></summary>
    AboveOrBelow,
}

/// <summary>The <c>FOR VIEW | REFERENCE | UPDATE</c> clause.</summary>
[Flags]
public enum SoqlForClause
{
    /// <summary>No FOR clause.</summary>
    None = 0,

    /// <summary><c>FOR VIEW</c>: updates LastViewedDate.</summary>
    View = 1,

    /// <summary><c>FOR REFERENCE</c>: updates LastReferencedDate.</summary>
    Reference = 2,

    /// <summary><c>FOR UPDATE</c>: locks the rows (Apex).</summary>
    Update = 4,
}

/// <summary>The <c>UPDATE TRACKING | VIEWSTAT</c> clause (Knowledge articles).</summary>
[Flags]
public enum SoqlUpdateClause
{
    /// <summary>No UPDATE clause.</summary>
    None = 0,

    /// <summary><c>UPDATE TRACKING</c></summary>
    Tracking = 1,

    /// <summary><c>UPDATE VIEWSTAT</c></summary>
    Viewstat = 2,
}
