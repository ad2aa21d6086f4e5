using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Simulator.Tests;

/// <summary>One private mosquitto with a WebSocket listener, shared by the push tests that do not restart it.</summary>
public sealed class PushBrokerFixture : IAsyncLifetime
{
    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await MosquittoBroker.StartAsync(new MosquittoOptions { WebSockets = true });

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

/// <summary>The consumer cloud's push channel (reference section 8): <c>users/wss</c>, publishing, eviction.</summary>
public sealed class PushTests(PushBrokerFixture fixture) : IClassFixture<PushBrokerFixture>
{
    /// <summary>Guards against a hang only; never a timing assertion.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private const string NeighbourEmail = "neighbour@example.com";
    private const string NeighbourPassword = "Other-Horse-9";

    private static SimulatorOptions Options(MosquittoBroker? broker) => TestCloud.DefaultOptions() with
    {
        PushBrokerUrl = broker is null ? null : new Uri(broker.WebSocketUrl),
        PushPublishUrl = broker is null ? null : new Uri(broker.TcpUrl),
        PhoneAppReconnectDelay = TimeSpan.FromMilliseconds(200),
        Accounts =
        [
            .. TestCloud.DefaultOptions().Accounts,
            new AccountDefinition { Email = NeighbourEmail, Password = NeighbourPassword, Locks = [new LockDefinition { Name = "Shed" }] },
        ],
    };

