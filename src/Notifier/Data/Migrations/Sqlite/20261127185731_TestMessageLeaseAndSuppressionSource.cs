using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TestMessageLeaseAndSuppressionSource : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "InboundMessageId",
                table: "Suppressions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "ProbeTestMessages",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LeaseUntil",
                table: "ProbeTestMessages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Suppressions_InboundMessageId",
                table: "Suppressions",
                column: "InboundMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_ProbeTestMessages_Status",
                table: "ProbeTestMessages",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Suppressions_InboundMessageId",
                table: "Suppressions");

            migrationBuilder.DropIndex(
                name: "IX_ProbeTestMessages_Status",
                table: "ProbeTestMessages");

            migrationBuilder.DropColumn(
                name: "InboundMessageId",
                table: "Suppressions");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "ProbeTestMessages");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "ProbeTestMessages");
        }
    }
}
