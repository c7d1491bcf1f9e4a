using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CaseListOrderIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cases_NeedsAttention_UpdatedAt",
                table: "Cases",
                columns: new[] { "NeedsAttention", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_NeedsAttention_UpdatedAt",
                table: "Cases");
        }
    }
}
