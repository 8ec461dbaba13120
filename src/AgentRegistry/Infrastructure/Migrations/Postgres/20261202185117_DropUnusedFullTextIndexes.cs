using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRegistry.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DropUnusedFullTextIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Keyword ranking is the in-memory BM25 index (ADR 0012): the generated tsvector column and its GIN index were
            // recomputed on every chunk write and searched by nothing.
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_DocumentChunks_SearchVector";
                ALTER TABLE "DocumentChunks" DROP COLUMN IF EXISTS "SearchVector";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE "DocumentChunks" ADD COLUMN "SearchVector" tsvector
                  GENERATED ALWAYS AS (to_tsvector('english', "Text")) STORED;
                CREATE INDEX "IX_DocumentChunks_SearchVector" ON "DocumentChunks" USING GIN ("SearchVector");
                """);
        }
    }
}
