using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Resilience;

namespace Schlage2Mqtt.Schlage.Api;

/// <summary>
/// Typed client of the Schlage Home consumer REST API for one account. Every call goes through the
/// account's token source (401: renew once, retry once) and resilience pipeline, and comes back as a
/// <see cref="CloudResult{T}"/>. Response bodies are never logged: they can hold PINs.
/// </summary>
public sealed class SchlageApiClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly SchlageHttpPipeline _pipeline;
    private readonly ITokenSource _tokens;
    private readonly string _apiKey;
    private readonly Uri _baseUrl;
    private readonly ILogger _logger;

    internal SchlageApiClient(SchlageHttpPipeline pipeline, ITokenSource tokens, Uri baseUrl, string apiKey, ILogger logger)
    {
        _pipeline = pipeline;
        _tokens = tokens;
        _apiKey = apiKey;
        _baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _logger = logger;
    }

    /// <summary>The signed-in user (<c>GET users/@me</c>); its identityId is "the user id".</summary>
    public Task<CloudResult<SchlageUser>> GetCurrentUserAsync(CancellationToken cancellationToken) =>
        ReadAsync("users/@me", SchlageJsonContext.Default.SchlageUser, cancellationToken);

    /// <summary>Users of all locks on the account (<c>GET users</c>).</summary>
    public async Task<CloudResult<IReadOnlyList<SchlageUser>>> GetUsersAsync(CancellationToken cancellationToken) =>
        Widen(await ReadAsync("users", SchlageJsonContext.Default.ListSchlageUser, cancellationToken));

    /// <summary>
    /// The push channel's details (<c>GET users/wss</c>, sent with the id token as <c>X-Web-Identity-Token</c>). The
    /// cloud answers a spurious 400 now and then; the caller retries it. 404 means the account has no push channel.
    /// </summary>
    public Task<CloudResult<SchlagePushDetails>> GetPushDetailsAsync(CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Get, "users/wss", null, CallKind.Read, SchlageJsonContext.Default.SchlagePushDetails, cancellationToken, withIdentity: true);

    /// <summary>Every lock of the account in one call (<c>GET devices?archetype=lock</c>).</summary>
    public async Task<CloudResult<IReadOnlyList<SchlageDevice>>> ListLocksAsync(CancellationToken cancellationToken) =>
        Widen(await ReadAsync("devices?archetype=lock", SchlageJsonContext.Default.ListSchlageDevice, cancellationToken));

    /// <summary>One device document (<c>GET devices/{id}</c>).</summary>
    public Task<CloudResult<SchlageDevice>> GetDeviceAsync(string deviceId, CancellationToken cancellationToken) =>
        ReadAsync($"devices/{Escape(deviceId)}", SchlageJsonContext.Default.SchlageDevice, cancellationToken);

    /// <summary>One device document exactly as the cloud sent it (<c>GET devices/{id}</c>), for diagnostics.</summary>
    public Task<CloudResult<JsonObject>> GetDeviceDocumentAsync(string deviceId, CancellationToken cancellationToken) =>
        ReadAsync($"devices/{Escape(deviceId)}", SchlageJsonContext.Default.JsonObject, cancellationToken);

    /// <summary>The activity log, newest first (<c>GET devices/{id}/logs?limit=N&amp;sort=desc</c>).</summary>
    public async Task<CloudResult<IReadOnlyList<SchlageLogEntry>>> GetLogsAsync(string deviceId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Widen(await ReadAsync($"devices/{Escape(deviceId)}/logs?limit={limit}&sort=desc", SchlageJsonContext.Default.ListSchlageLogEntry, cancellationToken));
    }

    /// <summary>The lock's access codes (<c>GET devices/{id}/storage/accesscode</c>).</summary>
    public async Task<CloudResult<IReadOnlyList<SchlageAccessCode>>> GetAccessCodesAsync(string deviceId, CancellationToken cancellationToken)
    {
        // Read as raw objects first: a delete sends the code back exactly as listed, fields this client does not model included.
        var path = $"devices/{Escape(deviceId)}/storage/accesscode";
        var raw = await ReadAsync(path, SchlageJsonContext.Default.ListJsonObject, cancellationToken);
        if (!raw.IsSuccess)
        {
            return raw.As<IReadOnlyList<SchlageAccessCode>>();
        }
        var codes = new List<SchlageAccessCode>(raw.Value!.Count);
        foreach (var item in raw.Value.OfType<JsonObject>())
        {
            try
            {
                if (item.Deserialize(SchlageJsonContext.Default.SchlageAccessCode) is { } code)
                {
                    codes.Add(code with { Listed = item });
                }
            }
            catch (JsonException e)
            {
                _logger.LogWarning("GET {Path}: unreadable access code at {JsonPath}", PathOnly(path), e.Path);
                return CloudResult.Fail<IReadOnlyList<SchlageAccessCode>>(new CloudFailure(CloudFailureKind.BadResponse,
                    $"GET {PathOnly(path)} answered an access code that is not the expected JSON."));
            }
        }
        return CloudResult.Ok<IReadOnlyList<SchlageAccessCode>>(codes);
    }

    /// <summary>Notification subscriptions of a device (<c>GET notifications?deviceId={id}</c>).</summary>
    public async Task<CloudResult<IReadOnlyList<SchlageNotification>>> GetNotificationsAsync(string deviceId, CancellationToken cancellationToken) =>
        Widen(await ReadAsync($"notifications?deviceId={Escape(deviceId)}", SchlageJsonContext.Default.ListSchlageNotification, cancellationToken));

    /// <summary>Locks or unlocks a Wi-Fi model: <c>PUT devices/{id}</c> with <c>{"attributes":{"lockState":1|0}}</c>.</summary>
    public Task<CloudResult<SchlageDevice?>> PutLockStateAsync(string deviceId, bool locked, CancellationToken cancellationToken) =>
        PutAttributesAsync(deviceId, new AttributesUpdate { LockState = locked ? 1 : 0 }, CallKind.LockWrite, cancellationToken);

    /// <summary>Locks or unlocks a bridge-connected model: the <c>changelockstate</c> command.</summary>
    public Task<CloudResult<CommandAnswerInfo>> SendChangeLockStateAsync(
        string deviceId, string? cat, bool locked, string? userId, CancellationToken cancellationToken)
    {
        var body = new ChangeLockStateCommand("changelockstate", new ChangeLockStateData(cat, deviceId, locked ? 1 : 0, userId));
        return CommandAsync(deviceId, JsonSerializer.Serialize(body, SchlageJsonContext.Default.ChangeLockStateCommand), CallKind.LockWrite, cancellationToken);
    }

    /// <summary>Turns the beeper on or off (<c>beeperEnabled</c>).</summary>
    public Task<CloudResult<SchlageDevice?>> SetBeeperAsync(string deviceId, bool enabled, CancellationToken cancellationToken) =>
        PutAttributesAsync(deviceId, new AttributesUpdate { BeeperEnabled = enabled ? 1 : 0 }, CallKind.Write, cancellationToken);

    /// <summary>Turns 1-Touch locking on or off (<c>lockAndLeaveEnabled</c>).</summary>
    public Task<CloudResult<SchlageDevice?>> SetLockAndLeaveAsync(string deviceId, bool enabled, CancellationToken cancellationToken) =>
        PutAttributesAsync(deviceId, new AttributesUpdate { LockAndLeaveEnabled = enabled ? 1 : 0 }, CallKind.Write, cancellationToken);

    /// <summary>Sets the auto-lock delay (<c>autoLockTime</c>). The caller checks the value against the model.</summary>
    public Task<CloudResult<SchlageDevice?>> SetAutoLockTimeAsync(string deviceId, int seconds, CancellationToken cancellationToken) =>
        PutAttributesAsync(deviceId, new AttributesUpdate { AutoLockTime = seconds }, CallKind.Write, cancellationToken);

    /// <summary>The <c>addaccesscode</c> command; answers the new code's id when the cloud sends it.</summary>
    public Task<CloudResult<CommandAnswerInfo>> AddAccessCodeAsync(string deviceId, AccessCodeWrite code, CancellationToken cancellationToken) =>
        AccessCodeCommandAsync(deviceId, "addaccesscode", code.ToCommandData(accessCodeId: null), cancellationToken);

    /// <summary>The <c>updateaccesscode</c> command.</summary>
    public Task<CloudResult<CommandAnswerInfo>> UpdateAccessCodeAsync(string deviceId, string accessCodeId, AccessCodeWrite code, CancellationToken cancellationToken) =>
        AccessCodeCommandAsync(deviceId, "updateaccesscode", code.ToCommandData(accessCodeId), cancellationToken);

    /// <summary>
    /// The <c>deleteaccesscode</c> command, carrying the whole code object as last listed plus its <c>accesscodeId</c>
    /// (what pyschlage and Home Assistant send). Without <paramref name="listed"/> only the id goes, which the cloud
    /// answers with "not found" for a code it does not list.
    /// </summary>
    public Task<CloudResult<CommandAnswerInfo>> DeleteAccessCodeAsync(
        string deviceId, string accessCodeId, SchlageAccessCode? listed, CancellationToken cancellationToken)
    {
        var data = listed?.Listed?.DeepClone().AsObject() ?? [];
        data["accesscodeId"] = accessCodeId;
        var body = new JsonObject { ["name"] = "deleteaccesscode", ["data"] = data };
        return CommandAsync(deviceId, body.ToJsonString(), CallKind.Write, cancellationToken);
    }

    /// <summary>Creates a notification subscription (<c>POST notifications?deviceId={id}</c>).</summary>
    public Task<CloudResult<SchlageNotification?>> CreateNotificationAsync(SchlageNotification notification, CancellationToken cancellationToken) =>
        NotificationWriteAsync(HttpMethod.Post, notification, cancellationToken);

    /// <summary>Updates a notification subscription (<c>PUT notifications/{notificationId}</c>).</summary>
    public async Task<CloudResult<SchlageNotification?>> UpdateNotificationAsync(SchlageNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentException.ThrowIfNullOrEmpty(notification.NotificationId);
        var body = JsonSerializer.Serialize(notification, SchlageJsonContext.Default.SchlageNotification);
        var result = await CallAsync(HttpMethod.Put, $"notifications/{Escape(notification.NotificationId)}", body, CallKind.Write, SchlageJsonContext.Default.SchlageNotification, cancellationToken);
        return result.IsSuccess ? CloudResult.Ok<SchlageNotification?>(result.Value) : result.As<SchlageNotification?>();
    }

    /// <summary>Deletes a notification subscription (<c>DELETE notifications/{notificationId}</c>).</summary>
    public async Task<CloudResult> DeleteNotificationAsync(string notificationId, CancellationToken cancellationToken)
    {
        var result = await CallAsync<CommandAnswer>(HttpMethod.Delete, $"notifications/{Escape(notificationId)}", null, CallKind.Write, null, cancellationToken);
        return result.IsSuccess ? CloudResult.Ok() : CloudResult.Fail(result.Failure);
    }

    private async Task<CloudResult<SchlageNotification?>> NotificationWriteAsync(HttpMethod method, SchlageNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var body = JsonSerializer.Serialize(notification, SchlageJsonContext.Default.SchlageNotification);
        var result = await CallAsync(method, $"notifications?deviceId={Escape(notification.DeviceId ?? "")}", body, CallKind.Write, SchlageJsonContext.Default.SchlageNotification, cancellationToken);
        return result.IsSuccess ? CloudResult.Ok<SchlageNotification?>(result.Value) : result.As<SchlageNotification?>();
    }

    private async Task<CloudResult<SchlageDevice?>> PutAttributesAsync(string deviceId, AttributesUpdate update, CallKind kind, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new AttributesUpdateRequest(update), SchlageJsonContext.Default.AttributesUpdateRequest);
        var result = await CallAsync(HttpMethod.Put, $"devices/{Escape(deviceId)}", body, kind, SchlageJsonContext.Default.SchlageDevice, cancellationToken);
        return result.IsSuccess ? CloudResult.Ok<SchlageDevice?>(result.Value) : result.As<SchlageDevice?>();
    }

    private Task<CloudResult<CommandAnswerInfo>> AccessCodeCommandAsync(string deviceId, string name, AccessCodeCommandData data, CancellationToken cancellationToken) =>
        CommandAsync(deviceId, JsonSerializer.Serialize(new AccessCodeCommand(name, data), SchlageJsonContext.Default.AccessCodeCommand), CallKind.Write, cancellationToken);

    private async Task<CloudResult<CommandAnswerInfo>> CommandAsync(string deviceId, string body, CallKind kind, CancellationToken cancellationToken)
    {
        var result = await CallAsync(HttpMethod.Post, $"devices/{Escape(deviceId)}/commands", body, kind, SchlageJsonContext.Default.CommandAnswer, cancellationToken);
        return result.IsSuccess
            ? CloudResult.Ok(new CommandAnswerInfo(result.Value?.AccesscodeId, result.Value?.Id))
            : result.As<CommandAnswerInfo>();
    }

    private Task<CloudResult<T>> ReadAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Get, path, null, CallKind.Read, type, cancellationToken);

    private async Task<CloudResult<T>> CallAsync<T>(
        HttpMethod method, string path, string? body, CallKind kind, JsonTypeInfo<T>? responseType, CancellationToken cancellationToken,
        bool withIdentity = false)
    {
        var token = withIdentity ? await _tokens.GetTokenWithIdAsync(cancellationToken) : await _tokens.GetTokenAsync(cancellationToken);
        if (!token.IsSuccess)
        {
            return CloudResult.Fail<T>(FromAuth(token.Failure));
        }
        if (withIdentity && token.Token.IdToken is null)
        {
            return CloudResult.Fail<T>(new CloudFailure(CloudFailureKind.Unauthorized,
                $"{method} {PathOnly(path)} needs the account's id token, which a pasted access token does not include: paste a refresh_token too, configure the password, or run `schlage2mqtt login`."));
        }
        var outcome = await _pipeline.SendAsync(() => Build(method, path, body, token.Token, withIdentity), kind, cancellationToken);
        if (outcome.Response is { Status: 401 })
        {
            // The write was refused at the door, so repeating it once with a fresh token is safe.
            var renewed = await _tokens.RenewAsync(token.Token.Value, cancellationToken);
            if (!renewed.IsSuccess)
            {
                return CloudResult.Fail<T>(FromAuth(renewed.Failure));
            }
            outcome = await _pipeline.SendAsync(() => Build(method, path, body, renewed.Token, withIdentity), kind, cancellationToken);
        }
        // The push channel reports its own failures (a 404 there is an answer, not an error), so its calls log quietly.
        var failureLevel = withIdentity ? LogLevel.Debug : LogLevel.Warning;
        if (outcome.Failure is { } failure)
        {
            _logger.Log(failureLevel, "{Method} {Path} failed: {Kind}", method, PathOnly(path), failure.Kind);
            return CloudResult.Fail<T>(failure);
        }
        return Interpret(method, path, outcome.Response!, responseType, failureLevel);
    }

    private CloudResult<T> Interpret<T>(HttpMethod method, string path, ApiResponse response, JsonTypeInfo<T>? responseType, LogLevel failureLevel = LogLevel.Warning)
    {
        if (response.IsSuccess)
        {
            if (responseType is null || string.IsNullOrWhiteSpace(response.Body))
            {
                return response.Kind == CallKind.Read && responseType is not null
                    ? CloudResult.Fail<T>(new CloudFailure(CloudFailureKind.BadResponse, $"{method} {PathOnly(path)} answered {response.Status} with an empty body.", response.Status))
                    : CloudResult.Ok<T>(default!);
            }
            try
            {
                var value = JsonSerializer.Deserialize(response.Body, responseType);
                if (value is not null)
                {
                    return CloudResult.Ok(value);
                }
            }
            catch (JsonException e)
            {
                _logger.LogWarning("{Method} {Path}: unreadable answer at {JsonPath}", method, PathOnly(path), e.Path);
            }
            // A write that answered 2xx was applied even when its echo cannot be read.
            return response.Kind == CallKind.Read
                ? CloudResult.Fail<T>(new CloudFailure(CloudFailureKind.BadResponse, $"{method} {PathOnly(path)} answered {response.Status} with a body that is not the expected JSON.", response.Status))
                : CloudResult.Ok<T>(default!);
        }

        var failure = MapError(method, path, response);
        _logger.Log(failureLevel, "{Method} {Path} failed: HTTP {Status} {Kind}", method, PathOnly(path), response.Status, failure.Kind);
        return CloudResult.Fail<T>(failure);
    }

    private static CloudFailure MapError(HttpMethod method, string path, ApiResponse response)
    {
        var status = response.Status;
        var cloudMessage = ReadCloudMessage(response.Body);
        var what = $"{method} {PathOnly(path)} answered {status}";
        var isWrite = response.Kind != CallKind.Read;
        var (kind, message) = status switch
        {
            401 => (CloudFailureKind.Unauthorized, $"{what}: the cloud rejected the token even after renewing it."),
            403 => (CloudFailureKind.Unauthorized, $"{what}: forbidden; the api_key may have changed, or the account lacks rights on this lock."),
            404 => (CloudFailureKind.NotFound, $"{what}: not found."),
            409 when IsOfflineConflict(response, path, cloudMessage) =>
                (CloudFailureKind.LockOffline, $"{what}: the lock is offline (check its Wi-Fi and batteries in the Schlage Home app)."),
            503 when response.Kind == CallKind.LockWrite =>
                (CloudFailureKind.LockOffline, $"{what}: the lock is offline (check its Wi-Fi and batteries in the Schlage Home app)."),
            429 => (CloudFailureKind.Throttled, $"{what}: the cloud is throttling this account."),
            >= 500 when isWrite => (CloudFailureKind.OutcomeUnknown, $"{what}: the change may still be applied. Read the state to find out."),
            >= 500 => (CloudFailureKind.ServerError, $"{what}: the Schlage cloud failed."),
            _ => (CloudFailureKind.Rejected, $"{what}: the cloud refused the request."),
        };
        return new CloudFailure(kind, message, status, cloudMessage, status == 429 ? response.RetryAfter : null);
    }

    /// <summary>
    /// A 409 to a write on a device means the lock is offline (reference section 6, seed 000), for lock/unlock,
    /// settings and access-code commands alike. Only an access-code command whose 409 names another conflict
    /// (say, a name already in use) stays a refusal, so a duplicate is never reported as an offline lock.
    /// </summary>
    private static bool IsOfflineConflict(ApiResponse response, string path, string? cloudMessage)
    {
        if (response.Kind == CallKind.LockWrite)
        {
            return true;
        }
        if (response.Kind == CallKind.Read || !path.StartsWith("devices/", StringComparison.Ordinal))
        {
            return false;
        }
        return !path.EndsWith("/commands", StringComparison.Ordinal)
            || string.IsNullOrWhiteSpace(cloudMessage)
            || cloudMessage.Contains("offline", StringComparison.OrdinalIgnoreCase);
    }

    private static string? ReadCloudMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(body, SchlageJsonContext.Default.CloudErrorBody)?.Message;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static CloudFailure FromAuth(AuthFailure failure) => failure.Kind switch
    {
        AuthFailureKind.Throttled => new CloudFailure(CloudFailureKind.Throttled, failure.Message, failure.HttpStatus, failure.CognitoMessage),
        AuthFailureKind.Unavailable or AuthFailureKind.InvalidResponse => new CloudFailure(CloudFailureKind.Unavailable, failure.Message, failure.HttpStatus, failure.CognitoMessage),
        _ => new CloudFailure(CloudFailureKind.ReauthRequired, failure.Message, failure.HttpStatus, failure.CognitoMessage),
    };

    private HttpRequestMessage Build(HttpMethod method, string path, string? body, BearerToken token, bool withIdentity)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        request.Headers.TryAddWithoutValidation("X-Api-Key", _apiKey);
        if (withIdentity && token.IdToken is { } idToken)
        {
            request.Headers.TryAddWithoutValidation("X-Web-Identity-Token", idToken);
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = Json;
        }
        return request;
    }

    private static string PathOnly(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? path : path[..query];
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static CloudResult<IReadOnlyList<T>> Widen<T>(CloudResult<List<T>> result) =>
        result.IsSuccess ? CloudResult.Ok<IReadOnlyList<T>>(result.Value ?? []) : result.As<IReadOnlyList<T>>();
}
