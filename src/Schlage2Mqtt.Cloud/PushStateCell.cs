namespace Schlage2Mqtt.Cloud;

/// <summary>
/// The state of a push channel with its detail sentence. Transitions are atomic and their events are raised in order,
/// one at a time, but outside the lock that guards the state: a handler may read any channel's state (the bridge's
/// reads every account's to describe them all), and two channels changing state at once must not wait on each other.
/// A handler must not transition another cell (that could order two notification locks both ways).
/// </summary>
/// <param name="sender">The sender of <see cref="Changed"/> (the channel that owns the cell).</param>
public sealed class PushStateCell(object sender)
{
    private readonly object _gate = new();
    // Serializes transitions with their notifications so handlers see changes in order; readers never take it.
    private readonly object _notify = new();
    private PushState _state = PushState.Disabled;
    private string? _detail = "not started";

    /// <summary>Raised after each transition that changed the state (not for a new detail alone).</summary>
    public event EventHandler<PushStateChangedEventArgs>? Changed;

    /// <summary>The current state.</summary>
    public PushState State
    {
        get { lock (_gate) { return _state; } }
    }

    /// <summary>The current detail sentence, or null.</summary>
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
        ArgumentNullException.ThrowIfNull(transition);
        lock (_notify)
        {
            PushStateChangedEventArgs? changed = null;
            PushState after;
            lock (_gate)
            {
                if (transition(_state) is { } next)
                {
                    if (next.State != _state)
                    {
                        changed = new PushStateChangedEventArgs(next.State, next.Detail);
                    }
                    _state = next.State;
                    _detail = next.Detail;
                }
                after = _state;
            }
            if (changed is not null)
            {
                Changed?.Invoke(sender, changed);
            }
            return after;
        }
    }
}