    private static async Task<HttpResponseMessage> PushDetailsAsync(TestCloud cloud, string? identity, bool apiKey = true, bool bearer = true)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "v1/users/wss");
        if (apiKey)
        {
            message.Headers.Add("X-Api-Key", SimulatorDefaults.ApiKey);
        }
        if (bearer)
        {
            message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", cloud.AccessToken);
        }
        if (identity is not null)
        {
            message.Headers.Add("X-Web-Identity-Token", identity);
        }
        return await cloud.Http.SendAsync(message);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> DetailsAsync(TestCloud cloud, string? identity = "")
    {
        using var response = await PushDetailsAsync(cloud, identity == "" ? cloud.IdToken : identity);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Users_wss_answers_a_stable_client_id_a_fresh_presigned_url_and_the_accounts_topic()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
        var identityId = cloud.Simulator.Accounts[0].IdentityId;

        var (status1, first) = await DetailsAsync(cloud);
        var (status2, second) = await DetailsAsync(cloud);

        Assert.Equal(HttpStatusCode.OK, status1);
        Assert.Equal(HttpStatusCode.OK, status2);
        Assert.Equal(first.GetProperty("clientId").GetString(), second.GetProperty("clientId").GetString());
        Assert.Equal(cloud.Admin.PushClientId(TestCloud.Email), first.GetProperty("clientId").GetString());
        var url1 = first.GetProperty("wssUri").GetString()!;
        var url2 = second.GetProperty("wssUri").GetString()!;
        Assert.StartsWith(fixture.Broker.WebSocketUrl + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&", url1, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url1, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Security-Token=", url1, StringComparison.Ordinal);
        Assert.NotEqual(url1, url2);
        Assert.Equal([$"thincloud/users/{identityId}/devices/#"], first.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(2, cloud.Simulator.Calls.Count(ApiEndpoint.GetPushDetails));
    }

    [Fact]
    public async Task The_presigned_url_connects_to_the_broker_with_the_client_id()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
        var (_, details) = await DetailsAsync(cloud);

        await using var connection = new MqttConnection(new MqttClientOptions
        {
            Server = details.GetProperty("wssUri").GetString()!,
            ClientId = details.GetProperty("clientId").GetString()!,
            ProtocolVersion = MqttProtocolVersion.V311,
        });
        var result = await connection.ConnectAsync().WaitAsync(Guard);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Users_wss_needs_the_identity_token_of_the_same_user()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
        var owner = (cloud.AccessToken, cloud.IdToken);
        Assert.Equal(HttpStatusCode.OK, (await cloud.LoginAsync(NeighbourEmail, NeighbourPassword)).Status);
        var neighbourIdToken = cloud.IdToken;
        (cloud.AccessToken, cloud.IdToken) = owner;

        Assert.Equal(HttpStatusCode.Unauthorized, (await DetailsAsync(cloud, identity: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DetailsAsync(cloud, identity: "not.a.token")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await DetailsAsync(cloud, identity: neighbourIdToken)).Status);
        using (var noKey = await PushDetailsAsync(cloud, cloud.IdToken, apiKey: false))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noKey.StatusCode);
        }
        using (var noBearer = await PushDetailsAsync(cloud, cloud.IdToken, bearer: false))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noBearer.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await DetailsAsync(cloud)).Status);

        var oldIdToken = cloud.IdToken;
        cloud.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(HttpStatusCode.OK, (await cloud.LoginAsync()).Status);
        var (expired, body) = await DetailsAsync(cloud, identity: oldIdToken);
        Assert.Equal(HttpStatusCode.Unauthorized, expired);
        Assert.Equal("The incoming token has expired", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Without_a_broker_users_wss_answers_404_like_an_account_without_push()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(null));

        var (status, body) = await DetailsAsync(cloud);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Not Found", body.GetProperty("message").GetString());
        Assert.Throws<InvalidOperationException>(() => cloud.Admin.EvictPush(TestCloud.Email));
    }

    [Fact]
    public async Task Push_disabled_for_an_account_answers_404_until_enabled_again()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));

        cloud.Admin.SetPushEnabled(TestCloud.Email, enabled: false);
        Assert.Equal(HttpStatusCode.NotFound, (await DetailsAsync(cloud)).Status);
        Assert.False(cloud.Admin.PushCounters().Accounts.Single(a => a.Email == TestCloud.Email).Enabled);

        cloud.Admin.SetPushEnabled(TestCloud.Email, enabled: true);
        Assert.Equal(HttpStatusCode.OK, (await DetailsAsync(cloud)).Status);

        cloud.Admin.SetPushEnabled(TestCloud.Email, enabled: false);
        cloud.Admin.Reset();
        Assert.Equal(HttpStatusCode.OK, (await DetailsAsync(cloud)).Status);
    }

    [Fact]
    public async Task Spurious_400s_answer_for_their_count_then_clear()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
        cloud.Admin.FailPushDetails(count: 2);

        var (first, body) = await DetailsAsync(cloud);
        Assert.Equal(HttpStatusCode.BadRequest, first);
        Assert.Equal("Bad Request", body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await DetailsAsync(cloud)).Status);
        Assert.Equal(HttpStatusCode.OK, (await DetailsAsync(cloud)).Status);
        Assert.Equal("Error", cloud.Simulator.Calls.Records().First(r => r.Operation == nameof(ApiEndpoint.GetPushDetails)).Fault);
        // Other endpoints are untouched by a users/wss rule.
        Assert.Empty(cloud.Admin.Faults());
    }

    [Fact]
    public async Task Spurious_400s_at_a_rate_hit_some_calls_and_spare_others_reproducibly()
    {
        async Task<string> RunAsync()
        {
            await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
            cloud.Admin.FailPushDetails(count: null, probability: 0.5);
            var statuses = new List<int>();
            for (var i = 0; i < 30; i++)
            {
                statuses.Add((int)(await DetailsAsync(cloud)).Status);
            }
            Assert.Contains(400, statuses);
            Assert.Contains(200, statuses);
            return string.Join(",", statuses);
        }

        Assert.Equal(await RunAsync(), await RunAsync());
    }

    [Fact]
    public async Task A_change_publishes_the_device_document_as_GET_devices_answers_it_but_with_the_devices_own_name_and_model_not_retained()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
        var identityId = cloud.Simulator.Accounts[0].IdentityId;
        await using var subscriber = await Subscriber.StartAsync(fixture.Broker.TcpUrl, $"thincloud/users/{identityId}/devices/#");

        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        var message = await subscriber.NextAsync(m => Reported(m).GetProperty("attributes").GetProperty("lockState").GetInt32() == 0);

        Assert.Equal($"thincloud/users/{identityId}/devices/{TestCloud.EncodeId}", message.Topic);
        Assert.False(message.Retain);
        Assert.Equal(MqttQualityOfService.AtMostOnce, message.QualityOfService);
        var (status, document) = await cloud.GetAsync("devices/" + TestCloud.EncodeId);
        Assert.Equal(HttpStatusCode.OK, status);
        var reported = System.Text.Json.Nodes.JsonNode.Parse(Reported(message).GetRawText())!.AsObject();
        Assert.Equal(("Encode", "Encode"), ((string?)reported["name"], (string?)reported["modelName"]));
        reported["name"] = document.GetProperty("name").GetString();
        reported["modelName"] = document.GetProperty("modelName").GetString();
        Assert.Equal(JsonSerializer.Serialize(document), reported.ToJsonString());
        Assert.Equal(["reported"], JsonDocument.Parse(message.Payload).RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(cloud.Admin.PushCounters().Published >= 1);
    }

    [Fact]
    public async Task A_change_reaches_only_the_users_of_the_device()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
        await using var subscriber = await Subscriber.StartAsync(fixture.Broker.TcpUrl, "thincloud/users/+/devices/#");
        var neighbour = cloud.Simulator.Accounts.Single(a => a.Email == NeighbourEmail).IdentityId;

        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        var shed = cloud.Admin.Locks().Single(l => l.Name == "Shed").DeviceId;
        cloud.Admin.TurnThumbturn(shed, locked: false);
        // The shed's message comes after the Encode's: everything about the Encode arrived before it.
        var seen = await subscriber.UntilAsync(m => m.Topic.EndsWith(shed, StringComparison.Ordinal));

        Assert.All(seen.Where(m => m.Topic.EndsWith(TestCloud.EncodeId, StringComparison.Ordinal)),
            m => Assert.StartsWith($"thincloud/users/{cloud.Simulator.Accounts[0].IdentityId}/", m.Topic, StringComparison.Ordinal));
        Assert.Equal($"thincloud/users/{neighbour}/devices/{shed}", seen[^1].Topic);
    }

    [Fact]
    public async Task Publishing_survives_the_broker_restarting()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { WebSockets = true });
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(broker));
        var identityId = cloud.Simulator.Accounts[0].IdentityId;
        await using var subscriber = await Subscriber.StartAsync(broker.TcpUrl, $"thincloud/users/{identityId}/devices/#");

        await broker.RestartAsync();
        await subscriber.ResubscribedAsync();
        cloud.Admin.SetBatteryLevel(TestCloud.EncodeId, 42);
        var message = await subscriber.NextAsync(m => Reported(m).GetProperty("attributes").GetProperty("batteryLevel").GetInt32() == 42);

        Assert.EndsWith(TestCloud.EncodeId, message.Topic, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evict_once_kicks_the_client_holding_the_id_and_the_client_can_take_it_back()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
        var clientId = cloud.Admin.PushClientId(TestCloud.Email);
        await using var bridge = await ConnectAsync(fixture.Broker.TcpUrl, clientId);

        cloud.Admin.EvictPush(TestCloud.Email);
        await bridge.Completion.WaitAsync(Guard);
        await WaitUntilAsync(() => cloud.Admin.PushCounters().PhoneAppConnections == 1);

        var record = Assert.Single(cloud.Simulator.Calls.Records(), r => r.Surface == CallSurface.Push);
        Assert.Equal(PushOperations.PhoneAppConnect, record.Operation);
        Assert.Equal(TestCloud.Email, record.Subject);
        Assert.Equal("once", cloud.Admin.PushCounters().Accounts.Single(a => a.Email == TestCloud.Email).Eviction);
        // Taking the id back ends a one-off eviction: the phone app does not return.
        await using var again = await ConnectAsync(fixture.Broker.TcpUrl, clientId);
        await WaitUntilAsync(() => cloud.Admin.PushCounters().Accounts.Single(a => a.Email == TestCloud.Email).Eviction is null);
        Assert.Equal(1, cloud.Admin.PushCounters().PhoneAppConnections);
    }

    [Fact]
    public async Task Persistent_eviction_kicks_the_client_after_every_connect_until_stopped()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
        var clientId = cloud.Admin.PushClientId(TestCloud.Email);
        await using var first = await ConnectAsync(fixture.Broker.TcpUrl, clientId);

        cloud.Admin.EvictPush(TestCloud.Email, persistent: true);
        await first.Completion.WaitAsync(Guard);
        await using var second = await ConnectAsync(fixture.Broker.TcpUrl, clientId);
        await second.Completion.WaitAsync(Guard);
        await WaitUntilAsync(() => cloud.Admin.PushCounters().PhoneAppConnections >= 2);
        Assert.Equal("persistent", cloud.Admin.PushCounters().Accounts.Single(a => a.Email == TestCloud.Email).Eviction);

        Assert.True(cloud.Admin.StopEviction(TestCloud.Email));
        Assert.Null(cloud.Admin.PushCounters().Accounts.Single(a => a.Email == TestCloud.Email).Eviction);
    }

    [Fact]
    public async Task Drop_kicks_the_client_once()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
        var clientId = cloud.Admin.PushClientId(TestCloud.Email);
        await using var bridge = await ConnectAsync(fixture.Broker.TcpUrl, clientId);

        cloud.Admin.DropPush(TestCloud.Email);
        await bridge.Completion.WaitAsync(Guard);
        await WaitUntilAsync(() => cloud.Admin.PushCounters().Accounts.Single(a => a.Email == TestCloud.Email).Eviction is null);

        Assert.Equal(1, cloud.Admin.PushCounters().PhoneAppConnections);
    }

    [Fact]
    public async Task The_admin_HTTP_API_drives_push()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync(Options(fixture.Broker));
        var clientId = cloud.Admin.PushClientId(TestCloud.Email);
        await using var bridge = await ConnectAsync(fixture.Broker.TcpUrl, clientId);

        using (var evict = await cloud.Http.PostAsync("admin/push/evict", Json(new { email = TestCloud.Email })))
        {
            Assert.Equal(HttpStatusCode.OK, evict.StatusCode);
        }
        await bridge.Completion.WaitAsync(Guard);
        await WaitUntilAsync(() => cloud.Admin.PushCounters().PhoneAppConnections == 1);
        using (var disable = await cloud.Http.PostAsync("admin/push/enabled", Json(new { email = TestCloud.Email, enabled = false })))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await DetailsAsync(cloud)).Status);
        using (var fault = await cloud.Http.PostAsync("admin/push/details-fault", Json(new { count = 1 })))
        {
            Assert.Equal(HttpStatusCode.Created, fault.StatusCode);
        }
        Assert.Equal(ApiEndpoint.GetPushDetails, cloud.Admin.Faults().Single().Rule!.Endpoint);
        using (var unknown = await cloud.Http.PostAsync("admin/push/drop", Json(new { email = "nobody@example.com" })))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        var status = JsonDocument.Parse(await cloud.Http.GetStringAsync("admin/push")).RootElement;
        Assert.Equal(1, status.GetProperty("phoneAppConnections").GetInt64());
        var account = status.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("email").GetString() == TestCloud.Email);
        Assert.Equal(clientId, account.GetProperty("clientId").GetString());
        Assert.False(account.GetProperty("enabled").GetBoolean());
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    private static JsonElement Reported(MqttMessage message) => JsonDocument.Parse(message.Payload).RootElement.GetProperty("reported").Clone();

    private static async Task<MqttConnection> ConnectAsync(string server, string clientId)
    {
        var connection = new MqttConnection(new MqttClientOptions { Server = server, ClientId = clientId, ProtocolVersion = MqttProtocolVersion.V311 });
        var result = await connection.ConnectAsync().WaitAsync(Guard);
        Assert.True(result.IsSuccess);
        return connection;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Guard;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition never held.");
            await Task.Delay(10);
        }
    }

    /// <summary>A test-side MQTT client collecting every message on a filter.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly Channel<MqttMessage> _messages = Channel.CreateUnbounded<MqttMessage>();
        private readonly ReconnectingMqttClient _client;
        private readonly string _filter;

        private Subscriber(string server, string filter)
        {
            _filter = filter;
            _client = new ReconnectingMqttClient(
                new MqttClientOptions { Server = server, ClientId = "push-test-" + Guid.NewGuid().ToString("N")[..8], ProtocolVersion = MqttProtocolVersion.V311 },
                new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) });
            _client.MessageReceived = (m, ct) => _messages.Writer.WriteAsync(m, ct);
        }

        public static async Task<Subscriber> StartAsync(string server, string filter)
        {
            var subscriber = new Subscriber(server, filter);
            await subscriber._client.StartAsync();
            var result = await subscriber._client.SubscribeAsync([new MqttSubscription(filter, MqttQualityOfService.AtMostOnce)]).WaitAsync(Guard);
            Assert.True(result.IsSuccess);
            return subscriber;
        }

        /// <summary>After a broker restart: waits until the subscription is back (a fresh SUBSCRIBE is confirmed).</summary>
        public async Task ResubscribedAsync()
        {
            var result = await _client.SubscribeAsync([new MqttSubscription(_filter, MqttQualityOfService.AtMostOnce)]).WaitAsync(Guard);
            Assert.True(result.IsSuccess);
        }

        public async Task<MqttMessage> NextAsync(Func<MqttMessage, bool> match) => (await UntilAsync(match))[^1];

        /// <summary>Every message up to and including the first that matches.</summary>
        public async Task<List<MqttMessage>> UntilAsync(Func<MqttMessage, bool> match)
        {
            using var guard = new CancellationTokenSource(Guard);
            var seen = new List<MqttMessage>();
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(guard.Token);
                seen.Add(message);
                if (match(message))
                {
                    return seen;
                }
            }
        }

        public ValueTask DisposeAsync() => _client.DisposeAsync();
    }
}
