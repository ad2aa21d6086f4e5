using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Simulator.Cognito;

/// <summary>A challenge answer of InitiateAuth.</summary>
internal sealed record ChallengeResponse(string ChallengeName, IReadOnlyDictionary<string, string> ChallengeParameters);

/// <summary>A successful login or refresh.</summary>
internal sealed record AuthResponse(IReadOnlyDictionary<string, string> ChallengeParameters, AuthenticationResult AuthenticationResult);

/// <summary>Tokens; a refresh has no RefreshToken.</summary>
internal sealed record AuthenticationResult(string AccessToken, int ExpiresIn, string IdToken, string? RefreshToken, string TokenType);

/// <summary>Cognito's error body.</summary>
internal sealed record CognitoErrorBody(
    [property: JsonPropertyName("__type")] string Type,
    [property: JsonPropertyName("message")] string Message);

/// <summary>JWT header.</summary>
internal sealed record JwtHeader(
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("alg")] string Alg);

/// <summary>JWE-like header of the opaque refresh token.</summary>
internal sealed record JweHeader(
    [property: JsonPropertyName("cty")] string Cty,
    [property: JsonPropertyName("enc")] string Enc,
    [property: JsonPropertyName("alg")] string Alg);

/// <summary>Claims of an access token, named as Cognito names them.</summary>
internal sealed record AccessTokenClaims(
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("iss")] string Iss,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("origin_jti")] string OriginJti,
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("token_use")] string TokenUse,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("auth_time")] long AuthTime,
    [property: JsonPropertyName("exp")] long Exp,
    [property: JsonPropertyName("iat")] long Iat,
    [property: JsonPropertyName("jti")] string Jti,
    [property: JsonPropertyName("username")] string Username);

/// <summary>Claims of an id token.</summary>
internal sealed record IdTokenClaims(
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("email_verified")] bool EmailVerified,
    [property: JsonPropertyName("iss")] string Iss,
    [property: JsonPropertyName("cognito:username")] string CognitoUsername,
    [property: JsonPropertyName("origin_jti")] string OriginJti,
    [property: JsonPropertyName("aud")] string Aud,
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("token_use")] string TokenUse,
    [property: JsonPropertyName("auth_time")] long AuthTime,
    [property: JsonPropertyName("exp")] long Exp,
    [property: JsonPropertyName("iat")] long Iat,
    [property: JsonPropertyName("jti")] string Jti,
    [property: JsonPropertyName("email")] string Email);

/// <summary>The claims the simulator reads back when validating a bearer token (either kind).</summary>
internal sealed record TokenProbe(
    [property: JsonPropertyName("sub")] string? Sub,
    [property: JsonPropertyName("exp")] long Exp,
    [property: JsonPropertyName("jti")] string? Jti,
    [property: JsonPropertyName("token_use")] string? TokenUse);

/// <summary>Source-generated serializers for Cognito (names kept as written).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChallengeResponse))]
[JsonSerializable(typeof(AuthResponse))]
[JsonSerializable(typeof(CognitoErrorBody))]
[JsonSerializable(typeof(JwtHeader))]
[JsonSerializable(typeof(JweHeader))]
[JsonSerializable(typeof(AccessTokenClaims))]
[JsonSerializable(typeof(IdTokenClaims))]
[JsonSerializable(typeof(TokenProbe))]
internal sealed partial class CognitoJsonContext : JsonSerializerContext;
