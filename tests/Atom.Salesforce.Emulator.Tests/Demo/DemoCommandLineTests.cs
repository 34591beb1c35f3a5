namespace Atom.Salesforce.Emulator.Tests.Demo;

/// <summary>The executable's demo-org arguments: <c>--seed demo|empty</c>, <c>--scale N</c>, <c>--random-seed N</c>.</summary>
public sealed class DemoCommandLineTests
{
    [Fact]
    public void The_executable_serves_the_demo_org_at_scale_one_by_default()
    {
        Assert.True(Program.TryParse(["--urls", "http://127.0.0.1:5000"], out var options, out var url, out var error));

        Assert.Null(error);
        Assert.Equal("http://127.0.0.1:5000", url);
        Assert.NotNull(options.DemoData);
        Assert.Equal((1.0, 1), (options.DemoData!.Scale, options.DemoData.RandomSeed));
    }

    [Fact]
    public void Seed_empty_starts_without_data_and_scale_and_random_seed_tune_the_demo()
    {
        Assert.True(Program.TryParse(["--seed", "empty", "--api-limit", "50"], out var empty, out _, out _));
        Assert.True(Program.TryParse(["--seed", "demo", "--scale", "0.25", "--random-seed", "7"], out var tuned, out _, out _));

        Assert.Null(empty.DemoData);
        Assert.Equal(50, empty.DailyApiLimit);
        Assert.Equal((0.25, 7), (tuned.DemoData!.Scale, tuned.DemoData.RandomSeed));
    }

    [Theory]
    [InlineData("Invalid value 'sample' for --seed.", "--seed", "sample")]
    [InlineData("Invalid value '0' for --scale.", "--scale", "0")]
    [InlineData("Invalid value '1,5' for --scale.", "--scale", "1,5")]
    [InlineData("Invalid value 'x' for --random-seed.", "--random-seed", "x")]
    [InlineData("--scale needs a value.", "--scale")]
    [InlineData("Unknown argument '--demo'.", "--demo")]
    [InlineData("--scale and --random-seed apply to --seed demo only.", "--seed", "empty", "--scale", "2")]
    public void Mistakes_are_reported_by_argument(string message, params string[] args)
    {
        Assert.False(Program.TryParse(args, out _, out _, out var error));
        Assert.Equal(message, error);
    }
}
