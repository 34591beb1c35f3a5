using Atom.Salesforce.Soql.Errors;

namespace Atom.Salesforce.Soql.Tests;

/// <summary>Short ways to build expected syntax trees, and the assertions the SOQL tests share.</summary>
internal static class SoqlAst
{
    public static readonly SoqlParseOptions Apex = new() { AllowApexSyntax = true };

    public static SoqlField F(string path) => new(path);

    public static SoqlFunctionCall Call(string name, params SoqlExpression[] arguments) => new(name, SoqlList.Create<SoqlExpression>(arguments));

    public static SoqlString Str(string value) => new(value);

    public static SoqlNumber Num(decimal value) => new(value);

    public static SoqlSelectExpression Sel(SoqlExpression expression, string? alias = null) => new(expression, alias);

    public static SoqlSelectExpression Sel(string path, string? alias = null) => new(new SoqlField(path), alias);

    public static SoqlComparison Cmp(string field, SoqlComparisonOperator op, SoqlExpression value) => new(F(field), op, value);

    public static SoqlComparison Eq(string field, SoqlExpression value) => new(F(field), SoqlComparisonOperator.Equal, value);

    public static SoqlQuery Q(string objectType, params string[] fields) =>
        new(SoqlList.From(fields.Select(f => (SoqlSelectItem)Sel(f))), new SoqlFrom(objectType));

    /// <summary>Parses, prints and parses again: the second tree must equal the first.</summary>
    public static SoqlQuery ParseRoundTrip(string soql, SoqlParseOptions? options = null)
    {
        var ast = SoqlQuery.Parse(soql, options);
        var formatted = ast.ToString();
        var again = SoqlQuery.Parse(formatted, options);
        Assert.True(ast == again, $"Parse(Format(ast)) != ast\n  input:     {soql}\n  formatted: {formatted}\n  again:     {again}");
        return ast;
    }

    /// <summary>The WHERE condition of <c>SELECT Id FROM Account WHERE {condition}</c>, round-tripped.</summary>
    public static SoqlCondition Where(string condition, SoqlParseOptions? options = null) =>
        ParseRoundTrip($"SELECT Id FROM Account WHERE {condition}", options).Where!;

    /// <summary>The one value compared in <c>WHERE Field = {value}</c>.</summary>
    public static SoqlExpression Value(string value, SoqlParseOptions? options = null) =>
        Assert.IsType<SoqlComparison>(Where($"Field__c = {value}", options)).Right;

    /// <summary>Parsing fails with a syntax error whose position lies inside the text.</summary>
    public static SoqlSyntaxException Fails(string soql, SoqlParseOptions? options = null)
    {
        var e = Assert.Throws<SoqlSyntaxException>(() => SoqlQuery.Parse(soql, options));
        Assert.InRange(e.Position, 0, soql.Length);
        Assert.True(e.Line >= 1 && e.Column >= 1, $"line {e.Line}, column {e.Column}");
        Assert.False(string.IsNullOrWhiteSpace(e.Problem));
        return e;
    }
}
