using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace AgentRegistry.Infrastructure.Replicas;

/// <summary>A changed row as another replica needs it: its type, what happened, and its key and foreign key values.</summary>
public sealed record ChangedRow(string Type, EntityState State, Dictionary<string, string?> Keys);

/// <summary>
/// Carries what <see cref="CommittedChanges"/> tells this replica's caches to every other replica, over Redis pub/sub,
/// so a revoked API key, a new persona or plan, or a changed account is forgotten by every replica at once. A
/// replica rebuilds each changed entity with its key and foreign key values only (never secrets) and tells its own
/// caches, which decide by those values. Pub/sub is at most once: a replica that was disconnected relies on its
/// caches' lifetimes, as it would without Redis.
/// </summary>
public sealed class ChangeBroadcast(RedisConnection redis, IEnumerable<IForgetsChanges> caches, ILogger<ChangeBroadcast> log) : IHostedService
{
    private const string ChannelName = "changes";
    private readonly string _self = Guid.NewGuid().ToString("N");
    private readonly IForgetsChanges[] _caches = [.. caches];

    private sealed record Message(string Origin, List<ChangedRow> Rows);

    public void Publish(List<ChangedRow> rows)
    {
        try
        {
            redis.Multiplexer.GetSubscriber().Publish(redis.Channel(ChannelName), JsonSerializer.Serialize(new Message(_self, rows)), CommandFlags.FireAndForget);
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            log.LogWarning("Could not tell the other replicas what a save changed ({Error}); their caches expire instead", e.GetType().Name);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var queue = await redis.Multiplexer.GetSubscriber().SubscribeAsync(redis.Channel(ChannelName));
            queue.OnMessage(m => Receive(m.Message));
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            // StackExchange.Redis subscribes again once it reconnects.
            log.LogWarning("Redis is not reachable at start ({Error}); caches are shared once it is", e.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Receive(RedisValue value)
    {
        try
        {
            var message = JsonSerializer.Deserialize<Message>(value.ToString());
            if (message is null || message.Origin == _self) return;
            var changed = message.Rows.Select(Rebuild).OfType<(object, EntityState)>().ToList();
            if (changed.Count == 0) return;
            foreach (var cache in _caches) cache.Forget(changed);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "A change from another replica could not be applied to this replica's caches");
        }
    }

    /// <summary>The CLR object of a registry entity with its keys set; null for a type that is not one.</summary>
    private static (object, EntityState)? Rebuild(ChangedRow row)
    {
        var type = typeof(ChangeBroadcast).Assembly.GetType(row.Type);
        if (type is null || !type.IsClass || type.IsAbstract || type.Namespace?.StartsWith("AgentRegistry.", StringComparison.Ordinal) != true) return null;
        var entity = RuntimeHelpers.GetUninitializedObject(type);
        foreach (var (name, text) in row.Keys)
        {
            if (type.GetProperty(name) is not { CanWrite: true } property || text is null) continue;
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            property.SetValue(entity, TypeDescriptor.GetConverter(target).ConvertFromInvariantString(text));
        }
        return (entity, row.State);
    }
}

/// <summary>Redis down degrades the registry (limits and caches per replica) without taking it out of service.</summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var ping = await redis.Database.PingAsync().WaitAsync(TimeSpan.FromSeconds(3), ct);
            return HealthCheckResult.Healthy($"Redis answers in {ping.TotalMilliseconds:0.#} ms; limits and cache invalidations are shared.");
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            return HealthCheckResult.Degraded("Redis does not answer: each replica counts its own limits and keeps its caches until they expire.");
        }
    }
}

public static class ReplicasSetup
{
    /// <summary>With <c>Redis:Configuration</c>: one Redis connection, shared counters and the change broadcast. Without: all in process.</summary>
    public static IServiceCollection AddReplicaSharing(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        services.AddSingleton<SharedCounters>();
        if (!options.Enabled) return services;
        services.AddSingleton(new RedisConnection(options));
        services.AddSingleton<ChangeBroadcast>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeBroadcast>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["dependencies"]);
        return services;
    }
}
