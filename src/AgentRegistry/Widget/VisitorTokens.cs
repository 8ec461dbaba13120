using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Widget;

/// <summary>A visitor of one widget, as proven by a token the registry signed.</summary>
public sealed record Visitor(Guid WidgetId, string VisitorId, DateTimeOffset ExpiresAt, bool Preview);

/// <summary>Short-lived visitor tokens: <c>payload.HMAC-SHA256(payload)</c>, verified in constant time.</summary>
public sealed class VisitorTokens(IOptions<WidgetOptions> options, TimeProvider clock, ILogger<VisitorTokens> log)
{
    private readonly byte[] _key = Key(options.Value, log);

    private static byte[] Key(WidgetOptions o, ILogger log)
    {
        if (o.TokenSecret is { Length: > 0 } secret)
        {
            var bytes = Convert.FromBase64String(secret);
            if (bytes.Length < 32) throw new OptionsValidationException(WidgetOptions.Section, typeof(WidgetOptions), ["Widget:TokenSecret needs at least 32 bytes."]);
            return bytes;
        }
        log.LogWarning("Widget:TokenSecret is not set: visitor tokens are signed with a key of this process only");
        return RandomNumberGenerator.GetBytes(32);
    }

    public string Issue(Guid widgetId, string visitorId, bool preview, out DateTimeOffset expiresAt)
    {
        expiresAt = clock.GetUtcNow().AddMinutes(options.Value.TokenMinutes);
        return Issue(widgetId, visitorId, preview, expiresAt);
    }

    public string Issue(Guid widgetId, string visitorId, bool preview, DateTimeOffset expiresAt)
    {
        var payload = $"v1|{widgetId:N}|{expiresAt.ToUnixTimeSeconds()}|{(preview ? 1 : 0)}|{visitorId}";
        return Encode(payload) + "." + Encode(Sign(payload));
    }

    /// <summary>The visitor if the signature holds and, unless <paramref name="graceForRenewal"/>, the token has not expired.</summary>
    public Visitor? Read(string? token, TimeSpan graceForRenewal = default)
    {
        if (token is null || token.Length > 1000 || token.Split('.') is not [var p, var s]) return null;
        try
        {
            var payload = WebEncoders.Base64UrlDecode(p);
            if (!CryptographicOperations.FixedTimeEquals(Sign(payload), WebEncoders.Base64UrlDecode(s))) return null;
            if (Encoding.UTF8.GetString(payload).Split('|', 5) is not ["v1", var widget, var exp, var preview, var visitor]) return null;
            var expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(exp));
            if (expiresAt + graceForRenewal <= clock.GetUtcNow()) return null;
            return new Visitor(Guid.ParseExact(widget, "N"), visitor, expiresAt, preview == "1");
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private byte[] Sign(string payload) => Sign(Encoding.UTF8.GetBytes(payload));
    private byte[] Sign(byte[] payload) => HMACSHA256.HashData(_key, payload);
    private static string Encode(string s) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(s));
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
