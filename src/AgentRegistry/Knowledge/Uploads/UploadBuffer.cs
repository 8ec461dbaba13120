using System.Security.Cryptography;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Copies an upload while enforcing the byte limit as it streams: the copy stops at the first read past the limit,
/// so an oversized body is never buffered whole. Small bodies stay in memory, larger ones spill to a temp file.
/// </summary>
public static class UploadBuffer
{
    public const int DefaultMemoryThreshold = 1024 * 1024;

    public static async Task<BufferedUpload> BufferAsync(
        Stream source, long maxBytes, CancellationToken cancellationToken = default, int memoryThreshold = DefaultMemoryThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (source.CanSeek && source.Length - source.Position > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Stream target = new MemoryStream();
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                hash.AppendData(buffer, 0, read);
                if (target is MemoryStream memory && memory.Length + read > memoryThreshold)
                {
                    target = await SpillToDiskAsync(memory, cancellationToken);
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await target.FlushAsync(cancellationToken);
            target.Position = 0;
            return new BufferedUpload(target, total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    private static async Task<Stream> SpillToDiskAsync(MemoryStream memory, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"agentregistry-upload-{Guid.NewGuid():N}.tmp"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        memory.Position = 0;
        await memory.CopyToAsync(file, cancellationToken);
        await memory.DisposeAsync();
        return file;
    }

    private static DocumentRejectedException TooLarge(long maxBytes) =>
        new(DocumentRejectionReason.TooLarge, $"The upload is larger than the limit of {maxBytes} bytes.");
}
