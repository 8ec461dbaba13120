using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using AgentRegistry.Access;

namespace AgentRegistry.Knowledge;

internal sealed class TrainingDocumentModel : IEntityTypeConfiguration<TrainingDocument>
{
    public void Configure(EntityTypeBuilder<TrainingDocument> b)
    {
        b.HasIndex(d => new { d.AccessId, d.Sha256 }).IsUnique();
        b.HasIndex(d => new { d.Status, d.NotBefore });
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.Title).HasMaxLength(300);
        b.Property(d => d.FileName).HasMaxLength(300);
        b.Property(d => d.ContentType).HasMaxLength(200);
        b.Property(d => d.Sha256).HasMaxLength(64);
        b.Property(d => d.FailureCode).HasMaxLength(60);
        b.Property(d => d.FailureReason).HasMaxLength(2000);
        b.HasOne<AgentAccess>().WithMany().HasForeignKey(d => d.AccessId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DocumentContentModel : IEntityTypeConfiguration<DocumentContent>
{
    public void Configure(EntityTypeBuilder<DocumentContent> b)
    {
        b.HasKey(c => c.DocumentId);
        b.HasOne<TrainingDocument>().WithOne().HasForeignKey<DocumentContent>(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DocumentChunkModel : IEntityTypeConfiguration<DocumentChunk>
{
    public void Configure(EntityTypeBuilder<DocumentChunk> b)
    {
        b.HasIndex(c => new { c.AccessId, c.DocumentId });
        b.HasIndex(c => new { c.DocumentId, c.Ordinal }).IsUnique();
        b.Property(c => c.HeadingPath).HasMaxLength(1000);
        b.HasOne<TrainingDocument>().WithMany().HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}
