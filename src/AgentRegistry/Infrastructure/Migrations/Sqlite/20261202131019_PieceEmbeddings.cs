using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRegistry.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PieceEmbeddings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "PieceEmbeddings",
                table: "DocumentChunks",
                type: "BLOB",
                nullable: true);

            // Answer pieces are now embedded with their chunk: documents made ready before are queued again and
            // re-indexed from their stored bytes; their old chunks answer (by words alone) until the new ones replace them.
            migrationBuilder.Sql("""
                UPDATE "TrainingDocuments" SET "Status" = 'Queued', "NotBefore" = NULL, "Attempts" = 0 WHERE "Status" = 'Ready'
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PieceEmbeddings",
                table: "DocumentChunks");
        }
    }
}
