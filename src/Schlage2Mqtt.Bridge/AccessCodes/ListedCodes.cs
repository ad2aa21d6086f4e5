using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>A lock's code list as last read from the cloud.</summary>
/// <param name="Codes">The codes.</param>
/// <param name="ReadAt">When they were read.</param>
internal sealed record ListedCodes(IReadOnlyList<CloudAccessCode> Codes, DateTimeOffset ReadAt);
