using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AgentRegistry.Infrastructure.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    AccessId = table.Column<Guid>(type: "uuid", nullable: false),
                    Metric = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Period = table.Column<DateOnly>(type: "date", nullable: false),
                    Threshold = table.Column<int>(type: "integer", nullable: false),
                    Used = table.Column<long>(type: "bigint", nullable: false),
                    Limit = table.Column<long>(type: "bigint", nullable: false),
                    RaisedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
