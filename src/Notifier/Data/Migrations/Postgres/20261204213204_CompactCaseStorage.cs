using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CompactCaseStorage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CaseEvents_CaseId_At",
                table: "CaseEvents");

            migrationBuilder.AlterTable(
                name: "Probes")
                .Annotation("Npgsql:StorageParameter:toast_tuple_target", 8160);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "Probes")
                .OldAnnotation("Npgsql:StorageParameter:toast_tuple_target", 8160);

            migrationBuilder.CreateIndex(
                name: "IX_CaseEvents_CaseId_At",
                table: "CaseEvents",
                columns: new[] { "CaseId", "At" });
        }
    }
}
