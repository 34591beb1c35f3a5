using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Tests.Data;

public sealed class RecordIdTests
{
    [Theory]
    [InlineData("001D000000IRFma", "001D000000IRFmaIAH")]
    [InlineData("003RO0000035WQg", "003RO0000035WQgYAM")]
    [InlineData("00190000001pPvH", "00190000001pPvHAAU")]
    [InlineData("001xx000003DGb1", "001xx000003DGb1AAG")]
    [InlineData("70130000001tcyI", "70130000001tcyIAAQ")]
    [InlineData("a0BA0000000L2ZC", "a0BA0000000L2ZCMA0")]
    [InlineData("AaaAABbbBBCccCC", "AaaAABbbBBCccCCZZZ")]
    [InlineData("ABCDEFGHIJKLMNO", "ABCDEFGHIJKLMNO555")]
    public void The_case_safe_suffix_matches_the_reference_vectors(string id15, string id18)
    {
        Assert.Equal(id18, RecordIds.To18(id15));
        Assert.True(RecordIds.IsValid(id15));
        Assert.True(RecordIds.IsValid(id18));
    }

    [Fact]
    public void Created_ids_carry_the_key_prefix_and_a_valid_suffix_and_never_repeat()
    {
        var ids = Enumerable.Range(1, 5000).Select(n => RecordIds.Create("006", n)).ToList();

        Assert.All(ids, id =>
        {
            Assert.Equal(18, id.Length);
            Assert.StartsWith("006", id, StringComparison.Ordinal);
            Assert.Equal(id, RecordIds.To18(id.AsSpan(0, 15)));
        });
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("001D000000IRFmaXXX")]
    [InlineData("001D000000IRFm")]
    [InlineData("001D000000IRFm!")]
    [InlineData("")]
    public void Malformed_ids_are_not_valid(string id) => Assert.False(RecordIds.IsValid(id));
}
