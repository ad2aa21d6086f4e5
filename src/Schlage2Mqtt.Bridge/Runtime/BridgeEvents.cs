using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// The typed event hub between the bridge's parts: a part raises what happened (a record from
/// <c>BridgeEventRecords.cs</c>) and every part that cares has subscribed to that record type. Parts never hold each
/// other's callbacks, so the core does not know its features and features know only the core.
/// </summary>
/// <remarks>
/// Contract: handlers run synchronously on the raiser's thread, in subscription order, and must be quick (long work
/// goes to <see cref="BackgroundWork"/>). <see cref="LockStateHub"/> raises only after releasing its lock, so a
/// handler may call back into the hub. A handler that throws is logged and the others still run: one faulty observer
/// must not stop the daemon nor hide the event from the rest. Subscribing is thread-safe and may race raising; a
/// raise sees the handlers subscribed before it started.
/// </remarks>
internal sealed class BridgeEvents(ILogger<BridgeEvents> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Type, Delegate[]> _handlers = [];

    /// <summary>Calls <paramref name="handler"/> for every <typeparamref name="TEvent"/> raised from now on.</summary>
    public void On<TEvent>(Action<TEvent> handler)
        where TEvent : IBridgeEvent
    {
        lock (_gate)
        {
            // Copy-on-write: a raise in progress keeps iterating the array it took.
            _handlers[typeof(TEvent)] = [.. _handlers.GetValueOrDefault(typeof(TEvent)) ?? [], handler];
        }
    }

    /// <summary>Delivers <paramref name="event"/> to every handler of its type.</summary>
    public void Raise<TEvent>(TEvent @event)
        where TEvent : IBridgeEvent
    {
        Delegate[]? handlers;
        lock (_gate)
        {
            handlers = _handlers.GetValueOrDefault(typeof(TEvent));
        }
        foreach (var handler in handlers ?? [])
        {
            try
            {
                ((Action<TEvent>)handler)(@event);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A handler of {Event} failed; the bridge carries on", typeof(TEvent).Name);
            }
        }
    }
}
