using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Simulator.Tests;

/// <summary>A started simulator on a manual clock plus a raw HTTP client speaking the cloud's wire format.</summary>
internal sealed class TestCloud : IAsyncDisposable
{
    public const string Email = "owner@example.com";
    public const string Password = "Correct-Horse-9";
    public const string EncodeId = "11111111-1111-4111-8111-111111111111";
    public const string EncodePlusId = "22222222-2222-4222-8222-222222222222";
    public const string LeverId = "33333333-3333-4333-8333-333333333333";
    public const string SenseId = "44444444-4444-4444-8444-444444444444";

    private TestCloud(SchlageCloudSimulator simulator, ManualTimeProvider time)
    {
        Simulator = simulator;
        Time = time;
        Http = new HttpClient { BaseAddress = simulator.BaseUrl };
    }

    public SchlageCloudSimulator Simulator { get; }

    public SimulatorAdmin Admin => Simulator.Admin;

    public ManualTimeProvider Time { get; }

    public HttpClient Http { get; }

    public string? AccessToken { get; set; }

    public string? IdToken { get; set; }

    public string? RefreshToken { get; set; }

    public static SimulatorOptions DefaultOptions(int seed = 7) => new()
    {
        Seed = seed,
        CommandLatency = TimeSpan.FromSeconds(5),
        Accounts =
        [
            new AccountDefinition
            {
                Email = Email,
                Password = Password,
                FriendlyName = "Owner",
                Locks =
                [
                    new LockDefinition
                    {
                        DeviceId = EncodeId,
                        Name = "Front",
                        Model = LockModel.Encode,
                        AccessCodes = [new AccessCodeDefinition { Name = "Family", Code = "1234" }],
                    },
                    new LockDefinition { DeviceId = EncodePlusId, Name = "Back", Model = LockModel.EncodePlus, LockState = 0 },
                    new LockDefinition { DeviceId = LeverId, Name = "Office", Model = LockModel.EncodeLever },
                    new LockDefinition { DeviceId = SenseId, Name = "Garage", Model = LockModel.Sense },
                ],
            },
        ],
    };

    public static async Task<TestCloud> StartAsync(SimulatorOptions? options = null, ManualTimeProvider? time = null)
    {
        time ??= new ManualTimeProvider();
        var simulator = new SchlageCloudSimulator(options ?? DefaultOptions(), time);
        await simulator.StartAsync();
        return new TestCloud(simulator, time);
    }

