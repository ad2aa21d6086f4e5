namespace Schlage2Mqtt.Schlage.Tests.Fakes;

/// <summary>A REST request as the fake saw it.</summary>
internal sealed record RecordedRequest(DateTimeOffset At, string Method, string Path, string? Body, int Status, string? Authorization, string? ApiKey);
