using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Tests.Records;

/// <summary>
/// Salesforce record ids: 15 case-sensitive characters, or 18 with a case-safe suffix (Salesforce's CASESAFEID; reference §8,
/// test vectors from ids in Salesforce's documentation samples and the worked examples of the algorithm).
/// </summary>
public sealed class SalesforceIdTests
{
    public static TheoryData<string, string> DocumentedPairs => new()
    {
        { "001D000000IRFma", "001D000000IRFmaIAH" },
        { "003RO0000035WQg", "003RO0000035WQgYAM" },
        { "00190000001pPvH", "00190000001pPvHAAU" },
        { "001xx000003DGb1", "001xx000003DGb1AAG" },
        { "70130000001tcyI", "70130000001tcyIAAQ" },
        { "a0BA0000000L2ZC", "a0BA0000000L2ZCMA0" },
        { "0019000000B98de", "0019000000B98deAAB" },
        { "a0D30000001n7Pi", "a0D30000001n7PiEAI" },
        { "AaaAABbbBBCccCC", "AaaAABbbBBCccCCZZZ" },
        { "ABCDEFGHIJKLMNO", "ABCDEFGHIJKLMNO555" },
    };

    [Theory]
    [MemberData(nameof(DocumentedPairs))]
    public void A_15_character_id_gets_the_documented_case_safe_suffix(string id15, string id18)
    {
        var id = SalesforceId.Parse(id15);

        Assert.Equal(id18, id.Value);
        Assert.Equal(id18, id.ToString());
        Assert.Equal(id18, SalesforceId.ToCaseSafe(id15));
        Assert.Equal(id15, id.To15());
        Assert.Equal(id15[..3], id.KeyPrefix);
    }

    [Theory]
    [MemberData(nameof(DocumentedPairs))]
    public void Both_forms_of_an_id_are_the_same_record(string id15, string id18)
    {
        Assert.Equal(SalesforceId.Parse(id15), SalesforceId.Parse(id18));
        Assert.True(SalesforceId.Parse(id15) == SalesforceId.Parse(id18));
        Assert.Equal(SalesforceId.Parse(id15).GetHashCode(), SalesforceId.Parse(id18).GetHashCode());
        // The 18-character form is the case-insensitive one: a lower-cased suffix still matches.
        Assert.True(SalesforceId.TryParse(id18[..15] + id18[15..].ToLowerInvariant(), out var lowerSuffix));
        Assert.Equal(SalesforceId.Parse(id18), lowerSuffix);
    }

    [Fact]
    public void Ids_that_differ_only_in_case_are_different_records()
    {
        // Salesforce's own example: 50130000000014c and 50130000000014C are two records.
        var lower = SalesforceId.Parse("50130000000014c");
        var upper = SalesforceId.Parse("50130000000014C");

        Assert.NotEqual(lower, upper);
        Assert.True(lower != upper);
        Assert.NotEqual(lower.Value, upper.Value, StringComparer.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("001D000000IRFmaAAA")] // suffix of another casing
    [InlineData("001d000000IRFmaIAH")] // first 15 re-cased: the suffix no longer matches
    [InlineData("001D000000IRFm")]     // 14 characters
    [InlineData("001D000000IRFmaIA")]  // 17 characters
    [InlineData("001D000000IRF-a")]    // not a letter or digit
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_an_id(string? text)
    {
        Assert.False(SalesforceId.TryParse(text, out var id));
        Assert.Equal(default, id);
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => SalesforceId.Parse(text));
        }
    }

    [Fact]
    public void Parse_refuses_null()
    {
        Assert.Throws<ArgumentNullException>(() => SalesforceId.Parse(null!));
    }

    [Fact]
    public void The_default_value_is_empty()
    {
        Assert.Equal(string.Empty, default(SalesforceId).Value);
        Assert.Equal(string.Empty, default(SalesforceId).To15());
    }
}
