using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRegistry.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WaldurUsageReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsageReports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccessId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ResourceUuid = table.Column<Guid>(type: "TEXT", nullable: false),
                    ComponentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Period = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    RawQuantity = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AttemptedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RetryAfter = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageReports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageReports_AccessId_ComponentType_Period_AttemptedAt",
                table: "UsageReports",
                columns: new[] { "AccessId", "ComponentType", "Period", "AttemptedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageReports_Period_Outcome",
                table: "UsageReports",
                columns: new[] { "Period", "Outcome" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageReports");
        }
    }
}
