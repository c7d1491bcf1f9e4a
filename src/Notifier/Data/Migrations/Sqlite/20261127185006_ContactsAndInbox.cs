using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContactsAndInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CaseContactLookups",
                columns: table => new
                {
                    CaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    Ip = table.Column<string>(type: "TEXT", maxLength: 45, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConfirmedDomains = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PtrNamesJson = table.Column<string>(type: "TEXT", nullable: false),
                    NotesJson = table.Column<string>(type: "TEXT", nullable: false),
                    Chosen = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseContactLookups", x => x.CaseId);
                    table.ForeignKey(
                        name: "FK_CaseContactLookups_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CaseContacts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Sources = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Confidence = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Rank = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    EvidenceJson = table.Column<string>(type: "TEXT", nullable: false),
                    FoundJson = table.Column<string>(type: "TEXT", nullable: false),
                    NetworkPrefixLength = table.Column<int>(type: "INTEGER", nullable: true),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RankedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseContacts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseContacts_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InboundMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Folder = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UidValidity = table.Column<long>(type: "INTEGER", nullable: false),
                    Uid = table.Column<long>(type: "INTEGER", nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 998, nullable: true),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FetchedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Date = table.Column<long>(type: "INTEGER", nullable: true),
                    FromAddress = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    From = table.Column<string>(type: "TEXT", nullable: true),
                    To = table.Column<string>(type: "TEXT", nullable: true),
                    Subject = table.Column<string>(type: "TEXT", nullable: true),
                    InReplyTo = table.Column<string>(type: "TEXT", nullable: true),
                    References = table.Column<string>(type: "TEXT", nullable: true),
                    Headers = table.Column<string>(type: "TEXT", nullable: false),
                    Raw = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Class = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Intent = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Rule = table.Column<string>(type: "TEXT", nullable: true),
                    Detail = table.Column<string>(type: "TEXT", nullable: true),
                    CaseId = table.Column<int>(type: "INTEGER", nullable: true),
                    ProbeId = table.Column<int>(type: "INTEGER", nullable: true),
                    Token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    MovedTo = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboundMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ManualContactRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CaseId = table.Column<int>(type: "INTEGER", nullable: true),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    Network = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    AddedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ManualContactRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ManualContactRules_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ProbeTestMessages",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProbeId = table.Column<int>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Variant = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    VariantClass = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Target = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TargetHostName = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 998, nullable: true),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DataReply = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ArrivedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    InboundMessageId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProbeTestMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProbeTestMessages_Probes_ProbeId",
                        column: x => x.ProbeId,
                        principalTable: "Probes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseContacts_Address",
                table: "CaseContacts",
                column: "Address");

            migrationBuilder.CreateIndex(
                name: "IX_CaseContacts_CaseId_Address",
                table: "CaseContacts",
                columns: new[] { "CaseId", "Address" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_CaseId",
                table: "InboundMessages",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_Class",
                table: "InboundMessages",
                column: "Class");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_Folder_UidValidity_Uid",
                table: "InboundMessages",
                columns: new[] { "Folder", "UidValidity", "Uid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_FromAddress",
                table: "InboundMessages",
                column: "FromAddress");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_MessageId",
                table: "InboundMessages",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_Token",
                table: "InboundMessages",
                column: "Token");

            migrationBuilder.CreateIndex(
                name: "IX_ManualContactRules_Address",
                table: "ManualContactRules",
                column: "Address");

            migrationBuilder.CreateIndex(
                name: "IX_ManualContactRules_CaseId",
                table: "ManualContactRules",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_ManualContactRules_Scope_CaseId",
                table: "ManualContactRules",
                columns: new[] { "Scope", "CaseId" });

            migrationBuilder.CreateIndex(
                name: "IX_ProbeTestMessages_MessageId",
                table: "ProbeTestMessages",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_ProbeTestMessages_ProbeId_Sequence",
                table: "ProbeTestMessages",
                columns: new[] { "ProbeId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ProbeTestMessages_Token",
                table: "ProbeTestMessages",
                column: "Token",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaseContactLookups");

            migrationBuilder.DropTable(
                name: "CaseContacts");

            migrationBuilder.DropTable(
                name: "InboundMessages");

            migrationBuilder.DropTable(
                name: "ManualContactRules");

            migrationBuilder.DropTable(
                name: "ProbeTestMessages");
        }
    }
}
