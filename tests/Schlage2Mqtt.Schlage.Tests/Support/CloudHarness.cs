using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Provider;
using Schlage2Mqtt.Schlage.Tests.Fakes;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Schlage.Tests.Support;

/// <summary>A fake cloud, a manual clock, captured logs and a token store, wired for one test.</summary>
internal sealed class CloudHarness : IDisposable
{
    public const string Email = "alice@example.com";
    public const string Password = "Correct-Horse-9!";

    private readonly List<IDisposable> _owned = [];

    public CloudHarness(string? clientSecret = "fake-client-secret")
    {
        Cloud = new FakeSchlageCloud(Time, clientSecret);
        Http = new HttpClient(Cloud, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        User = Cloud.AddUser(Email, Password);
    }

    public ManualTimeProvider Time { get; } = new();

    public FakeSchlageCloud Cloud { get; }

    public HttpClient Http { get; }

    public FakeUser User { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public InMemoryRefreshTokenStore Store { get; } = new();

    public static SchlageAccountOptions PasswordAccount(string key = "home") =>
        new() { Key = key, Username = Email, Password = Password };

    public SchlageLockCloudProvider Provider(SchlageAccountOptions account, Func<SchlageCloudOptions, SchlageCloudOptions>? tweak = null)
    {
        var options = Cloud.Options(account);
        options = tweak?.Invoke(options) ?? options;
        // A fixed jitter draw keeps retry delays reproducible.
        var provider = new SchlageLockCloudProvider(options, Store, Http, Time, Logs, null, () => 0.5);
        _owned.Add(provider);
        return provider;
    }

    public SchlageLockAccount Account(SchlageAccountOptions? account = null, Func<SchlageCloudOptions, SchlageCloudOptions>? tweak = null) =>
        Provider(account ?? PasswordAccount(), tweak).Account((account ?? PasswordAccount()).Key);

    public SchlageLogin Login() => new(Cloud.Options(), Store, Http, Time, Logs);

    /// <summary>
    /// Runs a task that waits on the manual clock: lets pending continuations run, then moves the clock
    /// a step, until the task ends. Assertions never depend on how many steps it took.
    /// </summary>
    public async Task<T> Drive<T>(Task<T> task, TimeSpan? step = null, int maxSteps = 2000)
    {
        var by = step ?? TimeSpan.FromSeconds(1);
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            for (var spin = 0; spin < 20 && !task.IsCompleted; spin++)
            {
                await Task.Yield();
                Thread.Yield();
            }
            // A burst of 1,000 calls releases that many continuations in one step: let them run first.
            await ThreadPoolQuiet.WaitAsync(() => task.IsCompleted);
            if (!task.IsCompleted)
            {
                Time.Advance(by);
            }
        }
        Assert.True(task.IsCompleted, $"The operation did not finish within {maxSteps} clock steps.");
        return await task;
    }

    public void Dispose()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }
        Http.Dispose();
        Cloud.Dispose();
    }
}
