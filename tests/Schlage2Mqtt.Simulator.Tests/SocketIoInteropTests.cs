using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Schlage2Mqtt.Simulator.Tests;

/// <summary>
/// The reference Socket.IO client (npm socket.io-client, run by node) joins the simulator's subscriber socket, receives
/// data events, answers pings, and sees the server's disconnect and connect_error as socket.io names them: proof that
/// the server speaks Engine.IO v4 / Socket.IO v5, not a private dialect. The simulator's pings come from its manual
/// clock; node's own silence timeout (pingInterval + pingTimeout of wall time) is far longer than a test.
/// </summary>
public sealed class SocketIoInteropTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Reference_client_joins_gets_data_events_answers_pings_and_sees_the_server_disconnect()
    {
        await using var cloud = await StartAsync();
        var id = await SubscriberApiTests.CreateAsync(cloud);
        await using var node = await NodeClient.StartAsync(cloud, id);

        Assert.Equal("connect", (await node.NextAsync()).GetProperty("event").GetString());
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        var data = await node.NextAsync();
        Assert.Equal("data", data.GetProperty("event").GetString());
        var payload = data.GetProperty("payload");
        Assert.Equal("11111111111141118111111111111111", payload.GetProperty("lockID").GetString());
        Assert.Equal("unlock", payload.GetProperty("lockAction").GetString());
        Assert.Equal("init", payload.GetProperty("doorState").GetString());

        for (var i = 1; i <= 2; i++)
        {
            cloud.Time.Advance(cloud.Simulator.Options.SubscriberPingInterval);
            await Until(() => cloud.Admin.Subscribers.List()[0].PongsReceived == i);
        }
        Assert.True(cloud.Admin.Subscribers.Expire(id));

        var disconnect = await node.NextAsync();
        Assert.Equal("disconnect", disconnect.GetProperty("event").GetString());
        Assert.Equal("io server disconnect", disconnect.GetProperty("reason").GetString());
        Assert.Equal(0, await node.ExitAsync());
    }

    [Fact]
    public async Task Reference_client_sees_connect_error_for_an_unknown_subscriber()
    {
        await using var cloud = await StartAsync();
        await using var node = await NodeClient.StartAsync(cloud, "not-a-subscriber");

        var error = await node.NextAsync();

        Assert.Equal("connect_error", error.GetProperty("event").GetString());
        Assert.Equal("Invalid subscriberID", error.GetProperty("message").GetString());
        Assert.Equal(0, await node.ExitAsync());
    }

    private static Task<TestCloud> StartAsync() => TestCloud.StartLoggedInAsync();

    private static async Task Until(Func<bool> condition)
    {
        var guard = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(guard.Elapsed < HangGuard, "The condition never became true.");
            await Task.Delay(10);
        }
    }

    /// <summary>node running subscribe.js; its JSON lines as they come.</summary>
    private sealed class NodeClient : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Channel<JsonElement> _lines = Channel.CreateUnbounded<JsonElement>();
        private readonly List<string> _stderr = [];

        private NodeClient(Process process)
        {
            _process = process;
        }

        public static async Task<NodeClient> StartAsync(TestCloud cloud, string subscriberId)
        {
            var dir = InteropDirectory();
            if (!Directory.Exists(Path.Combine(dir, "node_modules", "socket.io-client")))
            {
                // test.sh runs `npm ci` in every interop folder; this covers a bare `dotnet test`.
                using var npm = Process.Start(new ProcessStartInfo("npm") { WorkingDirectory = dir, ArgumentList = { "ci", "--no-audit", "--no-fund" } })!;
                await npm.WaitForExitAsync();
                Assert.True(npm.ExitCode == 0, "npm ci failed in " + dir);
            }
            var info = new ProcessStartInfo("node")
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                ArgumentList = { "subscribe.js", cloud.Simulator.BaseUrl.GetLeftPart(UriPartial.Authority), "/partner/socket.io/", subscriberId },
            };
            var process = new Process { StartInfo = info };
            var client = new NodeClient(process);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && line.StartsWith('{'))
                {
                    client._lines.Writer.TryWrite(JsonDocument.Parse(line).RootElement.Clone());
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    lock (client._stderr)
                    {
                        client._stderr.Add(line);
                    }
                }
            };
            Assert.True(process.Start(), "could not start node");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return client;
        }

        public async Task<JsonElement> NextAsync()
        {
            using var guard = new CancellationTokenSource(HangGuard);
            try
            {
                return await _lines.Reader.ReadAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                lock (_stderr)
                {
                    Assert.Fail("node printed nothing more; stderr: " + string.Join('\n', _stderr));
                }
                throw;
            }
        }

        public async Task<int> ExitAsync()
        {
            using var guard = new CancellationTokenSource(HangGuard);
            await _process.WaitForExitAsync(guard.Token);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }

        private static string InteropDirectory()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "Schlage2Mqtt.Simulator.Tests", "socketio-interop");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException("tests/Schlage2Mqtt.Simulator.Tests/socketio-interop not found above " + AppContext.BaseDirectory);
        }
    }
}
