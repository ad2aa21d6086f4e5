using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>The access-code error codes of the contract, each with the hint a user needs.</summary>
public static class AccessCodeErrorCodes
{
    /// <summary>Name is not 1-12 letters/digits.</summary>
    public const string InvalidName = "invalid_name";

    /// <summary>The PIN is not 4-8 digits.</summary>
    public const string InvalidCode = "invalid_code";

    /// <summary>Another code on the lock has this PIN.</summary>
    public const string DuplicateCode = "duplicate_code";

    /// <summary>Another code on the lock has this name.</summary>
    public const string DuplicateName = "duplicate_name";

    /// <summary>The PIN's length differs from the lock's code length.</summary>
    public const string CodeLengthMismatch = "code_length_mismatch";

    /// <summary>The lock holds as many codes as it can.</summary>
    public const string CapacityReached = "capacity_reached";

    /// <summary>The schedule is malformed or refused by the lock.</summary>
    public const string InvalidSchedule = "invalid_schedule";

    /// <summary>No code with this id or name.</summary>
    public const string UnknownCode = "unknown_code";

    /// <summary>The lock is offline.</summary>
    public const string LockOffline = "lock_offline";

    /// <summary>The lock never acknowledged the change (Nack).</summary>
    public const string NoAck = "no_ack";

    /// <summary>The change timed out.</summary>
    public const string Timeout = "timeout";

    /// <summary>The lock and the cloud disagree about the codes.</summary>
    public const string SplitBrain = "split_brain";

    /// <summary>"User not found in the device": a lock desync.</summary>
    public const string UserNotFound = "user_not_found";

    /// <summary>Any other cloud failure.</summary>
    public const string CloudError = "cloud_error";

    /// <summary>The account is not signed in.</summary>
    public const string Unauthorized = "unauthorized";

    private const string Environment = "Move the Wi-Fi access point closer or add a repeater, restart the router, replace the lock's batteries; if it keeps happening, contact Schlage support.";

    /// <summary>An error with its standard hint.</summary>
    public static BridgeError Error(string code, string message) => new(code, message, Hint(code));

    /// <summary>The standard hint of a code.</summary>
    public static string Hint(string code) => code switch
    {
        InvalidName => "Use a name the lock takes (Schlage Home: 1-32 characters, no control characters, e.g. \"07/19 Guest\"), unique on the lock.",
        InvalidCode => "Use 4-8 digits.",
        DuplicateCode => "Choose another PIN: each code on a lock needs its own.",
        DuplicateName => "Choose another name, or update the existing code instead.",
        CodeLengthMismatch => "Every code on this lock must have the lock's code length; change it with Delete All in the Schlage Home app.",
        CapacityReached => "Delete a code first: the lock is full.",
        InvalidSchedule => "Check the schedule: start before end, both with an offset; Recurring needs days and HH:mm times.",
        UnknownCode => "Use an id or name from access_code/list.",
        LockOffline => "Bring the lock back online (Wi-Fi, batteries, and the bridge for Sense), then try again.",
        NoAck => "The lock did not acknowledge the change. " + Environment,
        Timeout => "The change timed out before the lock confirmed it. " + Environment,
        SplitBrain => "The lock and the Schlage cloud disagree. Use Delete All in the Schlage Home app, then run access_code/sync.",
        UserNotFound => "The lock has lost track of its users. Use Delete All in the Schlage Home app; if that does not help, factory-reset the lock.",
        Unauthorized => "Run `schlage2mqtt login` (or fix the password in the config) and restart the bridge.",
        _ => "Try again later; run access_code/sync to see what the lock holds.",
    };

    /// <summary>
    /// What a refused or failed write means, from the cloud's own words (seed 001's taxonomy): null when the failure
    /// says nothing final (outcome unknown, throttling) and the operation should be confirmed by reading instead.
    /// </summary>
    public static string? Classify(CloudFailure failure)
    {
        var message = (failure.CloudMessage ?? failure.Message).ToUpperInvariant();
        if (failure.Kind == CloudFailureKind.LockOffline)
        {
            return LockOffline;
        }
        if (failure.Kind is CloudFailureKind.Unauthorized or CloudFailureKind.ReauthRequired)
        {
            return Unauthorized;
        }
        if (failure.Kind is not (CloudFailureKind.Rejected or CloudFailureKind.Invalid or CloudFailureKind.NotFound))
        {
            return null;
        }
        return message switch
        {
            _ when message.Contains("NOT FOUND ON DEVICE", StringComparison.Ordinal) => SplitBrain,
            _ when message.Contains("ALREADY IN USE", StringComparison.Ordinal) => SplitBrain,
            _ when message.Contains("SCHEDULE", StringComparison.Ordinal) => InvalidSchedule,
            _ when message.Contains("USER NOT FOUND", StringComparison.Ordinal) => UserNotFound,
            _ when message.Contains("MAX", StringComparison.Ordinal) || message.Contains("CAPACITY", StringComparison.Ordinal) => CapacityReached,
            _ when message.Contains("LENGTH", StringComparison.Ordinal) => CodeLengthMismatch,
            _ when failure.Kind == CloudFailureKind.NotFound => UnknownCode,
            _ => CloudError,
        };
    }

    /// <summary>What an unconfirmed write finally counts as, once retries are used up.</summary>
    public static string Unconfirmed(CloudFailure? lastWrite)
    {
        var message = (lastWrite?.CloudMessage ?? lastWrite?.Message ?? "").ToUpperInvariant();
        return message.Contains("NACK", StringComparison.Ordinal) ? NoAck
            : message.Contains("TIMED OUT", StringComparison.Ordinal) || message.Contains("TIMEOUT", StringComparison.Ordinal) || lastWrite?.HttpStatus == 504 ? Timeout
            : lastWrite is null ? Timeout
            : CloudError;
    }
}
