using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Schlage.Push;

/// <summary>
/// An <see cref="ILogger{T}"/> writing to another category, so the push channel's MQTT client logs as part of the push
/// channel rather than under the bridge's own MQTT client's category.
/// </summary>
internal sealed class ForwardingLogger<T>(ILogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
