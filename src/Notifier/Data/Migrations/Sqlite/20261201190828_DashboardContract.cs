using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DashboardContract : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DisabledAt",
                table: "Operators",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Role",
                table: "Operators",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "operator");

            // Every account keeps what it could do: an admin stays admin, the others become operators (no viewer yet).
            migrationBuilder.Sql("UPDATE Operators SET Role = CASE WHEN IsAdmin THEN 'admin' ELSE 'operator' END;");

            migrationBuilder.DropColumn(
                name: "IsAdmin",
                table: "Operators");

            migrationBuilder.AddColumn<string>(
                name: "EditReason",
                table: "Notices",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EditedAt",
                table: "Notices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EditedBy",
                table: "Notices",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EditedText",
                table: "Notices",
                type: "TEXT",
                maxLength: 100000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssignedTo",
                table: "Cases",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedTo",
                table: "Cases",
                column: "AssignedTo");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssignedTo",
                table: "Cases");

            migrationBuilder.AddColumn<bool>(
                name: "IsAdmin",
                table: "Operators",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.Sql("UPDATE Operators SET IsAdmin = (Role = 'admin');");

            migrationBuilder.DropColumn(
                name: "DisabledAt",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "Role",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "EditReason",
                table: "Notices");

            migrationBuilder.DropColumn(
                name: "EditedAt",
                table: "Notices");

            migrationBuilder.DropColumn(
                name: "EditedBy",
                table: "Notices");

            migrationBuilder.DropColumn(
                name: "EditedText",
                table: "Notices");

            migrationBuilder.DropColumn(
                name: "AssignedTo",
                table: "Cases");
        }
    }
}
