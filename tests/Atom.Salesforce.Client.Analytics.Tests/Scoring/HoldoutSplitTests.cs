using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Tests.Scoring;

public sealed class HoldoutSplitTests
{
    [Fact]
    public void The_split_is_stable_and_close_to_the_fraction()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"00Q{i:D15}").ToArray();

        var heldOut = ids.Count(id => HoldoutSplit.IsHeldOut(id, 0.25));

        Assert.InRange(heldOut, 4_600, 5_400);
        Assert.Equal(ids.Select(id => HoldoutSplit.IsHeldOut(id, 0.25)), ids.Select(id => HoldoutSplit.IsHeldOut(id, 0.25)));
        Assert.DoesNotContain(ids, id => HoldoutSplit.IsHeldOut(id, 0));
        Assert.All(ids.Where(id => HoldoutSplit.IsHeldOut(id, 0.1)), id => Assert.True(HoldoutSplit.IsHeldOut(id, 0.25)));
    }
}
