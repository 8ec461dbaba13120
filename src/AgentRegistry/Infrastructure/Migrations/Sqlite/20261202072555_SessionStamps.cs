using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRegistry.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SessionStamps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "LocalAccounts",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "LocalAccounts");
        }
    }
}
