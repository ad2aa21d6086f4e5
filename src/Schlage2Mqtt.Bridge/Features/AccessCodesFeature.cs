using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.Runtime;

namespace Schlage2Mqtt.Bridge.Features;

/// <summary>Access codes: requests reach the manager through the request handlers; at start it resumes what a previous run left unfinished.</summary>
internal sealed class AccessCodesFeature(AccessCodeManager codes) : IBridgeFeature
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        codes.Resume();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
