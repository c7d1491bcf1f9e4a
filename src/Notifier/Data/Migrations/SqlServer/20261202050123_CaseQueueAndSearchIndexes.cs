using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CaseQueueAndSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Address",
                table: "Cases",
                type: "nvarchar(45)",
                maxLength: 45,
                nullable: false,
                collation: "Latin1_General_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(45)",
                oldMaxLength: 45);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Address",
                table: "Cases",
                column: "Address");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_NeedsAttention_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "NeedsAttention", "UpdatedAt", "Id" });

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
                name: "IX_Cases_NeedsAttention_UpdatedAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_NextAction_NextActionAt_State",
                table: "Cases");

            migrationBuilder.AlterColumn<string>(
                name: "Address",
                table: "Cases",
                type: "nvarchar(45)",
                maxLength: 45,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(45)",
                oldMaxLength: 45,
                oldCollation: "Latin1_General_BIN2");
        }
    }
}
