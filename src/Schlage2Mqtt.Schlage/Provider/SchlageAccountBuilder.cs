using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Schlage.Api;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Schlage.Auth.Srp;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Resilience;

namespace Schlage2Mqtt.Schlage.Provider;

/// <summary>Wires one account: Cognito client, SRP, token source, pipeline, API client.</summary>
internal sealed class SchlageAccountBuilder(
    SchlageCloudOptions options,
    IRefreshTokenStore store,
    HttpClient http,
    TimeProvider time,
    ILoggerFactory loggers,
    Func<SrpClientSession>? srpSessions = null,
    Func<double>? randomizer = null)
{
    public (SchlageLockAccount Account, CognitoTokenSource Tokens) Build(SchlageAccountOptions account)
    {
        var authLogger = loggers.CreateLogger("Schlage2Mqtt.Schlage.Auth");
        var cognito = new CognitoClient(http, options.Cognito, options.RequestTimeout, time, authLogger);
        var srp = new SrpAuthenticator(cognito, time, srpSessions ?? (() => new SrpClientSession()), authLogger);
        var tokens = new CognitoTokenSource(account, options.Cognito, cognito, srp, store, time, authLogger);
        var pipeline = new SchlageHttpPipeline(http, options, time, loggers.CreateLogger("Schlage2Mqtt.Schlage.Resilience"), randomizer);
        var api = new SchlageApiClient(pipeline, tokens, options.ApiBaseUrl, options.ApiKey, loggers.CreateLogger<SchlageApiClient>());
        var lockAccount = new SchlageLockAccount(account.Key, api, tokens, pipeline, time, loggers.CreateLogger<SchlageLockAccount>());
        return (lockAccount, tokens);
    }
}
