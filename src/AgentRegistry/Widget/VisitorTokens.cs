using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Widget;

/// <summary>A visitor of one widget, as proven by a token the registry signed.</summary>
public sealed record Visitor(Guid WidgetId, string VisitorId, DateTimeOffset ExpiresAt, bool Preview);

/// <summary>
/// Short-lived visitor tokens that every replica accepts. With <c>Widget:TokenSecret</c> set:
/// <c>payload.HMAC-SHA256(payload)</c>, verified in constant time. Without it: the payload sealed by ASP.NET Data
/// Protection, whose key ring is kept in the database, so all replicas on one database share it.
/// </summary>
public sealed class VisitorTokens
{
    private readonly byte[]? _key;
    private readonly IDataProtector _protector;
    private readonly IOptions<WidgetOptions> _options;
    private readonly TimeProvider _clock;
    /// <summary>Tokens already proven genuine, so a visitor's next message skips the cryptography (expiry is checked each time).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Visitor> _genuine = new(StringComparer.Ordinal);
    private const int GenuineCapacity = 100_000;

    public VisitorTokens(IOptions<WidgetOptions> options, IDataProtectionProvider protection, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        _key = Key(options.Value);
        _protector = protection.CreateProtector("AgentRegistry.Widget.VisitorTokens.v1");
    }

    private static byte[]? Key(WidgetOptions o)
    {
        if (o.TokenSecret is not { Length: > 0 } secret) return null;
        var bytes = Convert.FromBase64String(secret);
        if (bytes.Length < 32) throw new OptionsValidationException(WidgetOptions.Section, typeof(WidgetOptions), ["Widget:TokenSecret needs at least 32 bytes."]);
        return bytes;
    }

    public string Issue(Guid widgetId, string visitorId, bool preview, out DateTimeOffset expiresAt)
    {
        expiresAt = _clock.GetUtcNow().AddMinutes(_options.Value.TokenMinutes);
        return Issue(widgetId, visitorId, preview, expiresAt);
    }

    public string Issue(Guid widgetId, string visitorId, bool preview, DateTimeOffset expiresAt)
    {
        var payload = Encoding.UTF8.GetBytes($"v1|{widgetId:N}|{expiresAt.ToUnixTimeSeconds()}|{(preview ? 1 : 0)}|{visitorId}");
        return _key is null ? Encode(_protector.Protect(payload)) : Encode(payload) + "." + Encode(Sign(payload));
    }

    /// <summary>The visitor if the token is genuine and, unless <paramref name="graceForRenewal"/>, has not expired.</summary>
    public Visitor? Read(string? token, TimeSpan graceForRenewal = default)
    {
        if (token is null || token.Length > 1000) return null;
        try
        {
            if (!_genuine.TryGetValue(token, out var known))
            {
                if (Open(token) is not { } payload) return null;
                if (Encoding.UTF8.GetString(payload).Split('|', 5) is not ["v1", var widget, var exp, var preview, var visitor]) return null;
                known = new Visitor(Guid.ParseExact(widget, "N"), visitor,
                    DateTimeOffset.FromUnixTimeSeconds(long.Parse(exp, CultureInfo.InvariantCulture)), preview == "1");
                if (_genuine.Count >= GenuineCapacity) _genuine.Clear();
                _genuine[token] = known;
            }
            return known.ExpiresAt + graceForRenewal <= _clock.GetUtcNow() ? null : known;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The payload of a genuine token, else null.</summary>
    private byte[]? Open(string token)
    {
        if (_key is null) return token.Contains('.') ? null : _protector.Unprotect(WebEncoders.Base64UrlDecode(token));
        if (token.Split('.') is not [var p, var s]) return null;
        var payload = WebEncoders.Base64UrlDecode(p);
        return CryptographicOperations.FixedTimeEquals(Sign(payload), WebEncoders.Base64UrlDecode(s)) ? payload : null;
    }

    private byte[] Sign(byte[] payload) => HMACSHA256.HashData(_key!, payload);
    private static string Encode(byte[] b) => WebEncoders.Base64UrlEncode(b);

    /// <summary>Identity verification: user_hash must be hex HMAC-SHA256(widget secret, user_id).</summary>
    public static bool VerifyUser(string secret, string userId, string userHash)
    {
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId));
        byte[] given;
        try { given = Convert.FromHexString(userHash); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
