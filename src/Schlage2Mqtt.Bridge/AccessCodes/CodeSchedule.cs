namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>When an access code works (seed 002): always, between two instants, or weekly windows.</summary>
public abstract record CodeSchedule
{
    /// <summary>The wire name: <c>Always</c>, <c>Temporary</c>, <c>Recurring</c> (or <c>Custom</c> for app-made combinations).</summary>
    public abstract string Type { get; }

    /// <summary>Valid at any time.</summary>
    public sealed record Always : CodeSchedule
    {
        /// <inheritdoc />
        public override string Type => "Always";
    }

    /// <summary>Valid from <see cref="Start"/> to <see cref="End"/> (both with an offset, whole seconds).</summary>
    public sealed record Temporary(DateTimeOffset Start, DateTimeOffset End) : CodeSchedule
    {
        /// <inheritdoc />
        public override string Type => "Temporary";

        // Instants are what the lock stores; two schedules with the same instants are the same schedule.
        /// <inheritdoc />
        public bool Equals(Temporary? other) => other is not null && Start.UtcTicks == other.Start.UtcTicks && End.UtcTicks == other.End.UtcTicks;

        /// <inheritdoc />
        public override int GetHashCode() => HashCode.Combine(Start.UtcTicks, End.UtcTicks);
    }

    /// <summary>Valid on <see cref="Days"/> between <see cref="Start"/> and <see cref="End"/> (lock time).</summary>
    public sealed record Recurring(WeekDays Days, TimeOnly Start, TimeOnly End) : CodeSchedule
    {
        /// <inheritdoc />
        public override string Type => "Recurring";
    }

    /// <summary>
    /// A combination the Schlage app can make but seed 002 cannot express (a validity range together with a weekly
    /// window, or two windows). Shown as found; a change must give one of the three standard schedules.
    /// </summary>
    public sealed record Custom(long ActivationSecs, long ExpirationSecs, string? DaysOfWeek, string? Window, string? SecondWindow) : CodeSchedule
    {
        /// <inheritdoc />
        public override string Type => "Custom";
    }
}

/// <summary>Days of the week, with the cloud's bit values (Sun 0x40, Mon 0x20, ... Sat 0x01).</summary>
[Flags]
public enum WeekDays
{
    /// <summary>No day.</summary>
    None = 0,

    /// <summary>Saturday.</summary>
    Saturday = 0x01,

    /// <summary>Friday.</summary>
    Friday = 0x02,

    /// <summary>Thursday.</summary>
    Thursday = 0x04,

    /// <summary>Wednesday.</summary>
    Wednesday = 0x08,

    /// <summary>Tuesday.</summary>
    Tuesday = 0x10,

    /// <summary>Monday.</summary>
    Monday = 0x20,

    /// <summary>Sunday.</summary>
    Sunday = 0x40,

    /// <summary>Every day.</summary>
    All = 0x7F,
}
