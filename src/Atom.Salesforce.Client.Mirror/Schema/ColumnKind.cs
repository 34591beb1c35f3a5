namespace Atom.Salesforce.Client.Mirror.Schema;

/// <summary>The PostgreSQL type a mirrored field is stored as.</summary>
internal enum ColumnKind
{
    /// <summary><c>text</c>: ids, references, strings, picklists, and any type the mirror does not type more closely.</summary>
    Text,

    /// <summary><c>numeric</c>: double, currency, percent.</summary>
    Numeric,

    /// <summary><c>bigint</c>: int, long.</summary>
    Integer,

    /// <summary><c>date</c>.</summary>
    Date,

    /// <summary><c>timestamptz</c>.</summary>
    Timestamp,

    /// <summary><c>boolean</c>.</summary>
    Boolean,
}

internal static class ColumnKinds
{
    public static string SqlType(this ColumnKind kind) => kind switch
    {
        ColumnKind.Numeric => "numeric",
        ColumnKind.Integer => "bigint",
        ColumnKind.Date => "date",
        ColumnKind.Timestamp => "timestamptz",
        ColumnKind.Boolean => "boolean",
        _ => "text",
    };

    /// <summary>The kind of a column from PostgreSQL's <c>data_type</c> (information_schema.columns).</summary>
    public static ColumnKind FromSqlType(string dataType) => dataType switch
    {
        "numeric" => ColumnKind.Numeric,
        "bigint" => ColumnKind.Integer,
        "date" => ColumnKind.Date,
        "timestamp with time zone" => ColumnKind.Timestamp,
        "boolean" => ColumnKind.Boolean,
        _ => ColumnKind.Text,
    };

    /// <summary>
    /// The kind of a describe field type (REST API Developer Guide, "Field Types"); null for the types the mirror does not store
    /// (compound address and location fields, whose components are their own fields; base64 bodies; anyType).
    /// </summary>
    public static ColumnKind? FromFieldType(string type) => type switch
    {
        "double" or "currency" or "percent" => ColumnKind.Numeric,
        "int" or "long" => ColumnKind.Integer,
        "date" => ColumnKind.Date,
        "datetime" => ColumnKind.Timestamp,
        "boolean" => ColumnKind.Boolean,
        "address" or "location" or "base64" or "anyType" or "complexvalue" => null,
        _ => ColumnKind.Text,
    };
}
