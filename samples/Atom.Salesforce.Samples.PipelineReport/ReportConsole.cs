using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>
/// Where the report prints: a Spectre.Console console of a known width, with colour and live progress only on an
/// interactive terminal (none when the output is redirected or <c>NO_COLOR</c> is set).
/// </summary>
public sealed class ReportConsole
{
    /// <summary>The width tables are fitted to when the output is not a terminal (a file, a pipe, a test).</summary>
    public const int DefaultWidth = 120;

    private readonly IAnsiConsole _console;
    private readonly bool _live;

    private ReportConsole(IAnsiConsole console, int width, bool colour, bool live)
    {
        _console = console;
        _console.Profile.Width = width;
        Width = width;
        Colour = colour;
        _live = live;
    }

    /// <summary>The columns every line fits in.</summary>
    public int Width { get; }

    /// <summary>True when styles reach the output (an ANSI terminal without <c>NO_COLOR</c>).</summary>
    public bool Colour { get; }

    /// <summary>Plain text into <paramref name="writer"/>: no escape sequences, no live progress, lines of at most <paramref name="width"/> columns.</summary>
    public static ReportConsole Plain(TextWriter writer, int width = DefaultWidth) =>
        new(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        }), width, colour: false, live: false);

    /// <summary>
    /// The process's standard output: on a terminal, its width, colour unless <c>NO_COLOR</c> is set, and live progress;
    /// redirected, plain text of <c>COLUMNS</c> (default <see cref="DefaultWidth"/>) columns.
    /// </summary>
    public static ReportConsole ForStandardOutput()
    {
        var redirected = Console.IsOutputRedirected;
        var noColour = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
                       || string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        var colour = !redirected && !noColour;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        var width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns >= 40
            ? columns
            : redirected ? DefaultWidth : Math.Max(40, console.Profile.Width);
        return new ReportConsole(console, width, colour, live: !redirected && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi);
    }

    /// <summary>Writes a line of plain text (no markup).</summary>
    public void WriteLine(string text = "") => _console.WriteLine(text);

    /// <summary>Writes a line in <paramref name="style"/> (a Spectre.Console style such as <c>bold</c>) when colour is on.</summary>
    public void WriteLine(string text, string style)
    {
        if (Colour)
        {
            _console.MarkupLine($"[{style}]{Markup.Escape(text)}[/]");
        }
        else
        {
            _console.WriteLine(text);
        }
    }

    /// <summary>Writes <paramref name="table"/> fitted to <see cref="Width"/>, followed by a blank line.</summary>
    public void Write(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var lines = table.Lines(Width);
        WriteLine(lines[0], "bold deepskyblue1");
        WriteLine(lines[1], "bold");
        WriteLine(lines[2], "grey");
        for (var i = 3; i < lines.Count; i++)
        {
            var style = table.RowStyle(i - 3);
            if (style is null)
            {
                WriteLine(lines[i]);
            }
            else
            {
                WriteLine(lines[i], style);
            }
        }

        foreach (var note in table.Notes)
        {
            foreach (var line in ReportTable.Wrap(note, Width))
            {
                WriteLine(line, "grey");
            }
        }

        WriteLine();
    }

    /// <summary>
    /// Runs one step of the program: <paramref name="title"/> first, a spinner with the elapsed time and the rows read so far
    /// while it runs (on a terminal), then <c>  done: what it found (1.2 s[, rate])</c>.
    /// </summary>
    /// <param name="title">What the step does, ending in <c>...</c>.</param>
    /// <param name="work">The step; it may report rows read with <see cref="StepProgress.Add"/>.</param>
    /// <param name="summary">What the step found, from its result and its row count (for example <c>2,500 opportunities</c>).</param>
    public async Task<T> StepAsync<T>(string title, Func<StepProgress, Task<T>> work, Func<T, string> summary)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(summary);
        WriteLine(title);
        var clock = Stopwatch.StartNew();
        var progress = new StepProgress();
        T result;
        if (_live)
        {
            result = await _console.Progress()
                .AutoClear(true)
                .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(title.TrimEnd('.')), autoStart: true, maxValue: 1).IsIndeterminate();
                    progress.Changed = rows => task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{title.TrimEnd('.')}: {Format.Count((int)Math.Min(int.MaxValue, rows))} rows"));
                    var value = await work(progress).ConfigureAwait(false);
                    task.Value = 1;
                    task.StopTask();
                    return value;
                }).ConfigureAwait(false);
        }
        else
        {
            result = await work(progress).ConfigureAwait(false);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var timing = progress.Rows > 0 && seconds > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s, {Format.Count((int)Math.Min(int.MaxValue, progress.Rows / Math.Max(seconds, 0.001)))} rows/s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s");
        WriteLine($"  {summary(result)} ({timing})", "green");
        return result;
    }
}

/// <summary>What a running step reports: the rows it has read so far.</summary>
public sealed class StepProgress
{
    private long _rows;

    /// <summary>The rows read so far.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    internal Action<long>? Changed { get; set; }

    /// <summary>Counts <paramref name="rows"/> more rows read.</summary>
    public void Add(long rows = 1)
    {
        var total = Interlocked.Add(ref _rows, rows);
        Changed?.Invoke(total);
    }
}
