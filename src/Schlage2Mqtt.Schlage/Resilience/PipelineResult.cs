using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Resilience;

/// <summary>What the resilience pipeline produced: an answer, or a failure without one.</summary>
internal sealed record PipelineResult(ApiResponse? Response, CloudFailure? Failure);
