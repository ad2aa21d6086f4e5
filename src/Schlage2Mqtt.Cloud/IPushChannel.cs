namespace Schlage2Mqtt.Cloud;

/// <summary>
/// Real-time updates of one account's locks from the cloud (the consumer cloud's AWS IoT channel, or the August/Yale
/// style subscriber API). Push complements polling, never replaces it: the phone app can evict this client at any time.
/// </summary>
public interface IPushChannel : IAsyncDisposable
{
    /// <summary>The account's key.</summary>
    string AccountKey { get; }

    /// <summary>Where the channel is.</summary>
    PushState State { get; }

    /// <summary>A sentence for humans about the state (why disconnected, evicted, unsupported), or null.</summary>
    string? StateDetail { get; }

    /// <summary>Raised when <see cref="State"/> changes.</summary>
    event EventHandler<PushStateChangedEventArgs>? StateChanged;

    /// <summary>Called for every update, one at a time, in order of arrival; duplicates and retained replays are already dropped.</summary>
    Func<PushedUpdate, CancellationToken, ValueTask>? UpdateReceived { get; set; }

    /// <summary>Starts connecting in the background (returns at once); it reconnects on its own until stopped.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Disconnects and releases what the cloud holds for it (e.g. deletes a subscriber).</summary>
    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>The state of a push channel, as <c>bridge/info</c> reports it.</summary>
public enum PushState
{
    /// <summary>Push is turned off for the account.</summary>
    Disabled,

    /// <summary>Fetching connection details or connecting.</summary>
    Connecting,

    /// <summary>Receiving updates.</summary>
    Connected,

    /// <summary>Connection lost; reconnecting with backoff.</summary>
    Disconnected,

    /// <summary>Another client with the same identity (the phone app) keeps taking the connection; backing off longer.</summary>
    Evicted,

    /// <summary>The cloud offers no push channel for this account (e.g. 404); polling only.</summary>
    Unsupported,
}

/// <summary>A push channel changed state.</summary>
public sealed class PushStateChangedEventArgs(PushState state, string? detail) : EventArgs
{
    /// <summary>The new state.</summary>
    public PushState State { get; } = state;

    /// <summary>A sentence for humans, or null.</summary>
    public string? Detail { get; } = detail;
}

/// <summary>
/// One pushed update: a whole device document (consumer cloud) or a partial event (subscriber API: lock action and door
/// state only). <see cref="CloudTimestamp"/> orders it against polled documents: older data never overwrites newer.
/// </summary>
/// <param name="DeviceId">The lock.</param>
/// <param name="Document">The full document, mapped like a polled one; null for partial updates.</param>
/// <param name="State">The bolt state of a partial update.</param>
/// <param name="Door">The door state of a partial update.</param>
/// <param name="CloudTimestamp">When the cloud says this state was current, if it says.</param>
public sealed record PushedUpdate(string DeviceId, CloudLock? Document, LockState? State, DoorState? Door, DateTimeOffset? CloudTimestamp);
