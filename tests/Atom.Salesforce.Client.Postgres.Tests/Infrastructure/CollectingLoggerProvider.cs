using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

/// <summary>Keeps every log line (message, state values and exception) so that a test can search them for secrets.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId Id, string Text)> _entries = new();

    public IReadOnlyList<(EventId Id, string Text)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner._entries.Enqueue((eventId, $"{formatter(state, exception)} | {values} | {exception}"));
        }
    }
}
