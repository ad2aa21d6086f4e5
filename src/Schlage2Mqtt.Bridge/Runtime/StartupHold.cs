using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Contract;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// Holds commands and requests that arrive before the locks are known. A persistent session hands the bridge the
/// QoS 1 commands sent while it was down as soon as it connects, which is before the first poll has listed any lock:
/// answering those <c>unknown_lock</c> would lose them. They wait here, in arrival order, until every account has
/// been listed once or <see cref="BridgeOptions.StartupHoldTime"/> has passed, and then run in that order (a lock
/// that is still unknown then is answered <c>unknown_lock</c> by the normal path). The queue is bounded: past
/// <see cref="BridgeOptions.StartupHoldCapacity"/> a message is answered at once, never dropped silently.
/// </summary>
/// <remarks>
/// Concurrency: <see cref="TryHold"/> is called from the MQTT receive path, <see cref="AccountListed"/> from pollers
/// and the expiry from a timer; all three take <c>_gate</c> only to move items, and held work is started outside
/// it, one item after another in arrival order, so each reaches its first wait (the lock's command gate, the cloud
/// call) before the next starts.
/// </remarks>
internal sealed class StartupHold(IReadOnlyList<AccountRuntime> accounts, BridgeOptions options, BackgroundWork work, TimeProvider time, BridgeLog log, ILogger logger)
{
    private readonly object _gate = new();
    private readonly Queue<Held> _held = new();
    private bool _open = accounts.Count == 0;

    /// <summary>True once every account was listed or the hold time passed: nothing is held any more.</summary>
    public bool IsOpen
    {
        get { lock (_gate) { return _open; } }
    }

    /// <summary>Accounts whose locks have not been listed yet (named in <c>unknown_lock</c> answers).</summary>
    public IReadOnlyList<string> UnlistedAccounts => accounts.Where(a => a.LastSuccessAt is null).Select(a => a.Name).ToList();

    /// <summary>Starts the expiry timer; call once, when the bridge starts.</summary>
    public void Start()
    {
        if (IsOpen)
        {
            return;
        }
        // A service, not a task: the timer outlives the hold it guards, and must not keep the bridge from being idle.
        work.RunService("start-up hold", async ct =>
        {
            await Task.Delay(options.StartupHoldTime, time, ct);
            Open($"the locks of {string.Join(", ", UnlistedAccounts)} were not listed within {options.StartupHoldTime.TotalSeconds:0} s");
        });
    }

    /// <summary>
    /// Holds <paramref name="run"/> when the locks are not all known yet and <paramref name="needsHold"/> says this
    /// message needs them (or others are already waiting, which keeps the order). Returns false when the caller must run
    /// it now. When the queue is full, <paramref name="refuse"/> is called with the error to answer, and true returned.
    /// </summary>
    public bool TryHold(string what, bool needsHold, Func<CancellationToken, Task> run, Action<BridgeError> refuse)
    {
        lock (_gate)
        {
            if (_open || (!needsHold && _held.Count == 0))
            {
                return false;
            }
            if (_held.Count < options.StartupHoldCapacity)
            {
                _held.Enqueue(new Held(what, run));
                logger.LogDebug("Holding {What} until the locks are known ({Count} waiting)", what, _held.Count);
                return true;
            }
        }
        refuse(new BridgeError("unknown_lock", $"The locks are not known yet and {options.StartupHoldCapacity} messages are already waiting for them.",
            "Wait until <base>/bridge/info lists the locks, then send it again."));
        return true;
    }

    /// <summary>Called after every poll: once every account has been listed, what was held runs.</summary>
    public void AccountListed()
    {
        if (!IsOpen && accounts.All(a => a.LastSuccessAt is not null))
        {
            Open(null);
        }
    }

    private void Open(string? expired)
    {
        Held[] held;
        lock (_gate)
        {
            if (_open)
            {
                return;
            }
            _open = true;
            held = [.. _held];
            _held.Clear();
        }
        if (held.Length == 0)
        {
            return;
        }
        if (expired is not null)
        {
            log.Warning($"Running {held.Length} command(s) and request(s) that arrived before the locks were known: {expired}; those for unknown locks are answered unknown_lock.");
        }
        else
        {
            logger.LogInformation("The locks are known: running {Count} command(s) and request(s) held since the start", held.Length);
        }
        work.Run("held commands", async ct =>
        {
            var started = new List<Task>(held.Length);
            foreach (var item in held)
            {
                started.Add(RunOne(item, ct));
            }
            await Task.WhenAll(started);
        });
    }

    private async Task RunOne(Held item, CancellationToken cancellationToken)
    {
        try
        {
            await item.Run(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{What} failed unexpectedly; the bridge carries on", item.What);
        }
    }

    private sealed record Held(string What, Func<CancellationToken, Task> Run);
}
