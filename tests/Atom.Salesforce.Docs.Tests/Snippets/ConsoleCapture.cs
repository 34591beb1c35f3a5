using System.Text;

namespace Atom.Salesforce.Docs.Tests.Snippets;

/// <summary>
/// Console.Out for the whole process, writing to the capture of the async flow that writes (a snippet run), or to the
/// real console elsewhere: snippets in parallel tests never mix their output.
/// </summary>
public sealed class ConsoleCapture : TextWriter
{
    private static readonly AsyncLocal<StringWriter?> Current = new();
    private static readonly Lock Gate = new();
    private static TextWriter? s_original;

    private ConsoleCapture()
    {
    }

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Captures what the current async flow writes to the console until the result is disposed.</summary>
    public static Scope Begin()
    {
        lock (Gate)
        {
            if (s_original is null)
            {
                s_original = Console.Out;
                Console.SetOut(new ConsoleCapture());
            }
        }

        var writer = new StringWriter();
        Current.Value = writer;
        return new Scope(writer);
    }

    /// <inheritdoc />
    public override void Write(char value) => To(w => w.Write(value));

    /// <inheritdoc />
    public override void Write(string? value) => To(w => w.Write(value));

    /// <inheritdoc />
    public override void WriteLine(string? value) => To(w => w.WriteLine(value));

    private static void To(Action<TextWriter> write)
    {
        var writer = Current.Value;
        if (writer is null)
        {
            write(s_original!);
            return;
        }

        lock (writer)
        {
            write(writer);
        }
    }

    /// <summary>The output captured so far.</summary>
    public sealed class Scope(StringWriter writer) : IDisposable
    {
        /// <summary>What was written.</summary>
        public string Output
        {
            get
            {
                lock (writer)
                {
                    return writer.ToString();
                }
            }
        }

        /// <inheritdoc />
        public void Dispose() => Current.Value = null;
    }
}
