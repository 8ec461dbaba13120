using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using AgentRegistry.Access;

namespace AgentRegistry.Knowledge;

/// <summary>
/// The Knowledge feature's tables on the registry's one context (<c>db.TrainingDocuments</c> ...): the feature names its own entities, so
/// that the data layer names none. Inside a query's lambda use <c>db.Set&lt;T&gt;()</c> (an expression tree cannot hold an
/// extension property).
/// </summary>
public static class KnowledgeTables
{
    extension(RegistryDb db)
    {
        public DbSet<TrainingDocument> TrainingDocuments => db.Set<TrainingDocument>();
        public DbSet<DocumentContent> DocumentContents => db.Set<DocumentContent>();
        public DbSet<DocumentChunk> DocumentChunks => db.Set<DocumentChunk>();
        public DbSet<TestQuestion> TestQuestions => db.Set<TestQuestion>();
    }
}

internal sealed class TrainingDocumentEntityTypeConfiguration : IEntityTypeConfiguration<TrainingDocument>
{
    public void Configure(EntityTypeBuilder<TrainingDocument> b)
    {
        b.ToTable("TrainingDocuments");
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

internal sealed class DocumentContentEntityTypeConfiguration : IEntityTypeConfiguration<DocumentContent>
{
    public void Configure(EntityTypeBuilder<DocumentContent> b)
    {
        b.ToTable("DocumentContents");
        b.HasKey(c => c.DocumentId);
        b.HasOne<TrainingDocument>().WithOne().HasForeignKey<DocumentContent>(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DocumentChunkEntityTypeConfiguration : IEntityTypeConfiguration<DocumentChunk>
{
    public void Configure(EntityTypeBuilder<DocumentChunk> b)
    {
        b.ToTable("DocumentChunks");
        b.HasIndex(c => new { c.AccessId, c.DocumentId });
        b.HasIndex(c => new { c.DocumentId, c.Ordinal }).IsUnique();
        b.Property(c => c.HeadingPath).HasMaxLength(1000);
        b.HasOne<TrainingDocument>().WithMany().HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}
