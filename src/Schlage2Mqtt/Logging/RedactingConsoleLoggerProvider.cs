using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Logging;

/// <summary>
/// Writes one line per log entry (<c>2026-11-22 10:00:00.123 info  Bridge.Poller: message</c>) to a text writer,
/// after passing the message and any exception through the <see cref="SecretRedactor"/> and escaping control
/// characters and line breaks (<see cref="LogLineEscaper"/>: one entry is one line). Filtering by level is
/// the logging framework's job (see <c>log_level</c>).
/// </summary>
public sealed class RedactingConsoleLoggerProvider(SecretRedactor redactor, TimeProvider time, TextWriter output) : ILoggerProvider
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, ShortCategory(categoryName));

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            output.Flush();
        }
    }

    private static string ShortCategory(string category)
    {
        const string prefix = "Schlage2Mqtt.";
        return category.StartsWith(prefix, StringComparison.Ordinal) ? category[prefix.Length..] : category;
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var sb = new StringBuilder(128);
        sb.Append(time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture))
            .Append(' ').Append(LevelText(level)).Append(' ').Append(category).Append(": ")
            // Redacted before escaping, so a secret is found whatever characters it holds.
            .Append(LogLineEscaper.Escape(redactor.Redact(message)));
        if (exception is not null)
        {
            sb.Append('\n').Append(LogLineEscaper.EscapeMultiline(redactor.Redact(exception.ToString())));
        }
        lock (_gate)
        {
            output.WriteLine(sb.ToString());
            output.Flush();
        }
    }

    private static string LevelText(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info ",
        LogLevel.Warning => "warn ",
        LogLevel.Error => "error",
        _ => "fatal",
    };

    private sealed class Logger(RedactingConsoleLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            owner.Write(logLevel, category, formatter(state, exception), exception);
        }
    }
}
