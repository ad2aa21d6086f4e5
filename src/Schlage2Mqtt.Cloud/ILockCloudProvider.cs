namespace Schlage2Mqtt.Cloud;

/// <summary>A family of cloud API (Schlage Home consumer cloud today) with its configured accounts.</summary>
public interface ILockCloudProvider
{
    /// <summary>Short provider name for logs and the info topic, e.g. <c>schlage</c>.</summary>
    string Name { get; }

    /// <summary>The configured accounts.</summary>
    IReadOnlyList<ILockAccount> Accounts { get; }
}
