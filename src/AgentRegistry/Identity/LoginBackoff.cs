using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.Replicas;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Identity;

public sealed class LoginBackoffOptions
{
    public const string Section = "Identity:LoginBackoff";

    /// <summary>Failed sign-ins of one email before it is locked.</summary>
    [Range(1, 1000)] public int FreeAttempts { get; set; } = 5;
    /// <summary>Failed sign-ins from one client address (any email) before the address is locked.</summary>
    [Range(1, 100_000)] public int AddressFreeAttempts { get; set; } = 20;
    /// <summary>The first lock; each further failure after a lock doubles it, up to <see cref="MaxLockSeconds"/>.</summary>
    [Range(1, 86_400)] public int LockSeconds { get; set; } = 60;
    [Range(1, 7 * 86_400)] public int MaxLockSeconds { get; set; } = 3600;
    /// <summary>Failures are forgotten after this long without one (or this long after a lock ends).</summary>
    [Range(1, 7 * 24 * 60)] public int WindowMinutes { get; set; } = 15;
}

/// <summary>
/// Back-off against password guessing, per email (known or not: the answer must not tell which exist) and per client
/// address: after the free attempts a lock of <c>LockSeconds</c>, doubled with each further failure. While locked,
/// sign-in is refused without looking at the password, so a guess cannot be tested. Counts are shared by the replicas
/// through <see cref="SharedCounters"/>; times come from the registry's clock.
/// </summary>
public sealed class LoginBackoff(SharedCounters counters, TimeProvider clock, IOptionsMonitor<LoginBackoffOptions> options, ILogger<LoginBackoff> log)
{
    private LoginBackoffOptions O => options.CurrentValue;

    /// <summary>How long sign-in stays refused for this email or address; null when it is not locked.</summary>
    public async Task<TimeSpan?> LockedForAsync(string email, string address)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var until = Math.Max(await counters.GetAsync(LockKey("account", email)), await counters.GetAsync(LockKey("address", address)));
        return until > now ? TimeSpan.FromMilliseconds(until - now) : null;
    }

    /// <summary>Counts a failure; when it locks the email or the address, writes an audit entry and says so in the log.</summary>
    public async Task FailedAsync(RegistryDb db, string email, string address, Guid? accountId, CancellationToken ct)
    {
        var account = await FailAsync("account", email, O.FreeAttempts);
        var byAddress = await FailAsync("address", address, O.AddressFreeAttempts);
        if (account is null && byAddress is null) return;
        var until = DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(account ?? 0, byAddress ?? 0));
        log.LogWarning("Sign-in locked until {Until:u} after repeated failures ({Scope}) from {Address}", until,
            account is not null ? "account" : "address", address);
        db.AuditLogs.Add(new AuditLog
        {
            Actor = $"login:{address}"[..Math.Min(200, address.Length + 6)], Action = "login-locked", EntityType = "LocalAccount",
            EntityId = accountId ?? Guid.Empty, At = clock.GetUtcNow().UtcDateTime,
            Changes = JsonSerializer.Serialize(new { email, address, locked = account is not null ? "account" : "address", until }),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A successful sign-in forgets the email's failures (not the address's: one good account must not clear its guesses).</summary>
    public async Task SucceededAsync(string email)
    {
        await counters.DeleteAsync(FailureKey("account", email));
        await counters.DeleteAsync(LockKey("account", email));
    }

    /// <summary>Counts one failure of a key; returns when its new lock ends (unix ms), or null when it is not locked by it.</summary>
    private async Task<long?> FailAsync(string scope, string id, int free)
    {
        var window = TimeSpan.FromMinutes(O.WindowMinutes);
        var failures = await counters.IncrementAsync(FailureKey(scope, id), window);
        if (failures < free) return null;
        var seconds = Math.Min(O.MaxLockSeconds, O.LockSeconds * Math.Pow(2, Math.Min(30, failures - free)));
        var until = clock.GetUtcNow().AddSeconds(seconds).ToUnixTimeMilliseconds();
        await counters.SetAsync(LockKey(scope, id), until, TimeSpan.FromSeconds(seconds) + window);
        // The count outlives the lock, so the next failure after it doubles the lock instead of starting over.
        await counters.SetAsync(FailureKey(scope, id), failures, TimeSpan.FromSeconds(seconds) + window);
        return until;
    }

    private static string FailureKey(string scope, string id) => $"login:failures:{scope}:{id}";

    private static string LockKey(string scope, string id) => $"login:lock:{scope}:{id}";
}
