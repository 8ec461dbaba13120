using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using AgentRegistry.Infrastructure.Replicas;
using Microsoft.AspNetCore.RateLimiting;
using RedisRateLimiting;

namespace AgentRegistry.Infrastructure.RateLimiting;

/// <summary>
/// Fixed one-minute windows, counted in this process or, with <c>Redis:Configuration</c> set, in Redis so that N
/// replicas allow the limit once, not N times. Should Redis fail, the replica counts alone until it answers again.
/// </summary>
public sealed class RateLimits(IServiceProvider services, ILogger<RateLimits> log)
{
    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private long _lastOutageLog;

    /// <summary>
    /// A policy granted only when every one of <paramref name="limits"/> grants: each names the partition of the request
    /// (null: that limit does not apply) and its permits per minute.
    /// </summary>
    public IRateLimiterPolicy<string> AllOf(Func<HttpContext, IReadOnlyList<string?>?> partitions, params Func<int>[] permits)
    {
        var local = PartitionedRateLimiter.CreateChained([.. permits.Select((p, i) => Limiter(i, p, redis: false))]);
        var shared = _redis is null ? null : PartitionedRateLimiter.CreateChained([.. permits.Select((p, i) => Limiter(i, p, redis: true))]);
        return new Policy(partitions, shared ?? local, shared is null ? null : local, this);
    }

    private PartitionedRateLimiter<IReadOnlyList<string?>> Limiter(int index, Func<int> permits, bool redis) =>
        PartitionedRateLimiter.Create<IReadOnlyList<string?>, string>(keys => keys[index] is not { } key
            ? RateLimitPartition.GetNoLimiter("")
            : redis
                ? RedisRateLimitPartition.GetFixedWindowRateLimiter(_redis!.Prefix + "rl:" + key, _ => new RedisFixedWindowRateLimiterOptions
                {
                    PermitLimit = permits(), Window = TimeSpan.FromMinutes(1), ConnectionMultiplexerFactory = () => _redis.Multiplexer,
                })
                : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits(), Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
                }));

    private void Outage(Exception e)
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastOutageLog);
        if (last != 0 && Stopwatch.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1)) return;
        Interlocked.Exchange(ref _lastOutageLog, now);
        log.LogWarning("Redis did not answer a rate limit ({Error}); this replica counts its own requests until it does", e.GetType().Name);
    }

    /// <summary>The client address a limit is kept for: the address, or its /64 for IPv6 (one host holds a whole /64).</summary>
    public static string Address(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Seconds until a refused request may be retried, from the lease (in-memory leases carry a TimeSpan, Redis ones seconds).</summary>
    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter.Name, out var value) ? value switch
        {
            TimeSpan t => Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)),
            IConvertible c => Math.Max(1, Convert.ToInt32(c, CultureInfo.InvariantCulture)),
            _ => 60,
        } : 60;

    private sealed class Policy(Func<HttpContext, IReadOnlyList<string?>?> partitions, PartitionedRateLimiter<IReadOnlyList<string?>> limits,
        PartitionedRateLimiter<IReadOnlyList<string?>>? fallback, RateLimits owner) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

        public RateLimitPartition<string> GetPartition(HttpContext http) =>
            partitions(http) is { } keys && keys.Any(k => k is not null)
                ? RateLimitPartition.Get(string.Join('\n', keys), _ => new Bound(keys, limits, fallback, owner))
                : RateLimitPartition.GetNoLimiter("");
    }

    /// <summary>The chained limits bound to one request's partitions, as the one limiter the middleware asks.</summary>
    private sealed class Bound(IReadOnlyList<string?> keys, PartitionedRateLimiter<IReadOnlyList<string?>> limits,
        PartitionedRateLimiter<IReadOnlyList<string?>>? fallback, RateLimits owner) : RateLimiter
    {
        private long _used = Stopwatch.GetTimestamp();

        // Stateless: the middleware may drop it whenever it likes; the counts live in the partitioned limiters.
        public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _used));

        public override RateLimiterStatistics? GetStatistics() => null;

        // Always the asynchronous path, so a request is counted once (Redis can only be asked asynchronously).
        protected override RateLimitLease AttemptAcquireCore(int permitCount) => NotYet.Instance;

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken ct)
        {
            Interlocked.Exchange(ref _used, Stopwatch.GetTimestamp());
            try
            {
                return await limits.AcquireAsync(keys, permitCount, ct);
            }
            catch (Exception e) when (fallback is not null && RedisConnection.IsOutage(e))
            {
                owner.Outage(e);
                return await fallback.AcquireAsync(keys, permitCount, ct);
            }
        }
    }

    private sealed class NotYet : RateLimitLease
    {
        public static readonly NotYet Instance = new();
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata) { metadata = null; return false; }
    }
}
