using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur;

public enum WebhookRejection { None, Unprotected, AddressNotAllowed, BadToken, BadSignature, StaleTimestamp }

/// <summary>Checks a delivery against the configured protections. Secrets are compared in constant time.</summary>
public sealed class WebhookGuard(IOptionsMonitor<WebhookOptions> options, TimeProvider clock)
{
    public WebhookRejection Check(HttpContext http, ReadOnlySpan<byte> body)
    {
        var o = options.CurrentValue;
        if (!o.IsProtected && !o.AllowUnprotected) return WebhookRejection.Unprotected;
        if (o.AllowedNetworks.Count > 0 && !Infrastructure.NetworkList.Contains(o.AllowedNetworks, http.Connection.RemoteIpAddress))
            return WebhookRejection.AddressNotAllowed;
        if (!string.IsNullOrEmpty(o.Token))
        {
            string? given = http.Request.Headers["X-Webhook-Token"];
            given ??= http.Request.Query["token"];
            if (given is null || !FixedEquals(given, o.Token)) return WebhookRejection.BadToken;
        }
        if (o.SigningSecrets.Count > 0) return CheckSignature(http.Request.Headers, body, o);
        return WebhookRejection.None;
    }

    /// <summary>Standard Webhooks: <c>v1,</c> + base64(HMAC-SHA256(secret, id.timestamp.body)); any listed signature may match.</summary>
    private WebhookRejection CheckSignature(IHeaderDictionary headers, ReadOnlySpan<byte> body, WebhookOptions o)
    {
        string? id = headers["webhook-id"], timestamp = headers["webhook-timestamp"], signatures = headers["webhook-signature"];
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signatures) || !long.TryParse(timestamp, out var seconds))
            return WebhookRejection.BadSignature;
        var age = Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds);
        if (age > o.SignatureToleranceSeconds) return WebhookRejection.StaleTimestamp;

        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        foreach (var secret in o.SigningSecrets)
        {
            var expected = HMACSHA256.HashData(SecretBytes(secret), signed);
            foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!candidate.StartsWith("v1,", StringComparison.Ordinal)) continue;
                var given = new byte[32];
                if (Convert.TryFromBase64String(candidate[3..], given, out var n) && n == 32 && CryptographicOperations.FixedTimeEquals(given, expected))
                    return WebhookRejection.None;
            }
        }
        return WebhookRejection.BadSignature;
    }

    internal static byte[] SecretBytes(string secret) =>
        secret.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(secret[6..]) : Encoding.UTF8.GetBytes(secret);

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
