namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>An error as the contract carries it: a stable code for flows, a message for humans, a hint for the fix.</summary>
public sealed record BridgeError(string Code, string Message, string? Hint = null);

/// <summary>The error codes of lock commands and bridge requests, each with its standard hint.</summary>
public static class BridgeErrors
{
    /// <summary>The payload is not valid JSON (or not UTF-8).</summary>
    public static BridgeError InvalidJson(string detail) =>
        new("invalid_json", $"The payload is not valid JSON: {detail}", "Send a JSON object, e.g. {\"lock\": \"front_door\", \"action\": \"unlock\"}.");

    /// <summary>A field is missing or has the wrong type or value.</summary>
    public static BridgeError InvalidRequest(string field, string problem, string hint) =>
        new("invalid_request", $"'{field}' {problem}", hint);

    /// <summary>No lock has this topic id, device id or name.</summary>
    public static BridgeError UnknownLock(string lockId, IEnumerable<string> known, IReadOnlyList<string>? unlistedAccounts = null) =>
        new("unknown_lock", $"No lock is called '{InputText.Shorten(lockId, 60)}'."
                + (unlistedAccounts is { Count: > 0 } ? $" The locks of account {string.Join(", ", unlistedAccounts)} could not be read yet." : ""),
            unlistedAccounts is { Count: > 0 }
                ? "See <base>/bridge/log for why the account cannot be read; send it again once <base>/bridge/info lists the lock."
                : $"Use a topic id from <base>/bridge/info or the locks request; known: {string.Join(", ", known.DefaultIfEmpty("(none yet)"))}.");

    /// <summary>The request operation does not exist.</summary>
    public static BridgeError UnknownOperation(string op, IEnumerable<string> known) =>
        new("unknown_operation", $"There is no request '{op}'.", $"Use one of: {string.Join(", ", known)}.");

    /// <summary>The value is outside what the lock accepts.</summary>
    public static BridgeError InvalidValue(string field, string value, string allowed) =>
        new("invalid_value", $"{field} cannot be '{value}'.", $"Allowed: {allowed}.");

    /// <summary>The lock cannot do what the field asks (it has no beeper, no auto-lock, ...).</summary>
    public static BridgeError Unsupported(string field, string what) =>
        new("unsupported", $"'{field}' cannot be set: this lock has no {what}.",
            "Leave the field out; Home Assistant offers only what the lock has.");

    /// <summary>A request needs a capability the lock lacks (access codes on a lock whose cloud does not manage them).</summary>
    public static BridgeError UnsupportedOperation(string operation, string lockId, string what) =>
        new("unsupported", $"'{operation}' cannot be used on '{InputText.Shorten(lockId, 60)}': this lock has no {what}.",
            "Use it on a lock that has them; <base>/bridge/info and Home Assistant show what each lock offers.");

    /// <summary>The payload exceeds the size the bridge reads.</summary>
    public static BridgeError PayloadTooLarge(int size, int limit) =>
        new("payload_too_large", $"The payload has {size} bytes; at most {limit} are read.", "Send a smaller payload.");

    /// <summary>The lock is not connected to the cloud.</summary>
    public static BridgeError LockOffline(string? detail = null) =>
        new("lock_offline", "The lock is offline" + (detail is null ? "." : $": {detail}"),
            "Check the lock's Wi-Fi (and bridge for Sense) in the Schlage Home app; replace weak batteries.");

    /// <summary>The cloud did not confirm the change in time.</summary>
    public static BridgeError Timeout(string what) =>
        new("timeout", $"{what} was not confirmed by the Schlage cloud in time.",
            "The lock may still act; watch its state topic. Poor Wi-Fi at the door is the usual cause.");

    /// <summary>The account needs a new login.</summary>
    public static BridgeError Unauthorized(string? detail = null) =>
        new("unauthorized", "The Schlage account is not signed in" + (detail is null ? "." : $": {detail}"),
            "Run `schlage2mqtt login` (or fix the password in the config) and restart the bridge.");

    /// <summary>The cloud (or the bridge's own budget) asks to slow down.</summary>
    public static BridgeError Throttled(TimeSpan? retryAfter) =>
        new("throttled", "The Schlage cloud is rate limiting this account" + (retryAfter is { } r ? $" (retry after {r.TotalSeconds:0} s)." : "."),
            "Send fewer commands; the bridge retries reads on its own.");

    /// <summary>The cloud answered an error the bridge cannot attribute.</summary>
    public static BridgeError CloudError(string detail) =>
        new("cloud_error", $"The Schlage cloud answered an error: {detail}", "Try again later; see the bridge log for details.");

    /// <summary>The write may or may not have applied; the bridge keeps reading to find out.</summary>
    public static BridgeError OutcomeUnknown(string what) =>
        new("outcome_unknown", $"{what}: the Schlage cloud did not say whether it applied.",
            "The bridge keeps reading the lock and will publish the real state; do not resend blindly.");
}
