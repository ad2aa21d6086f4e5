using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Simulator.Tests;

/// <summary>Waits for the server to have armed a timer on the manual clock (an in-flight request parked on it).</summary>
internal static class Waits
{
    public static async Task UntilTimersAsync(ManualTimeProvider time, int count)
    {
        // A guard against hanging forever, not a timing assertion: the server arms its timer within microseconds.
        var guard = DateTime.UtcNow.AddSeconds(30);
        while (time.ActiveTimerCount < count)
        {
            Assert.True(DateTime.UtcNow < guard, "The server never armed its timer.");
            await Task.Yield();
        }
    }
}
