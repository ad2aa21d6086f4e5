namespace Schlage2Mqtt.Cloud;

/// <summary>What made the last lock state change.</summary>
public enum ChangeMethod
{
    /// <summary>Not reported or not recognised.</summary>
    Unknown,

    /// <summary>The thumbturn inside.</summary>
    Thumbturn,

    /// <summary>1-Touch locking on the keypad.</summary>
    OneTouch,

    /// <summary>An access code on the keypad.</summary>
    Keypad,

    /// <summary>The app or the cloud (a virtual key).</summary>
    Mobile,

    /// <summary>An Apple Home key over NFC.</summary>
    AppleNfc,
}

/// <summary>Who or what last changed the lock state.</summary>
/// <param name="Method">The means.</param>
/// <param name="Name">The access code's name (keypad) or the user's name (mobile), when known.</param>
public sealed record ChangedBy(ChangeMethod Method, string? Name)
{
    /// <summary>Text for the "last changed by" sensor, e.g. <c>keypad: Alice</c>.</summary>
    public string Describe()
    {
        var method = Method switch
        {
            ChangeMethod.Thumbturn => "thumbturn",
            ChangeMethod.OneTouch => "1-touch",
            ChangeMethod.Keypad => "keypad",
            ChangeMethod.Mobile => "mobile",
            ChangeMethod.AppleNfc => "apple nfc",
            _ => "unknown",
        };
        return string.IsNullOrEmpty(Name) ? method : $"{method}: {Name}";
    }
}
