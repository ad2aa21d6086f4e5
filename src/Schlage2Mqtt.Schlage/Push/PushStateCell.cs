using Schlage2Mqtt.Schlage.Cloud;

namespace Schlage2Mqtt.Schlage.Push;

/// <summary>
/// The state of a push channel with its detail sentence. Transitions are atomic and their events are raised in order,
/// under the same (re-entrant) lock, so handlers may read the state but should be short.
/// </summary>
internal sealed class PushStateCell(object sender)
{
    private readonly object _gate = new();
    private PushState _state = PushState.Disabled;
    private string? _detail = "not started";

    public event EventHandler<PushStateChangedEventArgs>? Changed;

    public PushState State
    {
        get { lock (_gate) { return _state; } }
    }

    public string? Detail
    {
        get { lock (_gate) { return _detail; } }
    }

    /// <summary>Sets state and detail; the event fires when the state changes.</summary>
    public void Set(PushState state, string? detail) => Transition(_ => (state, detail));

    /// <summary>
    /// Applies <paramref name="transition"/> to the current state atomically: it returns the new state and detail, or
    /// null to leave both as they are. Returns the state after the call.
    /// </summary>
    public PushState Transition(Func<PushState, (PushState State, string? Detail)?> transition)
    {
        lock (_gate)
        {
            if (transition(_state) is not { } next)
            {
                return _state;
            }
            var changed = next.State != _state;
            _state = next.State;
            _detail = next.Detail;
            if (changed)
            {
                Changed?.Invoke(sender, new PushStateChangedEventArgs(next.State, next.Detail));
            }
            return _state;
        }
    }
}
