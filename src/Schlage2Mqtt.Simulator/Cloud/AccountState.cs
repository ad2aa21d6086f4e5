namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>A cloud account: its user and the order its locks list in. Thread-safe.</summary>
internal sealed class AccountState
{
    private readonly Lock _gate = new();
    private readonly List<string> _deviceIds = [];
    private readonly Dictionary<string, NotificationState> _notifications = new(StringComparer.Ordinal);

    public AccountState(ResolvedAccount definition, DateTimeOffset created)
    {
        Definition = definition;
        Created = created;
    }

    public ResolvedAccount Definition { get; }

    public string Email => Definition.Email;

    public string IdentityId => Definition.IdentityId;

    public string FriendlyName => Definition.FriendlyName;

    public DateTimeOffset Created { get; }

    public IReadOnlyList<string> DeviceIds()
    {
        lock (_gate) { return [.. _deviceIds]; }
    }

    public void AddDevice(string deviceId)
    {
        lock (_gate) { _deviceIds.Add(deviceId); }
    }

    public bool RemoveDevice(string deviceId)
    {
        lock (_gate) { return _deviceIds.Remove(deviceId); }
    }

    public IReadOnlyList<NotificationState> Notifications(string? deviceId)
    {
        lock (_gate)
        {
            return [.. _notifications.Values.Where(n => deviceId is null || n.DeviceId == deviceId).OrderBy(n => n.Sequence)];
        }
    }

    public NotificationState? Notification(string id)
    {
        lock (_gate) { return _notifications.GetValueOrDefault(id); }
    }

    public void PutNotification(NotificationState notification)
    {
        lock (_gate) { _notifications[notification.NotificationId] = notification; }
    }

    public bool RemoveNotification(string id)
    {
        lock (_gate) { return _notifications.Remove(id); }
    }
}

/// <summary>A notification object (<c>notifications</c> endpoints).</summary>
internal sealed record NotificationState(
    long Sequence,
    string NotificationId,
    string UserId,
    string DeviceId,
    string DevicetypeId,
    string NotificationDefinitionId,
    bool Active,
    string? FilterValue,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>An account definition with every generated id filled in (ids are fixed once per simulator).</summary>
internal sealed record ResolvedAccount(
    string Email,
    string Password,
    string UserIdForSrp,
    string IdentityId,
    string FriendlyName,
    bool Confirmed,
    IReadOnlyList<LockDefinition> Locks);
