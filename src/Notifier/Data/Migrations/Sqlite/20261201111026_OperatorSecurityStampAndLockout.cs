using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OperatorSecurityStampAndLockout : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FailedSignIns",
                table: "Operators",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "LockedUntil",
                table: "Operators",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "Operators",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // Every existing account gets its own stamp; sessions signed in before this migration carry none and end.
            migrationBuilder.Sql("UPDATE Operators SET SecurityStamp = hex(randomblob(16));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FailedSignIns",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "LockedUntil",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "Operators");
        }
    }
}
