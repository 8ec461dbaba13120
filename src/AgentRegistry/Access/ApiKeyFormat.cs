using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace AgentRegistry.Access;

public enum ApiKeyDefect { None, Malformed, Checksum }

/// <summary>
/// <c>ar_live_</c> + 32 base62 characters of randomness (190 bits) + 6 base62 characters of CRC-32
/// over everything before them, so a mistyped or truncated key is refused without a database lookup.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "ar_live_";
    private const int RandomLength = 32;
    private const int ChecksumLength = 6;
    public const int Length = 8 + RandomLength + ChecksumLength;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Generate() => Generate(Prefix);

    public static ApiKeyDefect Check(ReadOnlySpan<char> key) => Check(key, Prefix);

    /// <summary>A secret of the same shape under another prefix (personal access tokens: <c>ar_pat_</c>).</summary>
    public static string Generate(string prefix)
    {
        Span<char> key = stackalloc char[prefix.Length + RandomLength + ChecksumLength];
        prefix.AsSpan().CopyTo(key);
        for (var i = 0; i < RandomLength; i++)
            key[prefix.Length + i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        WriteChecksum(key[..^ChecksumLength], key[^ChecksumLength..]);
        return new string(key);
    }

    public static ApiKeyDefect Check(ReadOnlySpan<char> key, string prefix)
    {
        if (key.Length != prefix.Length + RandomLength + ChecksumLength || !key.StartsWith(prefix, StringComparison.Ordinal)) return ApiKeyDefect.Malformed;
        foreach (var c in key[prefix.Length..])
            if (!char.IsAsciiLetterOrDigit(c)) return ApiKeyDefect.Malformed;
        Span<char> expected = stackalloc char[ChecksumLength];
        WriteChecksum(key[..^ChecksumLength], expected);
        return expected.SequenceEqual(key[^ChecksumLength..]) ? ApiKeyDefect.None : ApiKeyDefect.Checksum;
    }

    /// <summary>SHA-256 of the whole key: the only form in which a key is stored.</summary>
    public static byte[] Hash(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[Length * 2];
        var n = Encoding.UTF8.GetBytes(key, utf8);
        return SHA256.HashData(utf8[..n]);
    }

    /// <summary>The part that is safe to display: the prefix and four characters.</summary>
    public static string DisplayPrefix(string key) => key[..(Prefix.Length + 4)];

    private static void WriteChecksum(ReadOnlySpan<char> body, Span<char> into)
    {
        Span<byte> utf8 = stackalloc byte[body.Length];
        Encoding.ASCII.GetBytes(body, utf8);
        var crc = Crc32.HashToUInt32(utf8);
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = Alphabet[(int)(crc % 62)];
            crc /= 62;
        }
    }
}
