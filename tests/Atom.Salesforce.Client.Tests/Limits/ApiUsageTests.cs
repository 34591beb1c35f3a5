using Atom.Salesforce.Client.Limits;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Tests.Limits;

public sealed class ApiUsageTests
{
    [Theory]
    [InlineData("api-usage=18/5000", 18, 5000)]
    [InlineData("api-usage=0/15000", 0, 15000)]
    [InlineData("api-usage=10018/100000", 10018, 100000)]
    [InlineData("API-USAGE=18/5000", 18, 5000)]
    [InlineData("  api-usage=18/5000  ", 18, 5000)]
    [InlineData("api-usage=9000000000/9999999999", 9000000000, 9999999999)]
    // The forms of the Salesforce documentation: entries separated by "; ".
    [InlineData("api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)", 25, 5000)]
    [InlineData("api-usage=10018/100000; api-bursts=1/750", 10018, 100000)]
    [InlineData("per-app-api-usage=17/250(appName=sample-connected-app); api-usage=25/5000", 25, 5000)]
    [InlineData("api-usage=25/5000;per-app-api-usage=17/250(appName=x)", 25, 5000)]
    // Several header values joined by HttpHeaders with ", ".
    [InlineData("per-app-api-usage=17/250(appName=sample-connected-app), api-usage=25/5000", 25, 5000)]
    [InlineData("api-usage=25/5000, per-app-api-usage=17/250(appName=sample-connected-app)", 25, 5000)]
    [InlineData("api-bursts=1/750 ,  api-usage=18/5000 ", 18, 5000)]
    public void TryParse_reads_the_org_usage(string header, long used, long max)
    {
        Assert.True(ApiUsage.TryParse(header, out var usage));
        Assert.Equal(used, usage.Used);
        Assert.Equal(max, usage.Max);
        Assert.Equal(max - used, usage.Remaining);
    }

    [Fact]
    public void The_per_app_figure_is_never_taken_for_the_org_figure()
    {
        Assert.True(ApiUsage.TryParse("per-app-api-usage=17/250(appName=a); api-usage=18/5000", out var usage));

        Assert.Equal(new ApiUsage(18, 5000), usage);
        Assert.False(ApiUsage.TryParse("per-app-api-usage=17/250(appName=a)", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("garbage")]
    [InlineData("api-usage=")]
    [InlineData("api-usage=18")]
    [InlineData("api-usage=18/")]
    [InlineData("api-usage=/5000")]
    [InlineData("api-usage=abc/5000")]
    [InlineData("api-usage=18/5k")]
    [InlineData("api-usage=-1/5000")]
    [InlineData("api-usage=18/-5000")]
    [InlineData("api-usage=1.5/5000")]
    [InlineData("api-usage=18 / 5000")]
    [InlineData("api-usage:18/5000")]
    [InlineData("usage=18/5000")]
    [InlineData("api-bursts=1/750")]
    [InlineData("api-usage=99999999999999999999/5000")]
    public void TryParse_refuses_anything_else(string? header)
    {
        Assert.False(ApiUsage.TryParse(header, out var usage));
        Assert.Equal(default, usage);
    }

    [Theory]
    [InlineData("api-usage=5001/5000")]
    [InlineData("api-usage=999999/5000")]
    public void Remaining_is_never_negative(string header)
    {
        Assert.True(ApiUsage.TryParse(header, out var usage));

        Assert.Equal(0, usage.Remaining);
        Assert.True(usage.Used > usage.Max);
    }

    [Fact]
    public void Remaining_is_Max_minus_Used()
    {
        Assert.Equal(4982, new ApiUsage(18, 5000).Remaining);
        Assert.Equal(0, new ApiUsage(5000, 5000).Remaining);
        Assert.Equal(0, new ApiUsage(10, 0).Remaining);
    }
}
