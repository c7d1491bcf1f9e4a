using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RetestLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Probes_CaseId",
                table: "Probes");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Probes",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "initial");

            migrationBuilder.AddColumn<string>(
                name: "RequestedBy",
                table: "Probes",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RetestOutcome",
                table: "Probes",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Variants",
                table: "Probes",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClosedReason",
                table: "Cases",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EscalatedAt",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FirstNoticeAt",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "InconclusiveInARow",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "LastRetestAt",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Network",
                table: "Cases",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReopenCount",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "ResolvedAt",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RetestsDone",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ToState",
                table: "CaseEvents",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Probes_CaseId_Kind",
                table: "Probes",
                columns: new[] { "CaseId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseEvents_Kind_ToState_At",
                table: "CaseEvents",
                columns: new[] { "Kind", "ToState", "At" });

            // The state changes written before the column: their summary reads "<from> → <to>: <why>".
            migrationBuilder.Sql("""
                UPDATE CaseEvents SET ToState = substr(Summary, instr(Summary, '→ ') + 2, instr(Summary, ':') - instr(Summary, '→ ') - 2)
                WHERE Kind = 'state-changed' AND instr(Summary, '→ ') > 0 AND instr(Summary, ':') > instr(Summary, '→ ');
                """);
            // Cases notified before retests existed: the schedule counts from their first notice, and the first retest is due now.
            migrationBuilder.Sql("""
                UPDATE Cases SET FirstNoticeAt = (SELECT min(n.SentAt) FROM Notices n WHERE n.CaseId = Cases.Id AND n.SentAt IS NOT NULL)
                WHERE EXISTS (SELECT 1 FROM Notices n WHERE n.CaseId = Cases.Id AND n.SentAt IS NOT NULL);
                UPDATE Cases SET NextAction = 'retest', NextActionAt = FirstNoticeAt WHERE State = 'Monitoring' AND NextAction IS NULL AND FirstNoticeAt IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Probes_CaseId_Kind",
                table: "Probes");

            migrationBuilder.DropIndex(
                name: "IX_CaseEvents_Kind_ToState_At",
                table: "CaseEvents");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Probes");

            migrationBuilder.DropColumn(
                name: "RequestedBy",
                table: "Probes");

            migrationBuilder.DropColumn(
                name: "RetestOutcome",
                table: "Probes");

            migrationBuilder.DropColumn(
                name: "Variants",
                table: "Probes");

            migrationBuilder.DropColumn(
                name: "ClosedReason",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "EscalatedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FirstNoticeAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "InconclusiveInARow",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "LastRetestAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Network",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ReopenCount",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ResolvedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "RetestsDone",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ToState",
                table: "CaseEvents");

            migrationBuilder.CreateIndex(
                name: "IX_Probes_CaseId",
                table: "Probes",
                column: "CaseId");
        }
    }
}
