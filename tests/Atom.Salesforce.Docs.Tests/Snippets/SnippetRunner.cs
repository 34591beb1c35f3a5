using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;

namespace Atom.Salesforce.Docs.Tests.Snippets;

/// <summary>Loads a compiled snippet into its own (collectible) load context, sets its ambient names and runs its top-level program.</summary>
public static class SnippetRunner
{
    /// <summary>
    /// Runs the snippet's program to its end and returns what it wrote to the console. Types the snippet shares with the
    /// harness (the SDK's, the emulator's) come from the default load context, so the ambient objects are the harness's own.
    /// </summary>
    public static async Task<string> RunAsync(CompiledSnippet snippet, Func<string, object> resolve)
    {
        using var capture = ConsoleCapture.Begin();
        await StartAsync(snippet, resolve);
        return capture.Output;
    }

    /// <summary>Starts the snippet's program; the task ends when the program does (for a web app, when it stops).</summary>
    public static Task StartAsync(CompiledSnippet snippet, Func<string, object> resolve)
    {
        if (snippet.Assembly is null)
        {
            throw new InvalidOperationException($"{snippet.Block.DisplayName} did not compile:\n{string.Join('\n', snippet.Problems)}");
        }

        var context = new AssemblyLoadContext(snippet.Block.Id, isCollectible: true);
        var assembly = context.LoadFromStream(new MemoryStream(snippet.Assembly), snippet.Symbols is null ? null : new MemoryStream(snippet.Symbols));
        var ambient = assembly.GetType(Ambient.ClassName) ?? throw new InvalidOperationException("The ambient class is missing.");
        ambient.GetField("Resolve")!.SetValue(null, resolve);

        // Top-level statements compile to Program.<Main>$(string[] args), returning Task when the program awaits.
        var main = assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
            .SingleOrDefault(m => m.Name == "<Main>$")
            ?? throw new InvalidOperationException($"{snippet.Block.DisplayName} has no top-level statements to run.");
        return Task.Run(async () =>
        {
            object? result;
            try
            {
                result = main.Invoke(null, main.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }

            if (result is Task task)
            {
                await task;
            }
        });
    }
}
