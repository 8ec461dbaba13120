using System.Text;

namespace AgentRegistry.Knowledge;

/// <summary>Turns the bytes of a text-typed upload into a string, refusing content that is really binary.</summary>
internal static class TextDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(Stream content)
    {
        using var memory = new MemoryStream();
        content.CopyTo(memory);
        return Decode(memory.GetBuffer().AsSpan(0, (int)memory.Length));
    }

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return DecodeUtf8(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        if (LooksBinary(bytes))
        {
            throw new DocumentRejectedException(DocumentRejectionReason.BinaryContent,
                "The file is declared as text but contains binary data.");
        }

        return DecodeUtf8(bytes);
    }

    /// <summary>NUL bytes or many control characters in the first 8 KiB mean binary (executables, images, archives).</summary>
    public static bool LooksBinary(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, 8192)];
        var controls = 0;
        foreach (var b in sample)
        {
            if (b == 0)
            {
                return true;
            }

            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0x0C)
            {
                controls++;
            }
        }

        return sample.Length > 0 && controls * 100 > sample.Length;
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: legacy Western files are far more common than anything else we could guess.
            return Encoding.Latin1.GetString(bytes);
        }
    }
}
