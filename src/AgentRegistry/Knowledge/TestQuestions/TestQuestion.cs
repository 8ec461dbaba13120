using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Knowledge;

/// <summary>
/// A question a customer keeps for one access with the answer they expect, run on demand and after every document
/// change, so a new document that makes answers worse shows at once. The last run's result is kept on the row.
/// </summary>
public sealed class TestQuestion : ITenantOwned
{
    public Guid Id { get; init; } = Ids.New();
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public required string Question { get; set; }
    public required string ExpectedAnswer { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? LastRunAt { get; set; }
    public bool? LastPassed { get; set; }
    public string? LastAnswer { get; set; }
    /// <summary>The passages the last run found, as JSON (<see cref="TestPassage"/>[]).</summary>
    public string? LastPassages { get; set; }
}

internal sealed class TestQuestionEntityTypeConfiguration : IEntityTypeConfiguration<TestQuestion>
{
    public void Configure(EntityTypeBuilder<TestQuestion> b)
    {
        b.ToTable("TestQuestions");
        b.HasIndex(q => new { q.AccessId, q.CreatedAt });
        b.Property(q => q.Question).HasMaxLength(TestQuestionInput.MaxLength);
        b.Property(q => q.ExpectedAnswer).HasMaxLength(TestQuestionInput.MaxLength);
        b.HasOne<AgentAccess>().WithMany().HasForeignKey(q => q.AccessId).OnDelete(DeleteBehavior.Cascade);
    }
}
