using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Fakes;

/// <summary>A push channel the test drives: it changes state and delivers updates on command.</summary>
internal sealed class FakePushChannel(string account) : IPushChannel
{
    public string AccountKey { get; } = account;

    public PushState State { get; private set; } = PushState.Connecting;

    public string? StateDetail { get; private set; }

    public event EventHandler<PushStateChangedEventArgs>? StateChanged;

    public Func<PushedUpdate, CancellationToken, ValueTask>? UpdateReceived { get; set; }

    public bool Started { get; private set; }

    public bool Stopped { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Started = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stopped = true;
        return Task.CompletedTask;
    }

    public void Become(PushState state, string? detail = null)
    {
        State = state;
        StateDetail = detail;
        StateChanged?.Invoke(this, new PushStateChangedEventArgs(state, detail));
    }

    public ValueTask Deliver(PushedUpdate update) => UpdateReceived!(update, CancellationToken.None);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
