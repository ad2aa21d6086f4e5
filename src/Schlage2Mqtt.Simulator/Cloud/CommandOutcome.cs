namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>How a command ended: success (with the access code id, if any) or a status and message.</summary>
internal sealed record CommandOutcome(bool Success, string? AccesscodeId, int StatusCode, string? Message)
{
    public static CommandOutcome Ok(string? accesscodeId) => new(true, accesscodeId, 200, null);

    public static CommandOutcome Fail(int statusCode, string message, string? accesscodeId = null) => new(false, accesscodeId, statusCode, message);
}

/// <summary>Access-code command names.</summary>
internal static class CommandNames
{
    public const string ChangeLockState = "changelockstate";
    public const string AddAccessCode = "addaccesscode";
    public const string UpdateAccessCode = "updateaccesscode";
    public const string DeleteAccessCode = "deleteaccesscode";
    public const string DeleteAllAccessCodes = "deleteallaccesscodes";

    public static bool IsAccessCode(string name) =>
        name is AddAccessCode or UpdateAccessCode or DeleteAccessCode;
}
