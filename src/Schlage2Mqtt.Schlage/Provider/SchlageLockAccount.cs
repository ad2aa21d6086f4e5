using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Schlage.Api;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Resilience;

namespace Schlage2Mqtt.Schlage.Provider;

/// <summary>
/// A Schlage Home account behind the provider-neutral <see cref="ILockAccount"/>. Decides per lock
/// family how to lock, checks settings against the model, and keeps what it learnt from the last
/// device read (type, CAT, model) so a command does not cost an extra read.
/// </summary>
public sealed class SchlageLockAccount : ILockAccount, IDisposable
{
    private readonly SchlageHttpPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CloudLockMapper _mapper;
    private readonly ConcurrentDictionary<string, SchlageDevice> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<SchlageAccessCode>> _listedCodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Cat, DateTimeOffset? At)> _newestCat = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _userGate = new(1, 1);
    private string? _identityId;

    internal SchlageLockAccount(string key, SchlageApiClient api, ITokenSource tokens, SchlageHttpPipeline pipeline, TimeProvider time, ILogger logger)
    {
        Key = key;
        Api = api;
        Tokens = tokens;
        _pipeline = pipeline;
        _time = time;
        _logger = logger;
        _mapper = new CloudLockMapper(new LockStateMapper(logger));
        pipeline.RetryAfterCapped += (asked, applied) =>
        {
            var message = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Schlage account {Key}: the cloud asked to wait {asked.TotalSeconds:0} s (429 Retry-After); waiting {applied.TotalSeconds:0} s instead (schlage.max_retry_after). Calls of this account answer throttled until then.");
            if (Warned is { } warned)
            {
                warned(message);
            }
            else
            {
                _logger.LogWarning("{Message}", message);
            }
        };
    }

    /// <inheritdoc />
    public event Action<string>? Warned;

    /// <inheritdoc />
    public string Key { get; }

    /// <summary>The raw typed client of this account (diagnostics, the CLI).</summary>
    public SchlageApiClient Api { get; }

    /// <summary>The account's token source.</summary>
    public ITokenSource Tokens { get; }

    /// <inheritdoc />
    public AccountAuthState AuthState => Tokens.State;

    /// <inheritdoc />
    public CallStatistics Statistics => _pipeline.Statistics.Snapshot(_pipeline.CircuitOpen);

    /// <inheritdoc />
    public IPushChannel? Push { get; internal set; }

    /// <summary>The mapper polling uses; the push channel maps with the same one.</summary>
    internal CloudLockMapper Mapper => _mapper;

    /// <summary>The last document read of a lock (by listing or reading it), or null.</summary>
    internal SchlageDevice? PolledDevice(string deviceId) => _known.GetValueOrDefault(deviceId);

    /// <summary>
    /// Notes a document seen by polling or push: a Sense's CAT changes with every document, so the one of the newest
    /// document (by its <c>lastUpdated</c>) is what a command must carry.
    /// </summary>
    internal void NoteDocument(SchlageDevice device)
    {
        if (device.DeviceId is not { Length: > 0 } id || device.Cat is not { Length: > 0 } cat)
        {
            return;
        }
        _newestCat.AddOrUpdate(id, (cat, device.LastUpdated), (_, old) =>
            old.At is null || device.LastUpdated is null || device.LastUpdated >= old.At ? (cat, device.LastUpdated) : old);
    }

    /// <summary>Ids of the locks read so far.</summary>
    internal IEnumerable<string> KnownDeviceIds() => _known.Keys;

    /// <inheritdoc />
    public async Task<CloudResult<IReadOnlyList<CloudLock>>> ListLocksAsync(CancellationToken cancellationToken)
    {
        var result = await Api.ListLocksAsync(cancellationToken);
        if (!result.IsSuccess)
        {
            return result.As<IReadOnlyList<CloudLock>>();
        }
        var now = _time.GetUtcNow();
        var locks = new List<CloudLock>();
        foreach (var device in result.Value!)
        {
            if (_mapper.ToLock(device, now) is { } mapped)
            {
                _known[mapped.DeviceId] = device;
                NoteDocument(device);
                locks.Add(mapped);
            }
        }
        return CloudResult.Ok<IReadOnlyList<CloudLock>>(locks);
    }

    /// <inheritdoc />
    public async Task<CloudResult<CloudLock>> GetLockAsync(string deviceId, CancellationToken cancellationToken)
    {
        var result = await ReadDeviceAsync(deviceId, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.As<CloudLock>();
        }
        return _mapper.ToLock(result.Value!, _time.GetUtcNow()) is { } mapped
            ? CloudResult.Ok(mapped)
            : CloudResult.Fail<CloudLock>(new CloudFailure(CloudFailureKind.BadResponse, $"The document of lock {deviceId} has no deviceId."));
    }

    /// <inheritdoc />
    public async Task<CloudResult> SetLockedAsync(string deviceId, bool locked, CancellationToken cancellationToken)
    {
        var device = await KnownDeviceAsync(deviceId, cancellationToken);
        if (!device.IsSuccess)
        {
            return device;
        }
        var doc = device.Value!;
        if (SchlageModels.FamilyOf(doc.DevicetypeId) == LockFamily.WiFi)
        {
            return Plain(await Api.PutLockStateAsync(deviceId, locked, cancellationToken));
        }
        var user = await IdentityIdAsync(cancellationToken);
        if (!user.IsSuccess)
        {
            return user;
        }
        var cat = _newestCat.TryGetValue(deviceId, out var newest) ? newest.Cat : doc.Cat;
        var sent = await Api.SendChangeLockStateAsync(deviceId, cat, locked, user.Value, cancellationToken);
        if (sent.Failure is { Kind: CloudFailureKind.Rejected, CloudMessage: { } message } && message.Contains("CAT", StringComparison.Ordinal))
        {
            // A document this account did not see (the phone app's, say) moved the CAT on: read it, then try once more.
            var fresh = await ReadDeviceAsync(deviceId, cancellationToken);
            if (fresh.IsSuccess && fresh.Value!.Cat is { } freshCat && freshCat != cat)
            {
                _logger.LogInformation("Lock {DeviceId}: the cloud refused a stale CAT; retrying with the current one", deviceId);
                sent = await Api.SendChangeLockStateAsync(deviceId, freshCat, locked, user.Value, cancellationToken);
            }
        }
        return Plain(sent);
    }

    /// <inheritdoc />
    public async Task<CloudResult> SetBeeperAsync(string deviceId, bool enabled, CancellationToken cancellationToken) =>
        Plain(await Api.SetBeeperAsync(deviceId, enabled, cancellationToken));

    /// <inheritdoc />
    public async Task<CloudResult> SetLockAndLeaveAsync(string deviceId, bool enabled, CancellationToken cancellationToken) =>
        Plain(await Api.SetLockAndLeaveAsync(deviceId, enabled, cancellationToken));

    /// <inheritdoc />
    public async Task<CloudResult> SetAutoLockTimeAsync(string deviceId, int seconds, CancellationToken cancellationToken)
    {
        var device = await KnownDeviceAsync(deviceId, cancellationToken);
        if (!device.IsSuccess)
        {
            return device;
        }
        var allowed = SchlageModels.AllowedAutoLockSeconds(device.Value!.DevicetypeId);
        var offered = allowed ?? SchlageModels.AnyModel;
        if (!offered.Contains(seconds))
        {
            var model = device.Value.ModelName ?? device.Value.DevicetypeId ?? "this lock";
            return CloudResult.Fail(new CloudFailure(CloudFailureKind.Invalid,
                $"auto_lock_time {seconds} is not offered by {model}: choose one of {CloudLockMapper.Describe(offered)} seconds."));
        }
        return Plain(await Api.SetAutoLockTimeAsync(deviceId, seconds, cancellationToken));
    }

    /// <inheritdoc />
    public async Task<CloudResult<IReadOnlyList<CloudLogEntry>>> GetLogsAsync(string deviceId, int limit, CancellationToken cancellationToken)
    {
        var result = await Api.GetLogsAsync(deviceId, limit, cancellationToken);
        return result.IsSuccess
            ? CloudResult.Ok<IReadOnlyList<CloudLogEntry>>([.. result.Value!.Select(CloudLockMapper.ToLogEntry)])
            : result.As<IReadOnlyList<CloudLogEntry>>();
    }

    /// <summary>
    /// The lock's codes, with notify-on-use read from the notification objects: the list's own <c>notification</c>
    /// field reads 0 whatever the setting. That costs one more call per list (<c>GET notifications?deviceId=</c>);
    /// when it fails the codes still come back, with notify-on-use unknown (null).
    /// </summary>
    public async Task<CloudResult<IReadOnlyList<CloudAccessCode>>> ListAccessCodesAsync(string deviceId, CancellationToken cancellationToken)
    {
        var result = await Api.GetAccessCodesAsync(deviceId, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.As<IReadOnlyList<CloudAccessCode>>();
        }
        _listedCodes[deviceId] = result.Value!;
        var lockLength = _known.TryGetValue(deviceId, out var doc) ? doc.Attributes?.AccessCodeLength : null;
        var codes = result.Value!.Select(c => CloudLockMapper.ToAccessCode(c, lockLength)).OfType<CloudAccessCode>().ToList();
        if (codes.Count == 0)
        {
            return CloudResult.Ok<IReadOnlyList<CloudAccessCode>>(codes);
        }
        var notifyOnUse = await NotifyOnUseAsync(deviceId, cancellationToken);
        return CloudResult.Ok<IReadOnlyList<CloudAccessCode>>(
            [.. codes.Select(c => c with { NotifyOnUse = notifyOnUse is null ? null : notifyOnUse.Contains(c.Id) })]);
    }

    /// <summary>Ids of the codes whose notify-on-use object of this account's user is active; null when unknown.</summary>
    private async Task<HashSet<string>?> NotifyOnUseAsync(string deviceId, CancellationToken cancellationToken)
    {
        var user = await IdentityIdAsync(cancellationToken);
        if (!user.IsSuccess)
        {
            _logger.LogWarning("Lock {DeviceId}: notify-on-use unknown, the user id could not be read: {Kind}", deviceId, user.Failure!.Kind);
            return null;
        }
        var notifications = await Api.GetNotificationsAsync(deviceId, cancellationToken);
        if (!notifications.IsSuccess)
        {
            _logger.LogWarning("Lock {DeviceId}: notify-on-use unknown, notifications could not be read: {Kind}", deviceId, notifications.Failure!.Kind);
            return null;
        }
        var prefix = user.Value + "_";
        return [.. notifications.Value!
            .Where(n => n.Active == true
                && n.NotificationId is { } id && id.StartsWith(prefix, StringComparison.Ordinal)
                && (n.NotificationDefinitionId is null || n.NotificationDefinitionId == SchlageNotification.OnUnlockStateAction))
            .Select(n => n.NotificationId![prefix.Length..])];
    }

    /// <inheritdoc />
    public async Task<CloudResult<string?>> AddAccessCodeAsync(string deviceId, NewAccessCode code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var write = ToWrite(code);
        if (write.Problem() is { } problem)
        {
            return CloudResult.Fail<string?>(new CloudFailure(CloudFailureKind.Invalid, problem));
        }
        var result = await Api.AddAccessCodeAsync(deviceId, write, cancellationToken);
        return result.IsSuccess ? CloudResult.Ok(result.Value?.AccessCodeId) : result.As<string?>();
    }

    /// <inheritdoc />
    public async Task<CloudResult> UpdateAccessCodeAsync(string deviceId, string accessCodeId, NewAccessCode code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var write = ToWrite(code);
        if (write.Problem() is { } problem)
        {
            return CloudResult.Fail(new CloudFailure(CloudFailureKind.Invalid, problem));
        }
        var updated = Plain(await Api.UpdateAccessCodeAsync(deviceId, accessCodeId, write, cancellationToken));
        // Whatever the outcome, the listed object may be stale now; a delete lists again rather than send it.
        _listedCodes.TryRemove(deviceId, out _);
        return updated;
    }

    /// <summary>
    /// Deletes with the code object as last listed (the cloud wants it whole); lists first when this account has not
    /// listed the code since it last changed it (one extra call).
    /// </summary>
    public async Task<CloudResult> DeleteAccessCodeAsync(string deviceId, string accessCodeId, CancellationToken cancellationToken)
    {
        var listed = ListedCode(deviceId, accessCodeId);
        if (listed is null)
        {
            var fresh = await Api.GetAccessCodesAsync(deviceId, cancellationToken);
            if (!fresh.IsSuccess)
            {
                return fresh;
            }
            _listedCodes[deviceId] = fresh.Value!;
            listed = ListedCode(deviceId, accessCodeId);
        }
        var deleted = Plain(await Api.DeleteAccessCodeAsync(deviceId, accessCodeId, listed, cancellationToken));
        if (deleted.IsSuccess && _listedCodes.TryGetValue(deviceId, out var codes))
        {
            _listedCodes[deviceId] = [.. codes.Where(c => c.AccesscodeId != accessCodeId)];
        }
        return deleted;
    }

    private SchlageAccessCode? ListedCode(string deviceId, string accessCodeId) =>
        _listedCodes.TryGetValue(deviceId, out var codes) ? codes.FirstOrDefault(c => c.AccesscodeId == accessCodeId) : null;

    /// <inheritdoc />
    public async Task<CloudResult<IReadOnlyList<CloudNotification>>> GetNotificationsAsync(string deviceId, CancellationToken cancellationToken)
    {
        var result = await Api.GetNotificationsAsync(deviceId, cancellationToken);
        return result.IsSuccess
            ? CloudResult.Ok<IReadOnlyList<CloudNotification>>([.. result.Value!
                .Where(n => n.NotificationId is not null)
                .Select(n => new CloudNotification(n.NotificationId!, n.FilterValue, n.Active))])
            : result.As<IReadOnlyList<CloudNotification>>();
    }

    /// <inheritdoc />
    public async Task<CloudResult> SetAccessCodeNotificationAsync(
        string deviceId, string accessCodeId, string accessCodeName, bool enabled, CancellationToken cancellationToken)
    {
        var user = await IdentityIdAsync(cancellationToken);
        if (!user.IsSuccess)
        {
            return user;
        }
        var existing = await Api.GetNotificationsAsync(deviceId, cancellationToken);
        if (!existing.IsSuccess)
        {
            return existing;
        }
        var id = $"{user.Value}_{accessCodeId}";
        var device = await KnownDeviceAsync(deviceId, cancellationToken);
        var notification = new SchlageNotification
        {
            NotificationId = id,
            UserId = user.Value,
            DeviceId = deviceId,
            DevicetypeId = device.IsSuccess ? device.Value!.DevicetypeId : null,
            NotificationDefinitionId = SchlageNotification.OnUnlockStateAction,
            Active = enabled,
            FilterValue = accessCodeName,
        };
        if (existing.Value!.Any(n => n.NotificationId == id))
        {
            return Plain(await Api.UpdateNotificationAsync(notification, cancellationToken));
        }
        return enabled ? Plain(await Api.CreateNotificationAsync(notification, cancellationToken)) : CloudResult.Ok();
    }

    /// <inheritdoc />
    public async Task<CloudResult<System.Text.Json.Nodes.JsonObject>> GetDiagnosticsAsync(string deviceId, CancellationToken cancellationToken)
    {
        var document = await Api.GetDeviceDocumentAsync(deviceId, cancellationToken);
        return document.IsSuccess ? CloudResult.Ok(DiagnosticsRedactor.Redact(document.Value!)) : document;
    }

    private async Task<CloudResult<SchlageDevice>> ReadDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        var result = await Api.GetDeviceAsync(deviceId, cancellationToken);
        if (result.IsSuccess)
        {
            _known[deviceId] = result.Value!;
            NoteDocument(result.Value!);
        }
        return result;
    }

    private async Task<CloudResult<SchlageDevice>> KnownDeviceAsync(string deviceId, CancellationToken cancellationToken) =>
        _known.TryGetValue(deviceId, out var device) ? CloudResult.Ok(device) : await ReadDeviceAsync(deviceId, cancellationToken);

    private async Task<CloudResult<string>> IdentityIdAsync(CancellationToken cancellationToken)
    {
        await _userGate.WaitAsync(cancellationToken);
        try
        {
            if (_identityId is not null)
            {
                return CloudResult.Ok(_identityId);
            }
            var me = await Api.GetCurrentUserAsync(cancellationToken);
            if (!me.IsSuccess)
            {
                return me.As<string>();
            }
            if (string.IsNullOrEmpty(me.Value!.IdentityId))
            {
                return CloudResult.Fail<string>(new CloudFailure(CloudFailureKind.BadResponse, "users/@me did not include the identityId."));
            }
            _identityId = me.Value.IdentityId;
            return CloudResult.Ok(_identityId);
        }
        finally
        {
            _userGate.Release();
        }
    }

    private static AccessCodeWrite ToWrite(NewAccessCode code) => new()
    {
        Name = code.Name,
        Code = code.Code,
        ActivationSecs = code.ActivationSecs,
        ExpirationSecs = code.ExpirationSecs,
        Schedule1 = CloudLockMapper.ToWire(code.Schedule1),
        Schedule2 = CloudLockMapper.ToWire(code.Schedule2),
        Disabled = code.Disabled,
        NotificationEnabled = code.NotifyOnUse,
    };

    private static CloudResult Plain(CloudResult result) => result.IsSuccess ? CloudResult.Ok() : CloudResult.Fail(result.Failure);

    /// <summary>Releases the account's locks and its token source.</summary>
    public void Dispose()
    {
        // The bridge stops the channel (which also releases what the cloud holds); this only ends its background work.
        (Push as PushChannelBase)?.Abort();
        _userGate.Dispose();
        (Tokens as IDisposable)?.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"SchlageLockAccount {{ Key = {Key}, Auth = {AuthState.Code} }}";
}
