using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Cognito;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary>
/// What every REST call goes through, in the order the real stack applies it: API key (API Gateway,
/// 403), bearer token (Cognito authorizer, 401), injected faults, then the handler; and the call log.
/// </summary>
internal sealed class RestPipeline
{
    private readonly SimulatorRuntime _runtime;
    private readonly ILogger _logger;

    public RestPipeline(SimulatorRuntime runtime)
    {
        _runtime = runtime;
        _logger = runtime.LoggerFactory.CreateLogger<RestPipeline>();
    }

    public RequestDelegate Wrap(ApiEndpoint endpoint, ApiHandler handler) => context => HandleAsync(context, endpoint, handler);

    private async Task HandleAsync(HttpContext context, ApiEndpoint endpoint, ApiHandler handler)
    {
        var arrived = _runtime.Time.GetUtcNow();
        var ct = context.RequestAborted;
        var body = await ReadBodyAsync(context.Request, ct);
        var route = context.Request.RouteValues
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => Convert.ToString(kv.Value, CultureInfo.InvariantCulture)!, StringComparer.Ordinal);
        var query = context.Request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var (detail, command) = CallDetail.Describe(endpoint, body);
        var deviceId = route.GetValueOrDefault("deviceId") ?? query.GetValueOrDefault("deviceId");
        string? subject = null;
        string? fault = null;
        ApiResult result;
        try
        {
            (result, subject, fault) = await DispatchAsync(context, endpoint, handler, route, query, body, deviceId, command, ct);
        }
        catch (CloudException ex)
        {
            result = ApiResult.Error(ex.StatusCode, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A simulator bug: answer like the cloud's own failures, but say so in the log.
            _logger.LogError(ex, "Unhandled error in {Endpoint}", endpoint);
            result = ApiResult.Error(500, ApiResult.StockMessage(500));
        }
        _runtime.Calls.Add(arrived, CallSurface.Api, endpoint.ToString(), context.Request.Method,
            context.Request.Path + context.Request.QueryString, deviceId, subject, result.StatusCode, fault, detail);
        _logger.LogDebug("{Method} {Path} -> {Status}{Fault}", context.Request.Method, context.Request.Path, result.StatusCode,
            fault is null ? string.Empty : " (fault " + fault + ")");
        await WriteAsync(context.Response, result, ct);
    }

    private async Task<(ApiResult Result, string? Subject, string? Fault)> DispatchAsync(HttpContext context, ApiEndpoint endpoint,
        ApiHandler handler, Dictionary<string, string> route, Dictionary<string, string> query, byte[] body, string? deviceId,
        string? command, CancellationToken ct)
    {
        if (!string.Equals(context.Request.Headers["X-Api-Key"].ToString(), _runtime.Options.ApiKey, StringComparison.Ordinal))
        {
            return (ApiResult.Error(403, "Forbidden"), null, null);
        }
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return (ApiResult.Error(401, "Unauthorized"), null, null);
        }
        var (status, sub) = _runtime.Pool.Tokens.Validate(authorization["Bearer ".Length..].Trim());
        var account = sub is null ? null : _runtime.World.AccountBySub(sub);
        if (status == TokenStatus.Expired)
        {
            return (ApiResult.Error(401, "The incoming token has expired"), account?.Email, null);
        }
        if (status != TokenStatus.Valid || account is null)
        {
            return (ApiResult.Error(401, "Unauthorized"), null, null);
        }
        var identity = context.Request.Headers["X-Web-Identity-Token"].ToString();
        var call = new ApiCall(endpoint, route, query, body, account, identity.Length == 0 ? null : identity);
        var (latency, rule) = _runtime.Faults.Match(endpoint, deviceId, command);
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, _runtime.Time, ct);
        }
        if (rule is null)
        {
            return (await handler(call, ct), account.Email, latency > TimeSpan.Zero ? "Latency" : null);
        }
        var message = rule.Message ?? ApiResult.StockMessage(rule.StatusCode);
        switch (rule.Action)
        {
            case FaultAction.TokenExpired:
                return (ApiResult.Error(401, rule.Message ?? "The incoming token has expired"), account.Email, rule.Action.ToString());
            case FaultAction.TooManyRequests:
                var retry = ((int)Math.Ceiling(rule.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var tooMany = ApiResult.Error(429, rule.Message ?? "Too Many Requests") with
                {
                    Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Retry-After"] = retry },
                };
                return (tooMany, account.Email, rule.Action.ToString());
            case FaultAction.AppliedButError:
                ApplyLater(call, handler, rule.Delay);
                return (ApiResult.Error(rule.StatusCode, message), account.Email, rule.Action.ToString());
            default:
                return (ApiResult.Error(rule.StatusCode, message), account.Email, rule.Action.ToString());
        }
    }

    // The gateway gave up but the request went through: the write lands after the delay, whatever the client was told.
    private void ApplyLater(ApiCall call, ApiHandler handler, TimeSpan delay) =>
        _runtime.Scheduler.After(delay, () =>
        {
            _ = RunDetachedAsync(call, handler);
        });

    private async Task RunDetachedAsync(ApiCall call, ApiHandler handler)
    {
        try
        {
            var result = await handler(call, CancellationToken.None);
            _logger.LogDebug("Late write for {Endpoint} applied with status {Status}", call.Endpoint, result.StatusCode);
        }
        catch (CloudException ex)
        {
            _logger.LogDebug("Late write for {Endpoint} refused: {Message}", call.Endpoint, ex.Message);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    internal static async Task WriteAsync(HttpResponse response, ApiResult result, CancellationToken ct)
    {
        response.StatusCode = result.StatusCode;
        if (result.Headers is not null)
        {
            foreach (var (name, value) in result.Headers)
            {
                response.Headers[name] = value;
            }
        }
        if (result.Body is not null)
        {
            response.ContentType = "application/json";
            await response.Body.WriteAsync(result.Body, ct);
        }
    }
}
