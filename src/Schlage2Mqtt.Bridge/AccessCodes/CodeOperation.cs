using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>What an operation does.</summary>
public enum CodeOperationKind
{
    /// <summary>Create a code.</summary>
    Add,

    /// <summary>Change a code.</summary>
    Update,

    /// <summary>Remove a code.</summary>
    Delete,
}

/// <summary>Where an operation is in its life; persisted so a restart resumes exactly there.</summary>
public enum CodeOperationPhase
{
    /// <summary>Accepted and stored; the write is still to be sent (or re-sent after a read showed it missing).</summary>
    Queued,

    /// <summary>The write is being sent: after a crash here nobody knows whether it arrived, so it is confirmed by reading.</summary>
    Sending,

    /// <summary>The write was sent; waiting for the lock's code list to show it.</summary>
    Sent,

    /// <summary>Finished (see the status).</summary>
    Settled,
}

/// <summary>
/// One access-code operation, stored before the cloud is called and updated at every step. The PIN is kept only
/// while the operation may still need to send it, and is cleared when it settles.
/// </summary>
public sealed record CodeOperation
{
    /// <summary>Operation id, returned to the requester.</summary>
    public required string Id { get; init; }

    /// <summary>Kind.</summary>
    public required CodeOperationKind Kind { get; init; }

    /// <summary>The lock's device id.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The code's id (update/delete, and add once known).</summary>
    public string? CodeId { get; init; }

    /// <summary>Desired name (add/update), or the name of the code deleted.</summary>
    public string? Name { get; init; }

    /// <summary>Desired PIN; cleared once settled.</summary>
    public string? Pin { get; init; }

    /// <summary>Desired schedule, in the contract's JSON.</summary>
    public string? ScheduleJson { get; init; }

    /// <summary>Desired notify-on-use, when asked for.</summary>
    public bool? NotifyOnUse { get; init; }

    /// <summary>Accessor classification given by the requester (e.g. Guest), shown back.</summary>
    public string? AccessorType { get; init; }

    /// <summary>Contract status (stored and shown with its contract spelling).</summary>
    public required CodeStatus Status { get; init; }

    /// <summary>Internal phase.</summary>
    public CodeOperationPhase Phase { get; init; }

    /// <summary>Writes sent so far.</summary>
    public int Attempts { get; init; }

    /// <summary>When the operation was accepted.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the last write was sent.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>When the reconciler should look again (or send, when queued with a delay).</summary>
    public DateTimeOffset? NextCheckAt { get; init; }

    /// <summary>How many confirmation reads have found nothing.</summary>
    public int Checks { get; init; }

    /// <summary>What the last write got back (null: success), to classify a final failure.</summary>
    public string? LastWriteFailure { get; init; }

    /// <summary>HTTP status of the last failed write.</summary>
    public int? LastWriteStatus { get; init; }

    /// <summary>When it settled.</summary>
    public DateTimeOffset? SettledAt { get; init; }

    /// <summary>Error code once failed.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Error message once failed.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>True once finished.</summary>
    [JsonIgnore]
    public bool IsSettled => Phase == CodeOperationPhase.Settled;

    /// <inheritdoc />
    public override string ToString() =>
        $"CodeOperation {{ Id = {Id}, Kind = {Kind}, DeviceId = {DeviceId}, CodeId = {CodeId}, Name = {Name}, Pin = ***, Status = {Status}, Phase = {Phase}, Attempts = {Attempts} }}";
}
