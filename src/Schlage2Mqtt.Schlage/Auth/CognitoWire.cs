using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Schlage.Auth;

// Cognito's JSON protocol (x-amz-json-1.1): PascalCase members, string maps for parameters.

internal sealed record InitiateAuthRequest(string AuthFlow, string ClientId, Dictionary<string, string> AuthParameters);

internal sealed record RespondToAuthChallengeRequest(
    string ChallengeName, string ClientId, Dictionary<string, string> ChallengeResponses, string? Session);

internal sealed record CognitoAuthResponse(
    string? ChallengeName,
    Dictionary<string, string>? ChallengeParameters,
    string? Session,
    CognitoAuthenticationResult? AuthenticationResult);

internal sealed record CognitoAuthenticationResult(
    string? AccessToken, string? IdToken, string? RefreshToken, int? ExpiresIn, string? TokenType)
{
    public override string ToString() => $"CognitoAuthenticationResult {{ ExpiresIn = {ExpiresIn} }}";
}

internal sealed record CognitoErrorBody(
    [property: JsonPropertyName("__type")] string? Type,
    string? Message);

[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InitiateAuthRequest))]
[JsonSerializable(typeof(RespondToAuthChallengeRequest))]
[JsonSerializable(typeof(CognitoAuthResponse))]
[JsonSerializable(typeof(CognitoErrorBody))]
internal sealed partial class CognitoJsonContext : JsonSerializerContext;
