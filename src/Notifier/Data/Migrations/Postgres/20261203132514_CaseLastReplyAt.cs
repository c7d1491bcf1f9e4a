using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CaseLastReplyAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notices_CaseId",
                table: "Notices");

            migrationBuilder.DropIndex(
                name: "IX_Cases_NextAction_NextActionAt_State",
                table: "Cases");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastReplyAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            // The latest reply's time of every case that has one, from its timeline (what IgnoredNotices searched for
            // each notice before the column); CaseWorkflow keeps it from here on. Only the cases with a reply are
            // written ('reply' is CaseEventKind.Reply), found through the CaseEvents index on (Kind, ToState, At).
            migrationBuilder.Sql("""
                UPDATE "Cases" SET "LastReplyAt" = (SELECT MAX(e."At") FROM "CaseEvents" e WHERE e."CaseId" = "Cases"."Id" AND e."Kind" = 'reply')
                WHERE "Id" IN (SELECT r."CaseId" FROM "CaseEvents" r WHERE r."Kind" = 'reply');
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Notices_CaseId_State_Kind_SentAt",
                table: "Notices",
                columns: new[] { "CaseId", "State", "Kind", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Notices_State_Kind_CaseId_SentAt",
                table: "Notices",
                columns: new[] { "State", "Kind", "CaseId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_NextAction_NextActionAt_State_UpdatedAt",
                table: "Cases",
                columns: new[] { "NextAction", "NextActionAt", "State", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notices_CaseId_State_Kind_SentAt",
                table: "Notices");

            migrationBuilder.DropIndex(
                name: "IX_Notices_State_Kind_CaseId_SentAt",
                table: "Notices");

            migrationBuilder.DropIndex(
                name: "IX_Cases_NextAction_NextActionAt_State_UpdatedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "LastReplyAt",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Notices_CaseId",
                table: "Notices",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_NextAction_NextActionAt_State",
                table: "Cases",
                columns: new[] { "NextAction", "NextActionAt", "State" });
        }
    }
}
