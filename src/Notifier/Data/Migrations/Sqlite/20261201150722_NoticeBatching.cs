using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class NoticeBatching : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CarriedByNoticeId",
                table: "Notices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Notices_CarriedByNoticeId",
                table: "Notices",
                column: "CarriedByNoticeId");

            migrationBuilder.AddForeignKey(
                name: "FK_Notices_Notices_CarriedByNoticeId",
                table: "Notices",
                column: "CarriedByNoticeId",
                principalTable: "Notices",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Notices_Notices_CarriedByNoticeId",
                table: "Notices");

            migrationBuilder.DropIndex(
                name: "IX_Notices_CarriedByNoticeId",
                table: "Notices");

            migrationBuilder.DropColumn(
                name: "CarriedByNoticeId",
                table: "Notices");
        }
    }
}
