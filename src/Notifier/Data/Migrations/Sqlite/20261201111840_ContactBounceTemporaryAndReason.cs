using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContactBounceTemporaryAndReason : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "ContactBounces",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Temporary",
                table: "ContactBounces",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Reason",
                table: "ContactBounces");

            migrationBuilder.DropColumn(
                name: "Temporary",
                table: "ContactBounces");
        }
    }
}
