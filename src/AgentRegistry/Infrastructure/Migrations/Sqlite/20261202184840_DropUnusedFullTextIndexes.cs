using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRegistry.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DropUnusedFullTextIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Keyword ranking is the in-memory BM25 index (ADR 0012): the FTS5 table and the triggers that kept it in step
            // with every chunk write are searched by nothing, so a chunk write no longer pays for them.
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "DocumentChunks_ai";
                DROP TRIGGER IF EXISTS "DocumentChunks_ad";
                DROP TRIGGER IF EXISTS "DocumentChunks_au";
                DROP TABLE IF EXISTS "DocumentChunksFts";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "DocumentChunksFts" USING fts5("Text", content='DocumentChunks', content_rowid='Id', tokenize='porter unicode61');
                INSERT INTO "DocumentChunksFts"("DocumentChunksFts") VALUES ('rebuild');
                CREATE TRIGGER "DocumentChunks_ai" AFTER INSERT ON "DocumentChunks" BEGIN
                  INSERT INTO "DocumentChunksFts"(rowid, "Text") VALUES (new."Id", new."Text");
                END;
                CREATE TRIGGER "DocumentChunks_ad" AFTER DELETE ON "DocumentChunks" BEGIN
                  INSERT INTO "DocumentChunksFts"("DocumentChunksFts", rowid, "Text") VALUES ('delete', old."Id", old."Text");
                END;
                CREATE TRIGGER "DocumentChunks_au" AFTER UPDATE ON "DocumentChunks" BEGIN
                  INSERT INTO "DocumentChunksFts"("DocumentChunksFts", rowid, "Text") VALUES ('delete', old."Id", old."Text");
                  INSERT INTO "DocumentChunksFts"(rowid, "Text") VALUES (new."Id", new."Text");
                END;
                """);
        }
    }
}
