using System.IO.Compression;

namespace AgentRegistry.Knowledge;

internal static class ZipBombGuard
{
    /// <summary>
    /// Checks entry count, per-entry ratio and total size from the central directory. Declared sizes suffice because
    /// .NET's ZipArchive stops inflating an entry at its declared length (a lying size truncates, it cannot expand).
    /// Leaves <paramref name="package"/> at position 0.
    /// </summary>
    public static void Check(Stream package, ZipLimits limits)
    {
        try
        {
            using var zip = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > limits.MaxEntries)
            {
                throw Bomb($"The archive has {zip.Entries.Count} entries (limit {limits.MaxEntries}).");
            }

            long declared = 0;
            foreach (var entry in zip.Entries)
            {
                declared += entry.Length;
                if (entry.Length > limits.RatioCheckThresholdBytes
                    && entry.Length > limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                {
                    throw Bomb($"Entry '{entry.FullName}' expands {entry.Length / Math.Max(1, entry.CompressedLength)}x.");
                }
            }

            if (declared > limits.MaxUncompressedBytes)
            {
                throw Bomb($"The archive expands to {declared} bytes (limit {limits.MaxUncompressedBytes}).");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new DocumentRejectedException(DocumentRejectionReason.Corrupt, $"The file is not a valid zip package: {ex.Message}", ex);
        }
        finally
        {
            package.Position = 0;
        }
    }

    private static DocumentRejectedException Bomb(string detail) =>
        new(DocumentRejectionReason.ArchiveBomb, $"The document was refused as a possible zip bomb. {detail}");
}
