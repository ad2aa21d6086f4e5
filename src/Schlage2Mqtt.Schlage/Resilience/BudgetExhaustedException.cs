namespace Schlage2Mqtt.Schlage.Resilience;

/// <summary>Thrown inside the pipeline when the call budget had no room in time; never escapes it.</summary>
internal sealed class BudgetExhaustedException(TimeSpan retryAfter) : Exception("The client-side call budget is exhausted.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
