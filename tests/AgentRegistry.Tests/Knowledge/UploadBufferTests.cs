using System.Security.Cryptography;

using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

public sealed class UploadBufferTests
{
    [Fact]
    public async Task SmallUploadIsBufferedInMemoryWithItsHash()
    {
        var bytes = RandomBytes(10_000);
        await using var upload = await UploadBuffer.BufferAsync(new MemoryStream(bytes), 1_000_000, TestContext.Current.CancellationToken);
        Assert.False(upload.IsOnDisk);
        Assert.Equal(10_000, upload.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), upload.Sha256);
        Assert.Equal(bytes, ReadAll(upload.Content));
    }

    [Fact]
    public async Task LargeUploadSpillsToDisk()
    {
        var bytes = RandomBytes(3_000_000);
        await using var upload = await UploadBuffer.BufferAsync(new MemoryStream(bytes), 5_000_000, TestContext.Current.CancellationToken);
        Assert.True(upload.IsOnDisk);
        Assert.Equal(bytes, ReadAll(upload.Content));
    }

    [Fact]
    public async Task UploadOverTheLimitStopsAsSoonAsTheLimitIsPassed()
    {
        var source = new EndlessStream();
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            UploadBuffer.BufferAsync(source, 1_000_000, TestContext.Current.CancellationToken));
        Assert.Equal(DocumentRejectionReason.TooLarge, ex.Reason);
        // An endless body ends in an error after just over the limit, not after reading it all.
        Assert.InRange(source.Served, 1_000_001, 1_000_000 + 81_920);
    }

    [Fact]
    public async Task UploadOfExactlyTheLimitIsAccepted()
    {
        await using var upload = await UploadBuffer.BufferAsync(new MemoryStream(new byte[4096]), 4096, TestContext.Current.CancellationToken);
        Assert.Equal(4096, upload.Length);
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A non-seekable body that never ends, like a hostile client.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            Served += count;
            return count;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
