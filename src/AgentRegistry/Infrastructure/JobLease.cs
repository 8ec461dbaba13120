using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// A named lease in the database, so that a periodic job runs on one replica at a time: whoever holds
/// an unexpired lease runs the job; a replica that dies loses it when it expires.
/// </summary>
public sealed class JobLease
{
    public required string Name { get; init; }
    public required string Holder { get; set; }
    public DateTime Until { get; set; }

    /// <summary>This process, as a lease holder.</summary>
    public static readonly string Me = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public static async Task<bool> TryAcquireAsync(RegistryDb db, string name, TimeSpan duration, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var until = now + duration;
        var taken = await db.JobLeases.Where(l => l.Name == name && (l.Until < now || l.Holder == Me))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, Me).SetProperty(l => l.Until, until), ct);
        if (taken == 1) return true;
        // First use of the name: whoever inserts the row holds it; a replica that loses the race inserts nothing.
        return await db.Database.ExecuteSqlAsync(
            $"INSERT INTO \"JobLeases\" (\"Name\", \"Holder\", \"Until\") VALUES ({name}, {Me}, {until}) ON CONFLICT (\"Name\") DO NOTHING", ct) == 1;
    }

    /// <summary>Gives the lease up before it runs out, if this process holds it, so another replica need not wait.</summary>
    public static Task ReleaseAsync(RegistryDb db, string name, CancellationToken ct) =>
        db.JobLeases.Where(l => l.Name == name && l.Holder == Me)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Until, db.Clock.GetUtcNow().UtcDateTime), ct);
}

internal sealed class JobLeaseEntityTypeConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> b)
    {
        b.ToTable("JobLeases");
        b.HasKey(l => l.Name);
        b.Property(l => l.Name).HasMaxLength(100);
        b.Property(l => l.Holder).HasMaxLength(200);
    }
}
