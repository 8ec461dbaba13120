using System.ComponentModel.DataAnnotations;

namespace AgentRegistry.Knowledge;

public sealed class KnowledgeOptions
{
    public const string Section = "Knowledge";

    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>How often the pipeline looks for work it was not told about (other replicas' uploads, expired locks).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 64)]
    public int Concurrency { get; set; } = 1;

    /// <summary>A claim lasts this long; a worker that crashed loses its documents to another after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay after a transient failure; doubles with each attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 50)]
    public int TopK { get; set; } = 5;

    /// <summary>
    /// How often a replica checks its in-memory knowledge of an access against the database. A document change saved
    /// on this replica (or on any, with Redis) drops it at once; without Redis, another replica's change shows within this time.
    /// </summary>
    [Range(0, 3600)]
    public int RevalidateSeconds { get; set; } = 10;

    /// <summary>How long processing one document (extract, chunk, embed) may take; over it, the document fails with the reason.</summary>
    [Range(typeof(TimeSpan), "00:00:00.0000001", "1.00:00:00")]
    public TimeSpan ProcessingBudget { get; set; } = TimeSpan.FromMinutes(10);
}
