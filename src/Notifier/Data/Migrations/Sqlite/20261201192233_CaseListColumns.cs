using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseListColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AddressKey",
                table: "Cases",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HostName",
                table: "Cases",
                type: "TEXT",
                maxLength: 253,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mta",
                table: "Cases",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            // The latest name and MTA the probes of each case saw (what CaseWorkflow records from now on).
            // AddressKey needs IPv6 parsing, which SQLite's SQL lacks: CaseAddressKey.BackfillAsync sets it at start.
            migrationBuilder.Sql("""
                UPDATE Cases SET
                  HostName = (SELECT json_extract(p.ResultJson, '$.hostName') FROM Probes p
                              WHERE p.CaseId = Cases.Id AND p.ResultJson IS NOT NULL AND json_valid(p.ResultJson) AND json_extract(p.ResultJson, '$.hostName') IS NOT NULL
                              ORDER BY p.Id DESC LIMIT 1),
                  Mta = (SELECT p.Mta FROM Probes p WHERE p.CaseId = Cases.Id AND p.Mta IS NOT NULL AND p.Mta <> 'unknown' ORDER BY p.Id DESC LIMIT 1);
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AddressKey",
                table: "Cases",
                column: "AddressKey");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CreatedAt",
                table: "Cases",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Mta",
                table: "Cases",
                column: "Mta");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_UpdatedAt",
                table: "Cases",
                column: "UpdatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AddressKey",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_CreatedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Mta",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_UpdatedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "AddressKey",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "HostName",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Mta",
                table: "Cases");
        }
    }
}
