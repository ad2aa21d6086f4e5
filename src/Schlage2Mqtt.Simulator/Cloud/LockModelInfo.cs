namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>What a model fixes: type id, model name, how it is locked remotely, its auto-lock choices.</summary>
internal sealed record LockModelInfo(
    LockModel Model,
    string DevicetypeId,
    string ModelName,
    bool IsWifi,
    IReadOnlyList<int> AutoLockTimes,
    bool HasDoorSensor)
{
    // Auto-lock choices per model come from reference section 3 (the app's arrays.xml).
    private static readonly LockModelInfo EncodeInfo = new(LockModel.Encode, "be489wifi", "BE489WB CEN 619", true, [0, 15, 30, 60, 120, 240, 360, 600], false);
    private static readonly LockModelInfo EncodePlusInfo = new(LockModel.EncodePlus, "be499wifi", "BE499WB CEN 619", true, [0, 15, 30, 60, 120, 240, 300], true);
    private static readonly LockModelInfo EncodeLeverInfo = new(LockModel.EncodeLever, "fe789wifi", "FE789WB RHO 619", true, [0, 5, 15, 30, 60, 120, 240, 360, 600], false);
    private static readonly LockModelInfo SenseInfo = new(LockModel.Sense, "be479", "BE479CEN619", false, [0, 15, 30, 60, 120, 240], false);

    /// <summary>
    /// The name and model a device reports of itself on the push channel ("Encode"), not the user's name nor the SKU
    /// the REST documents carry (reference section 8).
    /// </summary>
    public string OwnName => Model switch
    {
        LockModel.Encode => "Encode",
        LockModel.EncodePlus => "Encode Plus",
        LockModel.EncodeLever => "Encode Lever",
        _ => "Sense",
    };

    public static LockModelInfo For(LockModel model) => model switch
    {
        LockModel.Encode => EncodeInfo,
        LockModel.EncodePlus => EncodePlusInfo,
        LockModel.EncodeLever => EncodeLeverInfo,
        LockModel.Sense => SenseInfo,
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown lock model."),
    };
}
