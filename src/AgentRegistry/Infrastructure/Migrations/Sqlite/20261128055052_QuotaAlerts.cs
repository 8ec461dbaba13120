using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRegistry.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class QuotaAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "QuotaAlerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccessId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Period = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Threshold = table.Column<int>(type: "INTEGER", nullable: false),
                    Used = table.Column<long>(type: "INTEGER", nullable: false),
                    Limit = table.Column<long>(type: "INTEGER", nullable: false),
                    RaisedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuotaAlerts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QuotaAlerts_AccessId_Metric_Period_Threshold",
                table: "QuotaAlerts",
                columns: new[] { "AccessId", "Metric", "Period", "Threshold" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QuotaAlerts_TenantId_Period",
                table: "QuotaAlerts",
                columns: new[] { "TenantId", "Period" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuotaAlerts");
        }
    }
}
