using StackExchange.Redis;

namespace AgentRegistry.Infrastructure.Replicas;

public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration, e.g. <c>redis:6379,password=...</c>. Empty: limits and caches are per replica.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key and channel, so several registries (or tests) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "agentregistry:";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}

/// <summary>
/// The one connection to Redis, opened at first use and kept (StackExchange.Redis reconnects by itself). It never
/// fails a request: a caller that meets a Redis error falls back to what the replica knows alone.
/// </summary>
public sealed class RedisConnection(RedisOptions options) : IDisposable
{
    private readonly Lazy<IConnectionMultiplexer> _multiplexer = new(() =>
    {
        var config = ConfigurationOptions.Parse(options.Configuration!);
        config.AbortOnConnectFail = false;
        config.ClientName ??= "agentregistry";
        return ConnectionMultiplexer.Connect(config);
    });

    public string Prefix => options.KeyPrefix;

    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public IDatabase Database => Multiplexer.GetDatabase();

    public RedisChannel Channel(string name) => RedisChannel.Literal(Prefix + name);

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated) _multiplexer.Value.Dispose();
    }

    /// <summary>Whether an exception is Redis being unreachable or failing (the caller falls back), not a bug.</summary>
    public static bool IsOutage(Exception e) => e is RedisException or RedisTimeoutException or TimeoutException or ObjectDisposedException
        || e is AggregateException a && a.InnerExceptions.All(IsOutage);
}
