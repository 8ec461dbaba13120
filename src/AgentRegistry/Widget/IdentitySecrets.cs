using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace AgentRegistry.Widget;

/// <summary>
/// A widget's identity secret is kept sealed with Data Protection: a database reader sees ciphertext, and only the
/// registry (holding the key ring) can check a visitor's <c>user_hash</c> with it.
/// </summary>
public sealed class IdentitySecrets(IDataProtectionProvider protection)
{
    // Data Protection output starts with its magic header, base64url-encoded.
    private const string SealedPrefix = "CfDJ8";
    private readonly IDataProtector _protector = protection.CreateProtector("AgentRegistry.Widget.IdentitySecret.v1");

    public string Seal(string secret) => _protector.Protect(secret);

    /// <summary>The secret, or null when it cannot be opened (a key ring that lost its key). Rows written before
    /// sealing hold the plain secret and are read as they are until the secret is next set.</summary>
    public string? Open(string stored)
    {
        if (!stored.StartsWith(SealedPrefix, StringComparison.Ordinal)) return stored;
        try { return _protector.Unprotect(stored); }
        catch (CryptographicException) { return null; }
    }
}
