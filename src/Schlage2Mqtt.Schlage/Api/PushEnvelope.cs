namespace Schlage2Mqtt.Schlage.Api;

/// <summary>A message of the consumer cloud's push channel: <c>{"reported": &lt;device document&gt;}</c>.</summary>
/// <param name="Reported">The device document as the cloud reports it.</param>
internal sealed record PushEnvelope(SchlageDevice? Reported);
