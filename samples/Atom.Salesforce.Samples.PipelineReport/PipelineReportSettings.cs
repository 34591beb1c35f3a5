using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Atom.Salesforce.Emulator.Demo;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>What the command line controls: where the HTML goes, and the size and clock of the demo org.</summary>
public sealed class PipelineReportSettings
{
    /// <summary>The command line.</summary>
    public const string Usage = "Usage: [--out PATH] [--scale N] [--top N]";

    /// <summary>Where report.html is written; relative paths are under the current directory.</summary>
    public string OutputPath { get; init; } = "report.html";

    /// <summary>The demo org's scale when no org is configured (1 is about 2,500 opportunities).</summary>
    public double DemoScale { get; init; } = 1;

    /// <summary>How many at-risk deals the tables and the HTML list.</summary>
    public int TopAtRisk { get; init; } = 10;

    /// <summary>The clock of the demo org and of the analytics ("today" for overdue and stalled deals).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Reads <c>--out PATH</c>, <c>--scale N</c> and <c>--top N</c>.</summary>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out PipelineReportSettings? settings, [NotNullWhen(false)] out string? error)
    {
        settings = null;
        error = null;
        var output = "report.html";
        var scale = 1.0;
        var top = 10;
        for (var i = 0; i < args.Count; i++)
        {
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
                default:
                    error = $"Unknown or invalid argument '{args[i]}'.";
                    return false;
            }

            i++;
        }

        settings = new PipelineReportSettings { OutputPath = output, DemoScale = scale, TopAtRisk = top };
        return true;
    }
}
