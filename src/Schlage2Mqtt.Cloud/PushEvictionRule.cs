namespace Schlage2Mqtt.Cloud;

/// <summary>One connection of a push channel that has ended: from the connect to the disconnect.</summary>
/// <param name="ConnectedAt">When it was established.</param>
/// <param name="DisconnectedAt">When it ended.</param>
public readonly record struct PushConnectionSpan(DateTimeOffset ConnectedAt, DateTimeOffset DisconnectedAt)
{
    /// <summary>How long it held.</summary>
    public TimeSpan Lasted => DisconnectedAt - ConnectedAt;
}

/// <summary>What <see cref="PushEvictionRule.Judge"/> concluded.</summary>
/// <param name="Evicted">True when another client keeps taking the connection.</param>
/// <param name="ShortConnections">The short connections in a row that count (ended within the window, none stable since).</param>
public readonly record struct EvictionVerdict(bool Evicted, int ShortConnections);

/// <summary>
/// Eviction detection from connect/disconnect times. Some clouds keep one connection per client identity, and the
/// phone app shares ours: each time it connects, ours is closed soon after it was made. One short connection is a
/// network blip; <see cref="PushEvictionOptions.Connections"/> of them in a row, all ended within
/// <see cref="PushEvictionOptions.Window"/>, are the app. A connection that held for the stable time ends the run: what
/// came before it was a different episode.
/// </summary>
public static class PushEvictionRule
{
    /// <summary>Judges the history (ended connections, oldest first) at <paramref name="now"/>.</summary>
    /// <param name="history">Ended connections in the order they ended.</param>
    /// <param name="now">The time of the judgement (normally the last disconnect).</param>
    /// <param name="stableConnectionTime">A connection at least this long is stable, not short.</param>
    /// <param name="options">How many short connections, within which window, mean eviction.</param>
    public static EvictionVerdict Judge(IReadOnlyList<PushConnectionSpan> history, DateTimeOffset now, TimeSpan stableConnectionTime, PushEvictionOptions options)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        var count = 0;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var span = history[i];
            if (span.Lasted >= stableConnectionTime || now - span.DisconnectedAt > options.Window)
            {
                // Older ones are earlier episodes: a stable connection came between, or they fell out of the window.
                break;
            }
            count++;
        }
        return new EvictionVerdict(count >= options.Connections, count);
    }

    /// <summary>
    /// The part of <paramref name="history"/> a later judgement can still count, so a channel keeps its history
    /// bounded: the short connections in a row at the end, still inside the window at <paramref name="now"/>.
    /// </summary>
    public static IReadOnlyList<PushConnectionSpan> Relevant(IReadOnlyList<PushConnectionSpan> history, DateTimeOffset now, TimeSpan stableConnectionTime, PushEvictionOptions options)
    {
        var verdict = Judge(history, now, stableConnectionTime, options);
        return [.. history.Skip(history.Count - verdict.ShortConnections)];
    }
}
