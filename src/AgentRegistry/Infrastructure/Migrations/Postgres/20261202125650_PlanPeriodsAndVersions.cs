using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRegistry.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PlanPeriodsAndVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Plans_AgentId_Name",
                table: "Plans");

            migrationBuilder.AddColumn<Guid>(
                name: "ReplacedById",
                table: "Plans",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Plans",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateTable(
                name: "AccessPlanPeriods",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    AccessId = table.Column<Guid>(type: "uuid", nullable: false),
                    PlanId = table.Column<Guid>(type: "uuid", nullable: false),
                    From = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    To = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessPlanPeriods", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessPlanPeriods_Accesses_AccessId",
                        column: x => x.AccessId,
                        principalTable: "Accesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AccessPlanPeriods_Plans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "Plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Plans_AgentId_Name_Version",
                table: "Plans",
                columns: new[] { "AgentId", "Name", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccessPlanPeriods_AccessId_From",
                table: "AccessPlanPeriods",
                columns: new[] { "AccessId", "From" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessPlanPeriods_PlanId",
                table: "AccessPlanPeriods",
                column: "PlanId");

            // Existing accesses: one period with their current plan, from its switch (or the access's creation) to termination.
            // The registry kept no earlier history; the period's id is the access's, as each access gets exactly one here.
            migrationBuilder.Sql("""
                INSERT INTO "AccessPlanPeriods" ("Id", "TenantId", "AccessId", "PlanId", "From", "To")
                SELECT "Id", "TenantId", "Id", "PlanId", COALESCE("PlanSince", "CreatedAt"), "TerminatedAt" FROM "Accesses"
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccessPlanPeriods");

            migrationBuilder.DropIndex(
                name: "IX_Plans_AgentId_Name_Version",
                table: "Plans");

            migrationBuilder.DropColumn(
                name: "ReplacedById",
                table: "Plans");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Plans");

            migrationBuilder.CreateIndex(
                name: "IX_Plans_AgentId_Name",
                table: "Plans",
                columns: new[] { "AgentId", "Name" },
                unique: true);
        }
    }
}
