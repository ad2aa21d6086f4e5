using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Schlage2Mqtt.Simulator.Calls;

namespace Schlage2Mqtt.Simulator.Cognito;

/// <summary>
/// Cognito's JSON-over-HTTP face: <c>POST /</c> with <c>X-Amz-Target: AWSCognitoIdentityProviderService.*</c>.
/// Errors are HTTP 400 with <c>{"__type", "message"}</c> and an <c>x-amzn-ErrorType</c> header, as AWS sends them.
/// </summary>
internal sealed class CognitoEndpoint(SimulatorRuntime runtime)
{
    private const string TargetPrefix = "AWSCognitoIdentityProviderService.";
    private const string ContentType = "application/x-amz-json-1.1";

    public async Task HandleAsync(HttpContext context)
    {
        var arrived = runtime.Time.GetUtcNow();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
        var logName = operation;
        string? subject = null;
        byte[] body;
        int status;
        try
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = doc.RootElement;
            var clientId = Str(root, "ClientId") ?? throw CognitoException.InvalidParameter("Missing required parameter ClientId");
            switch (operation)
            {
                case "InitiateAuth":
                {
                    var flow = Str(root, "AuthFlow") ?? throw CognitoException.InvalidParameter("Missing required parameter AuthFlow");
                    var parameters = Map(root, "AuthParameters");
                    logName = "InitiateAuth:" + (flow == "REFRESH_TOKEN" ? "REFRESH_TOKEN_AUTH" : flow);
                    subject = parameters.GetValueOrDefault("USERNAME");
                    body = flow switch
                    {
                        "USER_SRP_AUTH" => JsonSerializer.SerializeToUtf8Bytes(runtime.Pool.StartSrp(clientId, parameters), CognitoJsonContext.Default.ChallengeResponse),
                        "REFRESH_TOKEN_AUTH" or "REFRESH_TOKEN" => JsonSerializer.SerializeToUtf8Bytes(runtime.Pool.Refresh(clientId, parameters), CognitoJsonContext.Default.AuthResponse),
                        _ => throw CognitoException.InvalidParameter($"{flow} flow not enabled for this client"),
                    };
                    break;
                }
                case "RespondToAuthChallenge":
                {
                    var challenge = Str(root, "ChallengeName") ?? throw CognitoException.InvalidParameter("Missing required parameter ChallengeName");
                    var responses = Map(root, "ChallengeResponses");
                    logName = "RespondToAuthChallenge:" + challenge;
                    subject = responses.GetValueOrDefault("USERNAME");
                    body = JsonSerializer.SerializeToUtf8Bytes(runtime.Pool.CompleteSrp(clientId, challenge, responses), CognitoJsonContext.Default.AuthResponse);
                    break;
                }
                default:
                    throw new CognitoException("UnknownOperationException", $"Unknown operation {operation}");
            }
            status = 200;
        }
        catch (CognitoException ex)
        {
            status = 400;
            body = JsonSerializer.SerializeToUtf8Bytes(new CognitoErrorBody(ex.Type, ex.Message), CognitoJsonContext.Default.CognitoErrorBody);
            context.Response.Headers["x-amzn-ErrorType"] = ex.Type + ":";
        }
        catch (JsonException)
        {
            status = 400;
            body = JsonSerializer.SerializeToUtf8Bytes(new CognitoErrorBody("SerializationException", "The request body is not valid JSON"),
                CognitoJsonContext.Default.CognitoErrorBody);
        }
        runtime.Calls.Add(arrived, CallSurface.Cognito, logName, context.Request.Method, context.Request.Path, null, subject, status, null, null);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static string? Str(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Dictionary<string, string> Map(JsonElement root, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty(name, out var obj) && obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in obj.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String)
                {
                    map[p.Name] = p.Value.GetString()!;
                }
            }
        }
        return map;
    }
}
