using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CompactProbeResults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Result",
                table: "Probes",
                type: "varbinary(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastVerdict",
                table: "Cases",
                type: "nvarchar(30)",
                maxLength: 30,
                nullable: true);

            // The verdict the case list showed, computed once: the newest probe's that has one (what the list
            // computed per case before the column). Compressing the stored results needs Brotli, which no
            // provider has in SQL: ProbeResultStorage.CompactAsync does it at start.
            // In EXEC: the idempotent script runs this in the batch whose ALTER TABLE adds the column, and SQL Server
            // compiles a whole batch first, so a plain UPDATE naming [LastVerdict] fails there with "Invalid column
            // name" (EXEC compiles its text only when it runs, after the column exists).
            migrationBuilder.Sql("""
                EXEC(N'UPDATE [Cases] SET [LastVerdict] = (SELECT p.[Verdict] FROM [Probes] p WHERE p.[Id] = (SELECT MAX(q.[Id]) FROM [Probes] q WHERE q.[CaseId] = [Cases].[Id] AND q.[Verdict] IS NOT NULL));');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Result",
                table: "Probes");

            migrationBuilder.DropColumn(
                name: "LastVerdict",
                table: "Cases");
        }
    }
}
