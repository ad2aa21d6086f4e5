using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Simulator.Push;

/// <summary>How the simulated phone app behaves.</summary>
internal enum PhoneAppMode
{
    /// <summary>Connects once and stays until something takes the client id back.</summary>
    Once,

    /// <summary>Reconnects (after a delay) every time it is kicked, until stopped: whoever else uses the client id is kicked shortly after every connect.</summary>
    Persistent,

    /// <summary>Connects and disconnects at once: the other client loses its connection once.</summary>
    Drop,
}

/// <summary>
/// The Schlage Home app on a phone: an MQTT client with the account's client id. The broker keeps one connection per
/// client id, so each connection it makes drops whoever held the id (the bridge). Runs on real time: it is a client
/// of a real broker, not part of the simulated world.
/// </summary>
internal sealed class PhoneApp : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _clientId;
    private readonly PhoneAppMode _mode;
    private readonly TimeSpan _reconnectDelay;
    private readonly ILogger _logger;
    private readonly Action _connected;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public PhoneApp(string server, string clientId, PhoneAppMode mode, TimeSpan reconnectDelay, ILogger logger, Action connected)
    {
        _server = server;
        _clientId = clientId;
        _mode = mode;
        _reconnectDelay = reconnectDelay;
        _logger = logger;
        _connected = connected;
        _run = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    public PhoneAppMode Mode => _mode;

    /// <summary>Completes when the app has finished (a drop or once-eviction that ended, or stopped).</summary>
    public Task Completion => _run;

    public bool IsRunning => !_run.IsCompleted;

    /// <summary>Stops reconnecting and disconnects.</summary>
    public void Stop() => _stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var options = new MqttClientOptions
                {
                    Server = _server,
                    ClientId = _clientId,
                    ProtocolVersion = MqttProtocolVersion.V311,
                    CleanStart = true,
                    KeepAlive = TimeSpan.FromSeconds(60),
                };
                await using var connection = new MqttConnection(options, null, TimeProvider.System);
                var result = await connection.ConnectAsync(stop);
                if (result.IsSuccess)
                {
                    _connected();
                    _logger.LogDebug("Phone app connected with client id {ClientId} ({Mode})", _clientId, _mode);
                    if (_mode == PhoneAppMode.Drop)
                    {
                        await connection.DisconnectAsync(cancellationToken: stop);
                        return;
                    }
                    // Until the other client takes the id back (or the broker goes away).
                    await connection.Completion.WaitAsync(stop);
                    _logger.LogDebug("Phone app with client id {ClientId} was disconnected", _clientId);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is MqttException or IOException or System.Net.Sockets.SocketException or System.Net.WebSockets.WebSocketException)
            {
                _logger.LogDebug("Phone app could not connect: {Error}", e.Message);
            }
            if (_mode != PhoneAppMode.Persistent)
            {
                return;
            }
            try
            {
                await Task.Delay(_reconnectDelay, TimeProvider.System, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
