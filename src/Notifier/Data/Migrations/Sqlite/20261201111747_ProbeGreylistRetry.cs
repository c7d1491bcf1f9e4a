using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProbeGreylistRetry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Probes_Key",
                table: "Probes");

            migrationBuilder.AddColumn<int>(
                name: "EnvelopeRetry",
                table: "Probes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "RetryOfProbeId",
                table: "Probes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Probes_Key",
                table: "Probes",
                column: "Key");

            migrationBuilder.CreateIndex(
                name: "IX_Probes_RetryOfProbeId",
                table: "Probes",
                column: "RetryOfProbeId");

            migrationBuilder.AddForeignKey(
                name: "FK_Probes_Probes_RetryOfProbeId",
                table: "Probes",
                column: "RetryOfProbeId",
                principalTable: "Probes",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Probes_Probes_RetryOfProbeId",
                table: "Probes");

            migrationBuilder.DropIndex(
                name: "IX_Probes_Key",
                table: "Probes");

            migrationBuilder.DropIndex(
                name: "IX_Probes_RetryOfProbeId",
                table: "Probes");

            migrationBuilder.DropColumn(
                name: "EnvelopeRetry",
                table: "Probes");

            migrationBuilder.DropColumn(
                name: "RetryOfProbeId",
                table: "Probes");

            migrationBuilder.CreateIndex(
                name: "IX_Probes_Key",
                table: "Probes",
                column: "Key",
                unique: true);
        }
    }
}
