using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Schlage.Api;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Schlage.Auth.Srp;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Push;
using Schlage2Mqtt.Schlage.Subscribers;
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
        lockAccount.Push = BuildPush(account, lockAccount, tokens);
        return (lockAccount, tokens);
    }

    private IPushChannel? BuildPush(SchlageAccountOptions account, SchlageLockAccount lockAccount, ITokenSource tokens)
    {
        var push = options.Push;
        switch (push.Mode)
        {
            case PushMode.ConsumerCloud:
                var reader = new ConsumerCloudUpdateReader(lockAccount.Mapper, lockAccount.PolledDevice, lockAccount.NoteDocument);
                return new AwsIotPushChannel(account.Key, lockAccount.Api.GetPushDetailsAsync, reader, push, time, loggers, randomizer);
            case PushMode.Subscribers when push.SubscriberApiBaseUrl is { } baseUrl && push.EffectiveSubscriberWebSocketUrl is { } webSocketUrl:
                // Its own pipeline: this API's failures must not open the consumer cloud's circuit breaker.
                var pipeline = new SchlageHttpPipeline(http, options, time, loggers.CreateLogger("Schlage2Mqtt.Schlage.Resilience"), randomizer);
                var logger = loggers.CreateLogger("Schlage2Mqtt.Schlage.Push");
                var client = new SubscriberApiClient(pipeline, tokens, baseUrl, options.ApiKey, logger);
                var events = new SubscriberEventReader(lockAccount.KnownDeviceIds, logger);
                return new SubscriberPushChannel(account.Key, client, webSocketUrl, events, push, time, loggers, randomizer);
            default:
                return null;
        }
    }
}
