namespace Schlage2Mqtt.Simulator;

/// <summary>
/// The world <c>schlage2mqtt demo</c> and <c>schlage2mqtt simulator</c> play: one account with three
/// locks of different models and a few access codes (always, recurring, temporary).
/// </summary>
public static class DemoWorld
{
    /// <summary>The demo account's login email.</summary>
    public const string Email = "demo@schlage2mqtt.invalid";

    /// <summary>The demo account's password.</summary>
    public const string Password = "Demo-Passw0rd!";

    /// <summary>Front Door, an Encode Plus.</summary>
    public const string FrontDoorId = "f0000000-0000-4000-8000-000000000001";

    /// <summary>Back Door, an Encode.</summary>
    public const string BackDoorId = "b0000000-0000-4000-8000-000000000002";

    /// <summary>Garage Side, a Sense behind a bridge.</summary>
    public const string GarageSideId = "9a000000-0000-4000-8000-000000000003";

    /// <summary>Options for the demo world.</summary>
    /// <param name="seed">Seed for generated ids.</param>
    /// <param name="port">Port on 127.0.0.1; 0 picks a free one.</param>
    /// <param name="commandLatency">How long locks take to act on remote commands (default 2 s).</param>
    public static SimulatorOptions CreateOptions(int seed = 1, int port = 0, TimeSpan? commandLatency = null) => new()
    {
        Seed = seed,
        Port = port,
        CommandLatency = commandLatency ?? TimeSpan.FromSeconds(2),
        Accounts =
        [
            new AccountDefinition
            {
                Email = Email,
                Password = Password,
                FriendlyName = "Demo Household",
                Locks =
                [
                    new LockDefinition
                    {
                        DeviceId = FrontDoorId,
                        Name = "Front Door",
                        Model = LockModel.EncodePlus,
                        LockState = 1,
                        BatteryLevel = 87,
                        AutoLockTime = 0,
                        AccessCodes =
                        [
                            new AccessCodeDefinition { Name = "Family", Code = "2580" },
                            new AccessCodeDefinition { Name = "Dogwalker", Code = "1357", DaysOfWeek = "3E", StartHour = 10, EndHour = 14, EndMinute = 0 },
                        ],
                    },
                    new LockDefinition
                    {
                        DeviceId = BackDoorId,
                        Name = "Back Door",
                        Model = LockModel.Encode,
                        LockState = 0,
                        BatteryLevel = 64,
                        AutoLockTime = 120,
                        AccessCodes =
                        [
                            new AccessCodeDefinition { Name = "Family", Code = "2580" },
                            new AccessCodeDefinition { Name = "Guest", Code = "8642", ActivationSecs = 1_767_225_600, ExpirationSecs = 1_893_456_000 },
                        ],
                    },
                    new LockDefinition
                    {
                        DeviceId = GarageSideId,
                        Name = "Garage Side",
                        Model = LockModel.Sense,
                        LockState = 1,
                        BatteryLevel = 41,
                        AutoLockTime = 30,
                        AccessCodes = [new AccessCodeDefinition { Name = "Family", Code = "2580" }],
                    },
                ],
            },
        ],
    };
}
