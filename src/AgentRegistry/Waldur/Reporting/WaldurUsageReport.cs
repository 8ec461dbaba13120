using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Waldur.Reporting;

/// <summary>What happened to one attempt to report a component's month-to-date total.</summary>
public enum UsageReportOutcome
{
    /// <summary>Waldur accepted the amount (2xx).</summary>
    Accepted,
    /// <summary>Waldur refused it for a reason that repeating will not fix (4xx: resource not OK, unknown component).</summary>
    Rejected,
    /// <summary>Waldur was unreachable or failed (network, timeout, 5xx, 429); tried again with backoff.</summary>
    Failed,
    /// <summary>Not sent: the computed amount is below what Waldur already holds, and a reported value is never lowered.</summary>
    LoweringRefused,
}

/// <summary>
/// One attempt to report the month-to-date cumulative amount of one plan component of one access (a Waldur resource)
/// for one billing period (a UTC calendar month), and Waldur's answer. Append-only: every attempt is kept.
/// </summary>
public sealed class WaldurUsageReport : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public Guid ResourceUuid { get; set; }
    /// <summary>The Waldur offering component type (the plan component's <c>Type</c>).</summary>
    public required string ComponentType { get; set; }
    /// <summary>First day of the billing period (UTC month).</summary>
    public DateOnly Period { get; set; }
    /// <summary>The amount sent (billed units, two decimals).</summary>
    public decimal Amount { get; set; }
    /// <summary>The raw quantity of the metric behind <see cref="Amount"/>.</summary>
    public long RawQuantity { get; set; }
    public UsageReportOutcome Outcome { get; set; }
    /// <summary>Waldur's HTTP status, when it answered.</summary>
    public int? StatusCode { get; set; }
    /// <summary>Waldur's answer or the failure, shortened; never holds a token.</summary>
    public string? Answer { get; set; }
    public DateTime AttemptedAt { get; set; }
    /// <summary>For <see cref="UsageReportOutcome.Failed"/>: not tried again before this time.</summary>
    public DateTime? RetryAfter { get; set; }
}

internal sealed class WaldurUsageReportEntityTypeConfiguration : IEntityTypeConfiguration<WaldurUsageReport>
{
    public void Configure(EntityTypeBuilder<WaldurUsageReport> b)
    {
        b.ToTable("UsageReports");
        b.HasIndex(r => new { r.AccessId, r.ComponentType, r.Period, r.AttemptedAt });
        b.HasIndex(r => new { r.Period, r.Outcome });
        b.Property(r => r.ComponentType).HasMaxLength(100);
        b.Property(r => r.Amount).HasPrecision(18, 2);
        b.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Answer).HasMaxLength(2000);
    }
}
