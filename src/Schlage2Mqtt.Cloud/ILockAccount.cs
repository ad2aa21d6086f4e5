
namespace Schlage2Mqtt.Cloud;

/// <summary>
/// One cloud account as the bridge uses it, independent of the vendor API behind it. Expected
/// failures come back as <see cref="CloudResult"/> values; only cancellation throws.
/// </summary>
public interface ILockAccount
{
    /// <summary>The account's config key.</summary>
    string Key { get; }

    /// <summary>Authentication state (ok / reauth_required with the message telling what to do).</summary>
    AccountAuthState AuthState { get; }

    /// <summary>Call counters for the health topic.</summary>
    CallStatistics Statistics { get; }

    /// <summary>
    /// Warnings for the user about this account (e.g. a Retry-After cut to the cap), each a complete sentence naming
    /// the account; the bridge puts them on <c>bridge/log</c>. Accounts without any never raise it.
    /// </summary>
    event Action<string>? Warned
    {
        add { }
        remove { }
    }

    /// <summary>The account's push channel, or null when push is off for it.</summary>
    IPushChannel? Push { get; }

    /// <summary>Every lock of the account, in one cloud call.</summary>
    Task<CloudResult<IReadOnlyList<CloudLock>>> ListLocksAsync(CancellationToken cancellationToken);

    /// <summary>One lock.</summary>
    Task<CloudResult<CloudLock>> GetLockAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>Locks or unlocks, by the mechanism of the lock's family. Outcome unknown means: read and see.</summary>
    Task<CloudResult> SetLockedAsync(string deviceId, bool locked, CancellationToken cancellationToken);

    /// <summary>Turns the beeper on or off.</summary>
    Task<CloudResult> SetBeeperAsync(string deviceId, bool enabled, CancellationToken cancellationToken);

    /// <summary>Turns 1-Touch locking on or off.</summary>
    Task<CloudResult> SetLockAndLeaveAsync(string deviceId, bool enabled, CancellationToken cancellationToken);

    /// <summary>Sets the auto-lock delay; values the model does not offer are refused as <see cref="CloudFailureKind.Invalid"/>.</summary>
    Task<CloudResult> SetAutoLockTimeAsync(string deviceId, int seconds, CancellationToken cancellationToken);

    /// <summary>The most recent activity, newest first.</summary>
    Task<CloudResult<IReadOnlyList<CloudLogEntry>>> GetLogsAsync(string deviceId, int limit, CancellationToken cancellationToken);

    /// <summary>The lock's access codes.</summary>
    Task<CloudResult<IReadOnlyList<CloudAccessCode>>> ListAccessCodesAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>Adds a code; the value is the new id when the cloud sent one (null: list to find it).</summary>
    Task<CloudResult<string?>> AddAccessCodeAsync(string deviceId, NewAccessCode code, CancellationToken cancellationToken);

    /// <summary>Updates a code.</summary>
    Task<CloudResult> UpdateAccessCodeAsync(string deviceId, string accessCodeId, NewAccessCode code, CancellationToken cancellationToken);

    /// <summary>Deletes a code.</summary>
    Task<CloudResult> DeleteAccessCodeAsync(string deviceId, string accessCodeId, CancellationToken cancellationToken);

    /// <summary>Notify-on-use subscriptions of a lock.</summary>
    Task<CloudResult<IReadOnlyList<CloudNotification>>> GetNotificationsAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>Turns notify-on-use of a code on or off (creating the subscription when needed).</summary>
    Task<CloudResult> SetAccessCodeNotificationAsync(string deviceId, string accessCodeId, string accessCodeName, bool enabled, CancellationToken cancellationToken);

    /// <summary>
    /// The lock's raw cloud document for a bug report, redacted by an allow-list: identifiers, tokens, serials, MAC
    /// addresses and names become <c>**REDACTED**</c>, their keys kept so the shape shows. One cloud read.
    /// </summary>
    Task<CloudResult<System.Text.Json.Nodes.JsonObject>> GetDiagnosticsAsync(string deviceId, CancellationToken cancellationToken);
}
