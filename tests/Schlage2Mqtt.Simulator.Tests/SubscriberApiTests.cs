using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Tests;

/// <summary>The seed-004 subscriber API under /partner and its Socket.IO websocket, spoken to byte by byte.</summary>
public sealed class SubscriberApiTests
{
    private const string Neighbour = "neighbour@example.com";
    private const string NeighbourPassword = "Neighbour-9";
    private const string NeighbourLockId = "55555555-5555-4555-8555-555555555555";
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    private static SimulatorOptions Options() => TestCloud.DefaultOptions() with
    {
        SubscriberPingInterval = PingInterval,
        SubscriberPingTimeout = PingTimeout,
        Accounts =
        [
            .. TestCloud.DefaultOptions().Accounts,
            new AccountDefinition
            {
                Email = Neighbour,
                Password = NeighbourPassword,
                Locks = [new LockDefinition { DeviceId = NeighbourLockId, Name = "Next door", Model = LockModel.EncodePlus }],
            },
        ],
    };

    [Fact]
    public async Task A_subscriber_is_created_read_and_deleted_and_each_call_is_logged()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());

        var (status, created) = await PartnerAsync(cloud, HttpMethod.Post, "websocket/subscribers", """{"scopes":["lock"]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var id = created.GetProperty("subscriberID").GetString()!;
        Assert.Equal(["lock"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(cloud.Simulator.Accounts[0].IdentityId, created.GetProperty("userID").GetString());
        Assert.False(string.IsNullOrEmpty(created.GetProperty("clientID").GetString()));

        var (readStatus, read) = await PartnerAsync(cloud, HttpMethod.Get, "websocket/subscribers/" + id);
        Assert.Equal(HttpStatusCode.OK, readStatus);
        Assert.Equal(id, read.GetProperty("subscriberID").GetString());
        Assert.Equal(TestCloud.Email, Assert.Single(cloud.Admin.Subscribers.List()).AccountEmail);

        var (deleteStatus, deleted) = await PartnerAsync(cloud, HttpMethod.Delete, "websocket/subscribers/" + id);
        Assert.Equal(HttpStatusCode.OK, deleteStatus);
        Assert.Equal("success", deleted.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await PartnerAsync(cloud, HttpMethod.Get, "websocket/subscribers/" + id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PartnerAsync(cloud, HttpMethod.Delete, "websocket/subscribers/" + id)).Status);
        Assert.Empty(cloud.Admin.Subscribers.List());

        Assert.Equal(1, cloud.Simulator.Calls.Count(ApiEndpoint.CreateSubscriber));
        Assert.Equal(2, cloud.Simulator.Calls.Count(ApiEndpoint.GetSubscriber));
        Assert.Equal(2, cloud.Simulator.Calls.Count(ApiEndpoint.DeleteSubscriber));
    }

    [Fact]
    public async Task Subscriber_routes_check_key_token_scopes_and_owner()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());
        var ownerToken = cloud.AccessToken!;

        Assert.Equal(HttpStatusCode.Forbidden, (await PartnerAsync(cloud, HttpMethod.Post, "websocket/subscribers", """{"scopes":["lock"]}""", apiKey: false)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PartnerAsync(cloud, HttpMethod.Post, "websocket/subscribers", """{"scopes":["lock"]}""", token: "nope")).Status);
        foreach (var bad in new[] { """{"scopes":[]}""", """{"scopes":["door"]}""", """{"scopes":["lock","lock"]}""", "{}", """{"scopes":"lock"}""" })
        {
            var (status, body) = await PartnerAsync(cloud, HttpMethod.Post, "websocket/subscribers", bad);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("scopes", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var id = await CreateAsync(cloud);
        Assert.Equal(HttpStatusCode.OK, (await cloud.LoginAsync(Neighbour, NeighbourPassword)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PartnerAsync(cloud, HttpMethod.Get, "websocket/subscribers/" + id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PartnerAsync(cloud, HttpMethod.Delete, "websocket/subscribers/" + id)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(cloud, HttpMethod.Get, "websocket/subscribers/" + id, token: ownerToken)).Status);
    }

    [Fact]
    public async Task A_disabled_api_answers_404_to_every_route_and_the_socket()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());
        var id = await CreateAsync(cloud);

        cloud.Admin.Subscribers.Enabled = false;

        Assert.Equal(HttpStatusCode.NotFound, (await PartnerAsync(cloud, HttpMethod.Post, "websocket/subscribers", """{"scopes":["lock"]}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PartnerAsync(cloud, HttpMethod.Get, "websocket/subscribers/" + id)).Status);
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(SocketUrl(cloud, id), Guard()));
        Assert.Equal(HttpStatusCode.NotFound, socket.HttpStatusCode);
    }

    [Fact]
    public async Task The_socket_refuses_other_engine_io_versions_and_the_polling_transport()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());
        var id = await CreateAsync(cloud);

        using var v3 = await cloud.Http.GetAsync($"partner/socket.io/?EIO=3&transport=websocket&subscriberID={id}");
        Assert.Equal(HttpStatusCode.BadRequest, v3.StatusCode);
        Assert.Equal(5, JsonDocument.Parse(await v3.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetInt32());
        using var polling = await cloud.Http.GetAsync($"partner/socket.io/?EIO=4&transport=polling&subscriberID={id}");
        Assert.Equal(HttpStatusCode.BadRequest, polling.StatusCode);
        Assert.Equal("Transport unknown", JsonDocument.Parse(await polling.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        Assert.DoesNotContain(cloud.Simulator.Calls.Records(), r => r.Path.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_joined_socket_gets_data_events_for_its_users_locks_only()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());
        var id = await CreateAsync(cloud);
        await using var socket = await RawSocket.ConnectAsync(cloud, id);

        var open = await socket.OpenAsync();
        Assert.Equal(10_000, open.GetProperty("pingInterval").GetInt32());
        Assert.Equal(5_000, open.GetProperty("pingTimeout").GetInt32());
        Assert.Empty(open.GetProperty("upgrades").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(open.GetProperty("sid").GetString()));
        await socket.SendAsync("40");
        var ack = await socket.ReceiveAsync();
        Assert.StartsWith("40{\"sid\":", ack, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(cloud.Admin.Subscribers.List()).Connections);

        cloud.Admin.TurnThumbturn(NeighbourLockId, locked: false);
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        cloud.Admin.SetDoorState(TestCloud.EncodePlusId, 1);
        cloud.Admin.SetBatteryLevel(TestCloud.EncodeId, 50);
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: true);

        Assert.Equal("""42["data",{"lockID":"11111111111141118111111111111111","lockAction":"unlock","doorState":"init"}]""", await socket.ReceiveAsync());
        Assert.Equal("""42["data",{"lockID":"22222222222242228222222222222222","lockAction":"unlock","doorState":"open"}]""", await socket.ReceiveAsync());
        // The battery changed neither bolt nor door: no event.
        Assert.Equal("""42["data",{"lockID":"11111111111141118111111111111111","lockAction":"lock","doorState":"init"}]""", await socket.ReceiveAsync());
        Assert.Equal(3, Assert.Single(cloud.Admin.Subscribers.List()).EventsSent);
    }

    [Fact]
    public async Task An_unknown_subscriber_or_namespace_gets_connect_error()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());
        var id = await CreateAsync(cloud);

        await using (var unknown = await RawSocket.ConnectAsync(cloud, "not-a-subscriber"))
        {
            await unknown.OpenAsync();
            await unknown.SendAsync("40");
            Assert.Equal("""44{"message":"Invalid subscriberID"}""", await unknown.ReceiveAsync());
        }
        await using var other = await RawSocket.ConnectAsync(cloud, id);
        await other.OpenAsync();
        await other.SendAsync("40/admin,");
        Assert.Equal("""44/admin,{"message":"Invalid namespace"}""", await other.ReceiveAsync());
    }

    [Fact]
    public async Task The_server_pings_every_interval_and_closes_a_socket_that_does_not_pong()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());
        var id = await CreateAsync(cloud);
        await using var socket = await RawSocket.ConnectAsync(cloud, id);
        await socket.JoinAsync();

        for (var i = 1; i <= 3; i++)
        {
            cloud.Time.Advance(PingInterval);
            Assert.Equal("2", await socket.ReceiveAsync());
            await socket.SendAsync("3");
            await Until(() => cloud.Admin.Subscribers.List()[0].PongsReceived == i);
        }
        Assert.Equal(3, cloud.Admin.Subscribers.List()[0].PingsSent);

        cloud.Time.Advance(PingInterval);
        Assert.Equal("2", await socket.ReceiveAsync());
        cloud.Time.Advance(PingTimeout);
        Assert.Null(await socket.ReceiveAsync());
        await Until(() => cloud.Admin.Subscribers.List()[0].Connections == 0);
    }

    [Fact]
    public async Task An_expired_subscriber_is_disconnected_and_a_new_join_is_refused()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());
        var id = await CreateAsync(cloud);
        await using var socket = await RawSocket.ConnectAsync(cloud, id);
        await socket.JoinAsync();

        Assert.True(cloud.Admin.Subscribers.Expire(id));

        Assert.Equal("41", await socket.ReceiveAsync());
        Assert.Null(await socket.ReceiveAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await PartnerAsync(cloud, HttpMethod.Get, "websocket/subscribers/" + id)).Status);
        await using var again = await RawSocket.ConnectAsync(cloud, id);
        await again.OpenAsync();
        await again.SendAsync("40");
        Assert.StartsWith("44", await again.ReceiveAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dropped_connections_break_without_a_close_handshake_and_the_subscriber_stays()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());
        var id = await CreateAsync(cloud);
        await using var socket = await RawSocket.ConnectAsync(cloud, id);
        await socket.JoinAsync();

        Assert.Equal(1, cloud.Admin.Subscribers.DropConnections());

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ReceiveAsync());
        await Until(() => cloud.Admin.Subscribers.List()[0].Connections == 0);
        Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(cloud, HttpMethod.Get, "websocket/subscribers/" + id)).Status);
    }

    [Fact]
    public async Task Admin_http_lists_expires_drops_and_switches_the_api()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());
        var id = await CreateAsync(cloud);
        var admin = "admin/subscribers";

        var list = JsonDocument.Parse(await cloud.Http.GetStringAsync(admin)).RootElement;
        Assert.Equal(id, list[0].GetProperty("subscriberId").GetString());
        using (var r = await cloud.Http.PostAsync(admin + "/disable", null))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        Assert.False(cloud.Admin.Subscribers.Enabled);
        using (var r = await cloud.Http.PostAsync(admin + "/enable", null))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        Assert.True(cloud.Admin.Subscribers.Enabled);
        using (var r = await cloud.Http.PostAsync(admin + "/drop-connections", null))
        {
            Assert.Equal(0, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt32());
        }
        using (var r = await cloud.Http.PostAsync(admin + "/expire?email=" + TestCloud.Email, null))
        {
            Assert.Equal(1, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt32());
        }
        Assert.Empty(cloud.Admin.Subscribers.List());
    }

    [Fact]
    public async Task Reset_forgets_subscribers_and_enables_the_api()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options());
        await CreateAsync(cloud);
        cloud.Admin.Subscribers.Enabled = false;

        cloud.Admin.Reset();

        Assert.Empty(cloud.Admin.Subscribers.List());
        Assert.True(cloud.Admin.Subscribers.Enabled);
    }

    internal static async Task<string> CreateAsync(TestCloud cloud)
    {
        var (status, body) = await PartnerAsync(cloud, HttpMethod.Post, "websocket/subscribers", """{"scopes":["lock"]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("subscriberID").GetString()!;
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> PartnerAsync(TestCloud cloud, HttpMethod method, string path,
        string? json = null, string? token = null, bool apiKey = true)
    {
        using var message = new HttpRequestMessage(method, "partner/" + path);
        if (apiKey)
        {
            message.Headers.Add("X-Api-Key", SimulatorDefaults.ApiKey);
        }
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? cloud.AccessToken);
        if (json is not null)
        {
            message.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await cloud.Http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    internal static Uri SocketUrl(TestCloud cloud, string subscriberId) =>
        new($"ws://127.0.0.1:{cloud.Simulator.Port}/partner/socket.io/?EIO=4&transport=websocket&subscriberID={Uri.EscapeDataString(subscriberId)}");

    /// <summary>Guards against a hang only; never a timing assertion.</summary>
    internal static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static async Task Until(Func<bool> condition)
    {
        var guard = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < guard, "The condition never became true.");
            await Task.Yield();
        }
    }

    /// <summary>A websocket speaking Engine.IO packets as text frames, nothing more.</summary>
    internal sealed class RawSocket : IAsyncDisposable
    {
        private readonly ClientWebSocket _ws = new();

        public static async Task<RawSocket> ConnectAsync(TestCloud cloud, string subscriberId)
        {
            var socket = new RawSocket();
            await socket._ws.ConnectAsync(SocketUrl(cloud, subscriberId), Guard());
            return socket;
        }

        public async Task<JsonElement> OpenAsync()
        {
            var open = await ReceiveAsync();
            Assert.NotNull(open);
            Assert.StartsWith("0{", open, StringComparison.Ordinal);
            return JsonDocument.Parse(open[1..]).RootElement.Clone();
        }

        public async Task JoinAsync()
        {
            await OpenAsync();
            await SendAsync("40");
            Assert.StartsWith("40{", await ReceiveAsync(), StringComparison.Ordinal);
        }

        public Task SendAsync(string packet) => _ws.SendAsync(Encoding.UTF8.GetBytes(packet), WebSocketMessageType.Text, true, Guard());

        /// <summary>The next text packet, or null when the server closed the websocket.</summary>
        public async Task<string?> ReceiveAsync()
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await _ws.ReceiveAsync(buffer, Guard());
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            return Encoding.UTF8.GetString(message.ToArray());
        }

        public ValueTask DisposeAsync()
        {
            _ws.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
