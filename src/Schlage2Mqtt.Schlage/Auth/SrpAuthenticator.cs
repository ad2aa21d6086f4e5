using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Schlage.Auth.Srp;

namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>USER_SRP_AUTH followed by the PASSWORD_VERIFIER answer, as AWS's own SDKs do it.</summary>
internal sealed class SrpAuthenticator(CognitoClient cognito, TimeProvider time, Func<SrpClientSession> sessionFactory, ILogger logger)
{
    public async Task<SrpLoginResult> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        var session = sessionFactory();
        var initiate = await cognito.InitiateSrpAsync(username, session.SrpA, cancellationToken);
        if (initiate.Failure is { } initiateFailure)
        {
            return new SrpLoginResult(null, null, initiateFailure);
        }
        var challenge = initiate.Response!;
        if (challenge.ChallengeName != "PASSWORD_VERIFIER" || challenge.ChallengeParameters is not { } parameters)
        {
            return new SrpLoginResult(null, null, UnsupportedChallenge(challenge.ChallengeName));
        }
        if (!parameters.TryGetValue("USER_ID_FOR_SRP", out var userId) || !parameters.TryGetValue("SALT", out var salt)
            || !parameters.TryGetValue("SRP_B", out var serverB) || !parameters.TryGetValue("SECRET_BLOCK", out var secretBlock))
        {
            return new SrpLoginResult(null, null, new AuthFailure(AuthFailureKind.InvalidResponse, "Cognito's PASSWORD_VERIFIER challenge lacks USER_ID_FOR_SRP, SALT, SRP_B or SECRET_BLOCK."));
        }
        var challengeUsername = parameters.TryGetValue("USERNAME", out var internalName) && !string.IsNullOrEmpty(internalName) ? internalName : userId;

        var timestamp = CognitoTimestamp.Format(time.GetUtcNow());
        string signature;
        try
        {
            signature = session.ComputeSignature(cognito.Options.PoolName, userId, password, salt, serverB, secretBlock, timestamp);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            logger.LogWarning("SRP challenge from Cognito is unusable: {Reason}", e.GetType().Name);
            return new SrpLoginResult(null, null, new AuthFailure(AuthFailureKind.InvalidResponse, "Cognito's SRP challenge is malformed (bad SALT, SRP_B or SECRET_BLOCK)."));
        }

        var answer = await cognito.RespondToPasswordVerifierAsync(challengeUsername, timestamp, secretBlock, signature, challenge.Session, cancellationToken);
        if (answer.Failure is { } answerFailure)
        {
            return new SrpLoginResult(null, null, answerFailure);
        }
        var result = answer.Response!.AuthenticationResult;
        if (result is not { AccessToken: { Length: > 0 } access, IdToken: { Length: > 0 } id })
        {
            return new SrpLoginResult(null, null, UnsupportedChallenge(answer.Response.ChallengeName));
        }
        var tokens = new AuthTokens(access, id, result.RefreshToken, time.GetUtcNow() + TimeSpan.FromSeconds(result.ExpiresIn ?? 3600));
        return new SrpLoginResult(tokens, userId, null);
    }

    private static AuthFailure UnsupportedChallenge(string? name) => new(
        AuthFailureKind.UnsupportedChallenge,
        name is null
            ? "Cognito answered the login without tokens or a challenge."
            : $"Cognito asks for the {name} challenge, which schlage2mqtt cannot answer: finish it in the Schlage Home app (or turn MFA off), then {CognitoErrors.LoginHint}.");
}
