using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>What the command line controls: where the HTML goes, and the size and clock of the demo org.</summary>
public sealed class PipelineReportSettings
{
    /// <summary>The command line, printed by <c>--help</c> to stdout and after a bad argument to stderr.</summary>
    public const string Usage =
        """
        Usage: dotnet run --project samples/Atom.Salesforce.Samples.PipelineReport [-- options]

        Reports on the pipeline, leads, accounts and win probability of the configured Salesforce org, or of the
        emulator's demo org when none is configured (SALESFORCE__CLIENTID not set), in tables and in an HTML page.

        Options:
          --out PATH          Where the HTML report goes (default report.html).
          --scale N           Demo org size, 0 < N <= 20 (default 1: about 2,500 opportunities).
          --top N             How many at-risk deals and accounts the tables list (default 10).
          --today yyyy-MM-dd  The demo org's and the analytics' today, from 12:00 UTC (default: the system clock),
                              so that every run prints the same figures.
          -h, --help          Print this help and exit.

        Environment:
          SALESFORCE__*       A real org instead of the demo org (README.md, "Getting started").
          NO_COLOR            No colour, even on a terminal.
          COLUMNS             The width tables fit (default: the terminal's, or 120 when the output is redirected).
                              Longer text cells end in "…"; report.html has them in full.

        Exit codes:
          0  the report was written, or --help
          1  the org could not be reached or refused a call
          2  a bad argument (the error and this help go to stderr)
        """;

    /// <summary>Where report.html is written; relative paths are under the current directory.</summary>
    public string OutputPath { get; init; } = "report.html";

    /// <summary>The demo org's scale when no org is configured (1 is about 2,500 opportunities).</summary>
    public double DemoScale { get; init; } = 1;

    /// <summary>How many at-risk deals the tables and the HTML list.</summary>
    public int TopAtRisk { get; init; } = 10;

    /// <summary>
    /// The clock of the demo org, of its SDK client and of the analytics ("today" for overdue and stalled deals); with
    /// <c>--today</c>, <see cref="SalesforceEmulatorOptions.ClockStartingOn"/>. A real org keeps its own clock.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>True when the command line asks for the usage (<c>--help</c> or <c>-h</c>): print it, run nothing.</summary>
    public bool Help { get; init; }

    /// <summary>Reads <c>--out PATH</c>, <c>--scale N</c>, <c>--top N</c>, <c>--today yyyy-MM-dd</c> and <c>--help</c>.</summary>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out PipelineReportSettings? settings, [NotNullWhen(false)] out string? error)
    {
        settings = null;
        error = null;
        var output = "report.html";
        var scale = 1.0;
        var top = 10;
        var clock = TimeProvider.System;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--help" or "-h")
            {
                settings = new PipelineReportSettings { Help = true };
                return true;
            }

            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--out" when !string.IsNullOrWhiteSpace(value):
                    output = value;
                    break;
                case "--scale" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out scale)
                                    && scale > 0 && scale <= DemoDataOptions.MaxScale:
                    break;
                case "--top" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out top) && top > 0:
                    break;
                case "--today" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var today):
                    clock = SalesforceEmulatorOptions.ClockStartingOn(today);
                    break;
                default:
                    error = $"Unknown or invalid argument '{args[i]}'.";
                    return false;
            }

            i++;
        }

        settings = new PipelineReportSettings { OutputPath = output, DemoScale = scale, TopAtRisk = top, TimeProvider = clock };
        return true;
    }
}
