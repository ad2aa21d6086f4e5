namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>Counts HTTP requests under way, so the manual-clock driver knows when the bridge has gone quiet.</summary>
internal sealed class InFlightHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
