namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>What the bridge has handled since start, for <c>bridge/health</c>.</summary>
internal sealed class BridgeCounters
{
    private long _commands;
    private long _requests;
    private long _retainedDropped;
    private long _rejected;
    private long _publishFailures;

    public long Commands => Interlocked.Read(ref _commands);

    public long Requests => Interlocked.Read(ref _requests);

    public long RetainedDropped => Interlocked.Read(ref _retainedDropped);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long PublishFailures => Interlocked.Read(ref _publishFailures);

    public void Command() => Interlocked.Increment(ref _commands);

    public void Request() => Interlocked.Increment(ref _requests);

    public void RetainedDrop() => Interlocked.Increment(ref _retainedDropped);

    public void Reject() => Interlocked.Increment(ref _rejected);

    public void PublishFailure() => Interlocked.Increment(ref _publishFailures);
}
