using System.Collections.Concurrent;
using StackExchange.Redis;

namespace AgentRegistry.Infrastructure.Replicas;

/// <summary>
/// Small named numbers that every replica sees (in Redis when configured, else in this process): counts of failed
/// sign-ins, the time a lock ends. Values carry their meaning (times come from the registry's clock); the expiry only
/// lets an unused entry go. Should Redis fail, the replica keeps its own numbers until it answers again.
/// </summary>
public sealed class SharedCounters(IServiceProvider services, TimeProvider clock, ILogger<SharedCounters> log)
{
    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private readonly ConcurrentDictionary<string, (long Value, DateTimeOffset Until)> _local = new();

    public async Task<long> IncrementAsync(string key, TimeSpan keepFor)
    {
        if (_redis is not null)
            try
            {
                var db = _redis.Database;
                var value = await db.StringIncrementAsync(_redis.Prefix + key);
                await db.KeyExpireAsync(_redis.Prefix + key, keepFor);
                return value;
            }
            catch (Exception e) when (RedisConnection.IsOutage(e)) { Outage(e); }
        var now = clock.GetUtcNow();
        Sweep(now);
        return _local.AddOrUpdate(key, _ => (1, now + keepFor), (_, v) => v.Until > now ? (v.Value + 1, now + keepFor) : (1, now + keepFor)).Value;
    }

    public async Task<long> GetAsync(string key)
    {
        if (_redis is not null)
            try { return (long?)await _redis.Database.StringGetAsync(_redis.Prefix + key) ?? 0; }
            catch (Exception e) when (RedisConnection.IsOutage(e)) { Outage(e); }
        return _local.TryGetValue(key, out var v) && v.Until > clock.GetUtcNow() ? v.Value : 0;
    }

    public async Task SetAsync(string key, long value, TimeSpan keepFor)
    {
        if (_redis is not null)
            try { await _redis.Database.StringSetAsync(_redis.Prefix + key, value, keepFor); return; }
            catch (Exception e) when (RedisConnection.IsOutage(e)) { Outage(e); }
        _local[key] = (value, clock.GetUtcNow() + keepFor);
    }

    public async Task DeleteAsync(string key)
    {
        if (_redis is not null)
            try { await _redis.Database.KeyDeleteAsync(_redis.Prefix + key); return; }
            catch (Exception e) when (RedisConnection.IsOutage(e)) { Outage(e); }
        _local.TryRemove(key, out _);
    }

    /// <summary>Drops expired entries now and then, so made-up keys (unknown emails) cannot pile up.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (_local.Count < 10_000) return;
        foreach (var (key, value) in _local)
            if (value.Until <= now) _local.TryRemove(key, out _);
    }

    private void Outage(Exception e) =>
        log.LogWarning("Redis did not answer ({Error}); this replica keeps its own counts until it does", e.GetType().Name);
}
