using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// Everything the bridge knows about one lock at run time. Its state (document, facts, what was published, the
/// command in flight) is written only by <see cref="LockStateHub"/>, under the hub's lock; anyone may read it.
/// </summary>
internal sealed class LockEntry(AccountRuntime account, string deviceId, string topicId, CloudLock cloud)
{
    public AccountRuntime Account { get; } = account;

    public string DeviceId { get; } = deviceId;

    public string TopicId { get; set; } = topicId;

    /// <summary>The newest document read from the cloud: the last confirmed truth.</summary>
    public CloudLock Cloud { get; set; } = cloud;

    /// <summary>What the bridge has learned of the lock's hardware; discovery is built from it, not from the newest document.</summary>
    public LockFacts Facts { get; set; } = LockFacts.None.Learn(cloud);

    /// <summary>What was last published on the state topic (null before the first publish).</summary>
    public LockStatePayload? Published { get; set; }

    /// <summary>What was last published on the availability topic.</summary>
    public string? PublishedAvailability { get; set; }

    /// <summary>The discovery fingerprint last published (re-published only when it changes).</summary>
    public string? PublishedDiscovery { get; set; }

    /// <summary>The action being carried out and confirmed, while a command is in flight.</summary>
    public InFlightAction? InFlight { get; set; }

    // Guards _refreshing, _refreshedAt and _confirmNow; never held across an await, never taken outside this class.
    private readonly Lock _gate = new();

    // The read of this lock in flight for get/refresh requests: every requester meanwhile shares it.
    private Task<CommandOutcome>? _refreshing;

    // When the last on-demand read of this lock finished.
    private DateTimeOffset? _refreshedAt;

    private TaskCompletionSource _confirmNow = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when someone asks the command in flight to confirm at once instead of at its next scheduled read.</summary>
    public Task ConfirmNowSignal
    {
        get { lock (_gate) { return _confirmNow.Task; } }
    }

    /// <summary>
    /// Asks the command in flight to read the lock now: after the broker was away the lock has often moved already, and
    /// the republished LOCKING/UNLOCKING would otherwise stand until the next confirmation read (up to 20 s later).
    /// </summary>
    public void ConfirmNow()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            signal = _confirmNow;
            _confirmNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
    }

    /// <summary>
    /// An on-demand read of this lock, shared: while one is in flight every caller gets it, and one that finished less
    /// than <paramref name="freshFor"/> ago answers with what was published (<paramref name="recent"/> true). Otherwise
    /// <paramref name="read"/> starts a new one.
    /// </summary>
    public Task<CommandOutcome> SharedRead(Func<Task<CommandOutcome>> read, TimeProvider time, TimeSpan freshFor, out bool recent)
    {
        Task<CommandOutcome> started;
        recent = false;
        lock (_gate)
        {
            if (_refreshing is { } running)
            {
                return running;
            }
            if (_refreshedAt is { } at && time.GetUtcNow() - at < freshFor && Published is { } fresh)
            {
                recent = true;
                return Task.FromResult(CommandOutcome.Success(fresh));
            }
            started = read();
            _refreshing = started;
        }
        _ = started.ContinueWith(_ =>
        {
            lock (_gate)
            {
                _refreshing = null;
                _refreshedAt = time.GetUtcNow();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return started;
    }

    public string Name => Cloud.Name ?? DeviceId;
}

/// <summary>
/// What the bridge has learned about a lock's hardware and settings range. An offline lock's document carries almost
/// no attributes (no firmware, no door state, no auto-lock time): a fact once seen is kept until a document says
/// otherwise, so Home Assistant's discovery does not lose the door sensor or the firmware each time a lock drops off
/// Wi-Fi and regain them when it returns.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Firmware">Main firmware version.</param>
/// <param name="HasDoor">True once the lock reported a door state: it has a door sensor.</param>
/// <param name="AllowedAutoLock">Auto-lock values the model offers, when known.</param>
/// <param name="AutoLock">The auto-lock value last reported (offered in the select even when the model list lacks it).</param>
internal sealed record LockFacts(string? Model, string? Firmware, bool HasDoor, IReadOnlyList<int>? AllowedAutoLock, int? AutoLock)
{
    /// <summary>Nothing known yet.</summary>
    public static LockFacts None { get; } = new(null, null, false, null, null);

    /// <summary>What the lock can do, as its provider said last (the provider knows it from the model, not the document).</summary>
    public LockCapabilities Capabilities { get; init; } = LockCapabilities.Assumed;

    /// <summary>These facts updated with what <paramref name="cloud"/> says; what it omits is kept.</summary>
    public LockFacts Learn(CloudLock cloud) => new(
        cloud.ModelName ?? Model,
        cloud.Firmware ?? Firmware,
        HasDoor || cloud.Door is not null,
        cloud.AllowedAutoLockSeconds ?? AllowedAutoLock,
        cloud.AutoLockSeconds ?? AutoLock)
    {
        Capabilities = cloud.Capabilities,
    };
}

/// <summary>A lock/unlock in flight: its target and the task every coalesced requester awaits.</summary>
internal sealed record InFlightAction(Commands.LockAction Action, Task<CommandOutcome> Completion);

/// <summary>How a command ended.</summary>
public sealed record CommandOutcome(bool Ok, BridgeError? Error, LockStatePayload? State)
{
    /// <summary>Success with the confirmed state.</summary>
    public static CommandOutcome Success(LockStatePayload? state) => new(true, null, state);

    /// <summary>Failure with the state the lock reverted to.</summary>
    public static CommandOutcome Failed(BridgeError error, LockStatePayload? state) => new(false, error, state);
}
