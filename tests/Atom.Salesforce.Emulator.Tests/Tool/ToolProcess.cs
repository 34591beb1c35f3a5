using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Atom.Salesforce.Emulator.Tests.Tool;

/// <summary>
/// A program run as a real process, as a user or CI runs it: its output lines as they come, POSIX signals, its exit code.
/// Disposing kills what is still running.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _errors = new();
    private readonly SemaphoreSlim _lineArrived = new(0);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorsClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ToolProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _outputClosed.TrySetResult();
            }
            else
            {
                _lines.Enqueue(e.Data);
            }

            _lineArrived.Release();
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _errorsClosed.TrySetResult();
                return;
            }

            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// The built tool in its own output folder, with its own dependencies (the test project references the tool project, so
    /// it is built first, in the same configuration). Not the copy next to the test binaries: the tests' folder holds the
    /// tests' dependencies, not necessarily the tool's.
    /// </summary>
    public static string ToolDll => Path.Combine(
        RepositoryRoot, "src", "Atom.Salesforce.Emulator.Tool", "bin", Configuration, "net10.0", "Atom.Salesforce.Emulator.Tool.dll");

    /// <summary>The dotnet host that runs the tests (<c>DOTNET_HOST_PATH</c>, set by the dotnet CLI), else dotnet on PATH.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The folder holding Atom.Salesforce.Client.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Atom.Salesforce.Client.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"Atom.Salesforce.Client.sln not found above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The build configuration of the tests, which is the tool's too (Release under ./build.sh test).</summary>
    public static string Configuration => typeof(ToolProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    /// <summary>Every line written to stdout so far.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Everything written to stderr (complete once the process has exited).</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>The tool, <c>dotnet Atom.Salesforce.Emulator.Tool.dll ARGS</c>.</summary>
    public static ToolProcess StartTool(params string[] args) => Start(DotnetHost, [ToolDll, .. args]);

    public static ToolProcess Start(string fileName, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName, args) { WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        return new ToolProcess(start);
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first stdout line matching <paramref name="match"/>; fails when the process ends or the wait runs out first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        while (true)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_outputClosed.Task.IsCompleted)
            {
                await _process.WaitForExitAsync(cancellationToken);
                Assert.Fail($"The process exited with {_process.ExitCode} before the line came.\nstdout:\n{string.Join('\n', Lines)}\nstderr:\n{Errors}");
            }

            try
            {
                await _lineArrived.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"No such line within {timeout}.\nstdout:\n{string.Join('\n', Lines)}\nstderr:\n{Errors}");
            }
        }
    }

    /// <summary>Sends a POSIX signal (<c>TERM</c>, <c>INT</c>) with kill(1), as CI runners, systemd and docker stop do.</summary>
    public async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync(cancellationToken);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the exit (a generous bound, not a timing check) and the end of its output; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            await Task.WhenAll(_outputClosed.Task, _errorsClosed.Task).WaitAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The process did not exit within {timeout}.\nstdout:\n{string.Join('\n', Lines)}\nstderr:\n{Errors}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _lineArrived.Dispose();
    }
}
