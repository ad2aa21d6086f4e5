namespace Schlage2Mqtt.Schlage.Resilience;

/// <summary>How a call may be retried and how its failures read.</summary>
internal enum CallKind
{
    /// <summary>Idempotent read: retried with jitter.</summary>
    Read,

    /// <summary>A write: never retried after it may have reached the cloud; 5xx or timeout is outcome unknown.</summary>
    Write,

    /// <summary>Lock/unlock: a write where 409/503 means the lock is offline.</summary>
    LockWrite,
}
