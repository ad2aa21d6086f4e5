using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.TestSupport;

/// <summary>One captured log entry.</summary>
public sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception)
{
    /// <summary>Message and exception text, as a log line would carry them.</summary>
    public string FullText => Exception is null ? Message : Message + "\n" + Exception;
}

/// <summary>A logger that keeps every entry, for assertions on what was (and was not) logged.</summary>
public class ListLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries;

    /// <summary>Creates a logger for <paramref name="category"/>, optionally sharing a sink with others.</summary>
    public ListLogger(string category = "test", ConcurrentQueue<LogEntry>? sink = null)
    {
        Category = category;
        _entries = sink ?? new ConcurrentQueue<LogEntry>();
    }

    /// <summary>The category name.</summary>
    public string Category { get; }

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new LogEntry(logLevel, Category, formatter(state, exception), exception));
}

/// <summary>A typed <see cref="ListLogger"/>.</summary>
public sealed class ListLogger<T>(ConcurrentQueue<LogEntry>? sink = null) : ListLogger(typeof(T).Name, sink), ILogger<T>;

/// <summary>A logger provider whose loggers all write to one sink: capture everything a component tree logs.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _sink = new();

    /// <summary>Everything logged through this provider.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _sink];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, _sink);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
