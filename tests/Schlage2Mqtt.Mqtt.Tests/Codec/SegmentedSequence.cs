using System.Buffers;

namespace Schlage2Mqtt.Mqtt.Tests.Codec;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/>, like a pipe holding two socket reads.</summary>
internal sealed class SegmentedSequence : ReadOnlySequenceSegment<byte>
{
    private SegmentedSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        var a = new SegmentedSequence(first, 0);
        var b = new SegmentedSequence(second, first.Length);
        a.Next = b;
        return new ReadOnlySequence<byte>(a, 0, b, second.Length);
    }
}
