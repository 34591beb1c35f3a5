using Atom.Salesforce.Emulator.Tool;

namespace Atom.Salesforce.Emulator.Tests.Tool;

/// <summary>The tool's arguments, parsed: the demo org (<c>--seed</c>, <c>--scale</c>, <c>--random-seed</c>, <c>--today</c>), help and mistakes.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void The_tool_serves_the_demo_org_at_scale_one_on_the_system_clock_by_default()
    {
        Assert.True(CommandLine.TryParse(["--urls", "http://127.0.0.1:5000"], out var command, out var error));

        Assert.Null(error);
        Assert.False(command.Help);
        Assert.Equal("http://127.0.0.1:5000", command.Url);
        Assert.NotNull(command.Options.DemoData);
        Assert.Equal((1.0, 1), (command.Options.DemoData!.Scale, command.Options.DemoData.RandomSeed));
        Assert.Same(TimeProvider.System, command.Options.TimeProvider);
    }

    [Fact]
    public void Without_urls_it_listens_on_a_free_loopback_port()
    {
        Assert.True(CommandLine.TryParse([], out var command, out _));

        Assert.Equal("http://127.0.0.1:0", command.Url);
    }

    [Fact]
    public void Seed_empty_starts_without_data_and_scale_and_random_seed_tune_the_demo()
    {
        Assert.True(CommandLine.TryParse(["--seed", "empty", "--api-limit", "50"], out var empty, out _));
        Assert.True(CommandLine.TryParse(["--seed", "demo", "--scale", "0.25", "--random-seed", "7"], out var tuned, out _));

        Assert.Null(empty.Options.DemoData);
        Assert.Equal(50, empty.Options.DailyApiLimit);
        Assert.Equal((0.25, 7), (tuned.Options.DemoData!.Scale, tuned.Options.DemoData.RandomSeed));
    }

    [Fact]
    public void Today_starts_the_org_clock_at_noon_UTC_of_that_date_and_lets_it_run()
    {
        Assert.True(CommandLine.TryParse(["--today", "2026-06-30", "--seed", "empty"], out var command, out _));

        var now = command.Options.TimeProvider.GetUtcNow();
        Assert.Equal(new DateOnly(2026, 6, 30), DateOnly.FromDateTime(now.UtcDateTime));
        Assert.InRange(now - new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero), TimeSpan.Zero, TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_asks_for_the_usage_whatever_else_is_on_the_line(string flag)
    {
        Assert.True(CommandLine.TryParse(["--scale", "2", flag, "--unknown"], out var command, out _));

        Assert.True(command.Help);
    }

    [Fact]
    public void The_usage_gives_every_flag_a_line_and_the_exit_codes()
    {
        string[] flags =
        [
            "--urls URL", "--seed demo|empty", "--scale N", "--random-seed N", "--today yyyy-MM-dd", "--access-token TOKEN", "--api-limit N",
            "--session-timeout SECONDS", "--client-id ID", "--client-secret SECRET", "--callback-url URL", "--jwt-certificate PATH",
            "--rotate-refresh-tokens", "--user USERNAME[:PASSWORD]", "--pubsub-url URL|none", "--pubsub-cert-file PATH",
            "--platform-event SPEC", "-h, --help",
        ];
        var lines = CommandLine.Usage.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        Assert.Equal("Usage: atom-salesforce-emulator [options]", lines[0]);
        Assert.All(flags, f => Assert.Single(lines, l => l.StartsWith("  " + f + " ", StringComparison.Ordinal)));
        Assert.Contains($"  {Program.Stopped}  stopped by SIGINT or SIGTERM, or --help", lines);
        Assert.Contains(lines, l => l.StartsWith($"  {Program.BadArgument}  a bad argument", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"  {Program.CannotListen}  could not listen on --urls", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Invalid value 'sample' for --seed.", "--seed", "sample")]
    [InlineData("Invalid value '0' for --scale.", "--scale", "0")]
    [InlineData("Invalid value '1,5' for --scale.", "--scale", "1,5")]
    [InlineData("Invalid value 'x' for --random-seed.", "--random-seed", "x")]
    [InlineData("Invalid value '30/06/2026' for --today.", "--today", "30/06/2026")]
    [InlineData("Invalid value '2026-02-30' for --today.", "--today", "2026-02-30")]
    [InlineData("Invalid value '' for --urls.", "--urls", "")]
    [InlineData("--scale needs a value.", "--scale")]
    [InlineData("Invalid value 'ftp://x' for --pubsub-url.", "--pubsub-url", "ftp://x")]
    [InlineData("Invalid value 'Order:Number__c' for --platform-event.", "--platform-event", "Order:Number__c")]
    [InlineData("Invalid value 'Order__e:Number__c=money' for --platform-event.", "--platform-event", "Order__e:Number__c=money")]
    [InlineData("Unknown argument '--demo'.", "--demo")]
    [InlineData("--scale and --random-seed apply to --seed demo only.", "--seed", "empty", "--scale", "2")]
    public void Mistakes_are_reported_by_argument(string message, params string[] args)
    {
        Assert.False(CommandLine.TryParse(args, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void The_Pub_Sub_flags_set_where_it_listens_its_certificate_file_and_platform_events()
    {
        Assert.True(CommandLine.TryParse([], out var plain, out _));
        Assert.True(CommandLine.TryParse(["--pubsub-url", "none"], out var none, out _));
        Assert.True(CommandLine.TryParse(
            ["--pubsub-url", "https://127.0.0.1:7443", "--pubsub-cert-file", "/tmp/pubsub.pem", "--platform-event", "Order_Event__e:Order_Number__c,Amount__c=number,Shipped__c=checkbox"],
            out var tls,
            out _));

        Assert.Equal("http://127.0.0.1:0", plain.Options.PubSubUrl);
        Assert.Null(none.Options.PubSubUrl);
        Assert.Equal(("https://127.0.0.1:7443", "/tmp/pubsub.pem"), (tls.Options.PubSubUrl, tls.PubSubCertificateFile));
        var platformEvent = Assert.Single(tls.Options.PlatformEvents);
        Assert.Equal("Order_Event__e", platformEvent.Name);
        Assert.Equal(
            [("Order_Number__c", Schema.FieldType.String), ("Amount__c", Schema.FieldType.Double), ("Shipped__c", Schema.FieldType.Boolean)],
            platformEvent.Fields.Select(f => (f.Name, f.Type)));
    }
}