    /// <summary>Starts and logs in the default account with the secret-bearing app client.</summary>
    public static async Task<TestCloud> StartLoggedInAsync(SimulatorOptions? options = null)
    {
        var cloud = await StartAsync(options);
        var (status, body) = await cloud.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        _ = body;
        return cloud;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> CognitoAsync(string operation, object request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, Simulator.CognitoUrl)
        {
            Content = new StringContent(JsonSerializer.Serialize(request), Encoding.UTF8),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        message.Headers.Add("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        using var response = await Http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A full SRP login with the test-side client; stores the tokens on success.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> LoginAsync(
        string username = Email,
        string password = Password,
        string clientId = SimulatorDefaults.ClientId,
        string? secret = SimulatorDefaults.ClientSecret,
        Func<DateTimeOffset, string>? timestamp = null,
        string? secretHashUsername = null)
    {
        var srp = new TestSrpClient(seed: 99);
        var auth = new Dictionary<string, string> { ["USERNAME"] = username, ["SRP_A"] = srp.SrpA };
        if (secret is not null)
        {
            auth["SECRET_HASH"] = TestSrpClient.SecretHash(secret, username, clientId);
        }
        var (status, challenge) = await CognitoAsync("InitiateAuth", new { AuthFlow = "USER_SRP_AUTH", ClientId = clientId, AuthParameters = auth });
        if (status != HttpStatusCode.OK)
        {
            return (status, challenge);
        }
        var p = challenge.GetProperty("ChallengeParameters");
        var userId = p.GetProperty("USER_ID_FOR_SRP").GetString()!;
        var ts = (timestamp ?? TestSrpClient.TimestampFor)(Time.GetUtcNow());
        var signature = srp.Signature(Simulator.PoolName, userId, password, p.GetProperty("SALT").GetString()!,
            p.GetProperty("SRP_B").GetString()!, p.GetProperty("SECRET_BLOCK").GetString()!, ts);
        var responses = new Dictionary<string, string>
        {
            ["USERNAME"] = p.GetProperty("USERNAME").GetString()!,
            ["TIMESTAMP"] = ts,
            ["PASSWORD_CLAIM_SECRET_BLOCK"] = p.GetProperty("SECRET_BLOCK").GetString()!,
            ["PASSWORD_CLAIM_SIGNATURE"] = signature,
        };
        if (secret is not null)
        {
            responses["SECRET_HASH"] = TestSrpClient.SecretHash(secret, secretHashUsername ?? responses["USERNAME"], clientId);
        }
        var result = await CognitoAsync("RespondToAuthChallenge", new { ChallengeName = "PASSWORD_VERIFIER", ClientId = clientId, ChallengeResponses = responses });
        if (result.Status == HttpStatusCode.OK)
        {
            var tokens = result.Body.GetProperty("AuthenticationResult");
            AccessToken = tokens.GetProperty(nameof(AccessToken)).GetString();
            IdToken = tokens.GetProperty(nameof(IdToken)).GetString();
            RefreshToken = tokens.GetProperty(nameof(RefreshToken)).GetString();
        }
        return result;
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string secretHashUsername, string clientId = SimulatorDefaults.ClientId,
        string? secret = SimulatorDefaults.ClientSecret)
    {
        var auth = new Dictionary<string, string> { ["REFRESH_TOKEN"] = RefreshToken! };
        if (secret is not null)
        {
            auth["SECRET_HASH"] = TestSrpClient.SecretHash(secret, secretHashUsername, clientId);
        }
        return CognitoAsync("InitiateAuth", new { AuthFlow = "REFRESH_TOKEN_AUTH", ClientId = clientId, AuthParameters = auth });
    }

    public string UserIdForSrp => Simulator.Accounts[0].UserIdForSrp;

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, string? token = null,
        bool apiKey = true, bool bearer = true)
    {
        using var message = new HttpRequestMessage(method, "v1/" + path);
        if (apiKey)
        {
            message.Headers.Add("X-Api-Key", SimulatorDefaults.ApiKey);
        }
        if (bearer)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AccessToken);
        }
        if (json is not null)
        {
            message.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return await Http.SendAsync(message);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> JsonAsync(HttpMethod method, string path, string? json = null, string? token = null)
    {
        using var response = await SendAsync(method, path, json, token);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => JsonAsync(HttpMethod.Get, path);

    public async Task<JsonElement> DeviceAsync(string deviceId)
    {
        var (status, body) = await GetAsync("devices/" + deviceId);
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    public async Task<int> LockStateAsync(string deviceId) =>
        (await DeviceAsync(deviceId)).GetProperty("attributes").GetProperty("lockState").GetInt32();

    public Task<(HttpStatusCode Status, JsonElement Body)> CommandAsync(string deviceId, string json, bool async = false) =>
        JsonAsync(HttpMethod.Post, $"devices/{deviceId}/commands{(async ? "?async=true" : string.Empty)}", json);

    /// <summary>An addaccesscode command body; <paramref name="tweak"/> edits the data object before it is sent.</summary>
    public static string AddCode(string name, long code, int? length = null, Action<Dictionary<string, object?>>? tweak = null)
    {
        var data = new Dictionary<string, object?>
        {
            ["friendlyName"] = name,
            ["accessCode"] = code,
            ["notificationEnabled"] = 0,
            ["disabled"] = 0,
            ["activationSecs"] = 0,
            ["expirationSecs"] = 4294967295L,
            ["schedule1"] = new { daysOfWeek = "7F", startHour = 0, startMinute = 0, endHour = 23, endMinute = 59 },
        };
        if (length is not null)
        {
            data["accessCodeLength"] = length;
        }
        tweak?.Invoke(data);
        return JsonSerializer.Serialize(new { name = "addaccesscode", data });
    }

    public static string CodeCommand(string command, string accesscodeId, Action<Dictionary<string, object?>>? tweak = null)
    {
        var data = new Dictionary<string, object?> { ["accesscodeId"] = accesscodeId };
        tweak?.Invoke(data);
        return JsonSerializer.Serialize(new { name = command, data });
    }

    /// <summary>A deleteaccesscode body as pyschlage and Home Assistant send it: the code object as listed, with its id.</summary>
    public static string DeleteCode(JsonElement listed) =>
        $$"""{"name":"deleteaccesscode","data":{{listed.GetRawText()}}}""";

    public async Task<IReadOnlyList<JsonElement>> CodesAsync(string deviceId)
    {
        var (status, body) = await GetAsync($"devices/{deviceId}/storage/accesscode");
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.EnumerateArray()];
    }

    public async Task<IReadOnlyList<JsonElement>> LogsAsync(string deviceId, int limit = 50)
    {
        var (status, body) = await GetAsync($"devices/{deviceId}/logs?limit={limit}&sort=desc");
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.EnumerateArray()];
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}
