namespace AgentRegistry.Infrastructure.Scheduling;

/// <summary>
/// Work the scheduler runs every interval. Resolved per fire in a system scope (every tenant visible), so it may
/// take scoped services such as <see cref="RegistryDb"/>. A failure is logged and the next fire retries; the token
/// is cancelled when the host shuts down.
/// </summary>
public interface IScheduledWork
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>The fire being run, for work that logs or records it; set in the scope the work is resolved from.</summary>
public sealed class ScheduledFire
{
    /// <summary>Unique per fire across a cluster.</summary>
    public string FireInstanceId { get; internal set; } = "";
    /// <summary>When the trigger was due; the same fire has the same time on every replica.</summary>
    public DateTimeOffset ScheduledAt { get; internal set; }
    /// <summary>The scheduler instance (replica) running the fire.</summary>
    public string InstanceId { get; internal set; } = "";
}
