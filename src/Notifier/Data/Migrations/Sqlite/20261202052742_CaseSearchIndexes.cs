using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cases_Address",
                table: "Cases",
                column: "Address");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_NextAction_NextActionAt_State",
                table: "Cases",
                columns: new[] { "NextAction", "NextActionAt", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_Address",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_NextAction_NextActionAt_State",
                table: "Cases");
        }
    }
}
