using System.Net;
using System.Net.Sockets;
using Atom.Salesforce.Emulator.Tool;

namespace Atom.Salesforce.Emulator.Tests.Tool;

/// <summary>
/// The built tool run as a process (<c>dotnet Atom.Salesforce.Emulator.Tool.dll</c>): what it prints, what it serves, how
/// it stops and what its exit code says.
/// </summary>
public sealed class ToolProcessTests
{
    private const string ListeningOn = "Atom.Salesforce.Emulator listening on ";

    /// <summary>A bound for waits, not a timing check: generous for a loaded machine.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task It_serves_where_it_says_it_listens_and_a_signal_stops_it_with_exit_code_0(string signal)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "POSIX signals");
        var port = ToolProcess.FreePort();
        using var tool = ToolProcess.StartTool("--urls", $"http://127.0.0.1:{port}", "--access-token", "tool-token", "--scale", "0.05", "--today", "2026-06-30");

        var listening = await tool.WaitForLineAsync(l => l.StartsWith(ListeningOn, StringComparison.Ordinal), Generous, Ct);
        using var http = new HttpClient { BaseAddress = new Uri(listening[ListeningOn.Length..]) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "tool-token");
        using var limits = await http.GetAsync(new Uri("/services/data/v66.0/limits", UriKind.Relative), Ct);
        using var anonymous = new HttpClient();
        using var refused = await anonymous.GetAsync(new Uri(http.BaseAddress, "/services/data/v66.0/limits"), Ct);

        // The client keeps its keep-alive connection open while the server stops.
        await tool.SignalAsync(signal, Ct);
        var exitCode = await tool.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal($"{ListeningOn}http://127.0.0.1:{port}", listening);
        Assert.StartsWith("Demo org (random seed 1, scale 0.05, today 2026-06-30) generated in ", tool.Lines[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, limits.StatusCode);
        Assert.Equal("api-usage=1/15000", limits.Headers.GetValues("Sforce-Limit-Info").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(exitCode == Program.Stopped, $"exit code {exitCode}; stderr: {tool.Errors}");
        Assert.Equal([tool.Lines[0], tool.Lines[1], listening], tool.Lines);

        // The Pub/Sub API on a port of its own, as Salesforce serves it on a host of its own.
        Assert.Matches(@"^Pub/Sub API \(gRPC, HTTP/2\): 127\.0\.0\.1:\d+ \(cleartext\)$", tool.Lines[1]);
        Assert.Equal("", tool.Errors);
    }

    [Fact]
    public async Task Without_access_token_it_prints_the_default_one_which_the_org_accepts()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "POSIX signals");
        var port = ToolProcess.FreePort();
        using var tool = ToolProcess.StartTool("--urls", $"http://127.0.0.1:{port}", "--seed", "empty");

        var listening = await tool.WaitForLineAsync(l => l.StartsWith(ListeningOn, StringComparison.Ordinal), Generous, Ct);
        const string Printed = "Access token (set another with --access-token): ";
        var token = Assert.Single(tool.Lines, l => l.StartsWith(Printed, StringComparison.Ordinal))[Printed.Length..];
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/services/data/v66.0/limits"));
        request.Headers.Authorization = new("Bearer", token);
        using var limits = await http.SendAsync(request, Ct);
        await tool.SignalAsync("TERM", Ct);
        var exitCode = await tool.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);

        // Salesforce's session ids are the org id, '!', and the session part; tools such as the Salesforce CLI check it.
        Assert.Matches(@"^00D\w{12,15}![.\w]+$", token);
        Assert.Equal(HttpStatusCode.OK, limits.StatusCode);
        Assert.Equal(Program.Stopped, exitCode);
        Assert.Equal($"{ListeningOn}http://127.0.0.1:{port}", listening);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_prints_the_usage_to_stdout_and_exits_0(string flag)
    {
        using var tool = ToolProcess.StartTool(flag);

        var exitCode = await tool.WaitForExitAsync(Generous, Ct);

        Assert.Equal(Program.Stopped, exitCode);
        Assert.Equal(CommandLine.Usage.ReplaceLineEndings("\n"), string.Join('\n', tool.Lines).TrimEnd());
        Assert.Equal("", tool.Errors);
    }

    [Theory]
    [InlineData("Unknown argument '--port'.", "--port", "8443")]
    [InlineData("Invalid value 'tomorrow' for --today.", "--today", "tomorrow")]
    public async Task A_bad_argument_prints_the_error_and_the_usage_to_stderr_and_exits_2(string message, params string[] args)
    {
        using var tool = ToolProcess.StartTool(args);

        var exitCode = await tool.WaitForExitAsync(Generous, Ct);

        Assert.Equal(Program.BadArgument, exitCode);
        Assert.Empty(tool.Lines);
        Assert.Equal($"{message}\n\n{CommandLine.Usage.ReplaceLineEndings("\n")}", tool.Errors.ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public async Task A_port_in_use_exits_3_with_a_one_line_reason()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        using var tool = ToolProcess.StartTool("--urls", url, "--seed", "empty");

        var exitCode = await tool.WaitForExitAsync(Generous, Ct);

        Assert.Equal(Program.CannotListen, exitCode);
        Assert.Empty(tool.Lines);
        var error = Assert.Single(tool.Errors.ReplaceLineEndings("\n").TrimEnd().Split('\n'));
        Assert.StartsWith($"Cannot listen on {url}: ", error, StringComparison.Ordinal);
        Assert.Contains("address already in use", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_malformed_url_exits_3_with_a_one_line_reason()
    {
        using var tool = ToolProcess.StartTool("--urls", "127.0.0.1:8443", "--seed", "empty");

        var exitCode = await tool.WaitForExitAsync(Generous, Ct);

        Assert.Equal(Program.CannotListen, exitCode);
        var error = Assert.Single(tool.Errors.ReplaceLineEndings("\n").TrimEnd().Split('\n'));
        Assert.StartsWith("Cannot listen on 127.0.0.1:8443: ", error, StringComparison.Ordinal);
    }
}
