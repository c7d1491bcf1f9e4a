PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);
INSERT INTO __EFMigrationsHistory VALUES('20261127182211_Initial','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261127185006_ContactsAndInbox','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261127185731_TestMessageLeaseAndSuppressionSource','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201111026_OperatorSecurityStampAndLockout','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201111747_ProbeGreylistRetry','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201111840_ContactBounceTemporaryAndReason','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201134501_InboundMessageHeldIntent','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201135257_Notices','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201150444_CaseContactCountry','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201150722_NoticeBatching','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201162015_RetestLifecycle','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201165015_RetestSchedule','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201190828_DashboardContract','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201192233_CaseListColumns','10.0.15');
INSERT INTO __EFMigrationsHistory VALUES('20261201211928_CaseEventKindIndex','10.0.15');
CREATE TABLE IF NOT EXISTS "ApiKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ApiKeys" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Prefix" TEXT NOT NULL,
    "Hash" TEXT NOT NULL,
    "Scope" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    "LastUsedAt" INTEGER NULL
);
CREATE TABLE IF NOT EXISTS "Cases" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Cases" PRIMARY KEY AUTOINCREMENT,
    "Address" TEXT NOT NULL,
    "Port" INTEGER NOT NULL,
    "RelayKey" TEXT NOT NULL,
    "OpenRelayKey" TEXT NULL,
    "State" TEXT NOT NULL,
    "Source" TEXT NULL,
    "Note" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "NextActionAt" INTEGER NULL,
    "NextAction" TEXT NULL,
    "ProbeAttempts" INTEGER NOT NULL,
    "NeedsAttention" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL
, "ClosedReason" TEXT NULL, "EscalatedAt" INTEGER NULL, "FirstNoticeAt" INTEGER NULL, "InconclusiveInARow" INTEGER NOT NULL DEFAULT 0, "LastRetestAt" INTEGER NULL, "Network" TEXT NULL, "ReopenCount" INTEGER NOT NULL DEFAULT 0, "ResolvedAt" INTEGER NULL, "RetestsDone" INTEGER NOT NULL DEFAULT 0, "NextActionRequestedBy" TEXT NULL, "ScheduleFrom" INTEGER NULL, "UnreachableReprobes" INTEGER NOT NULL DEFAULT 0, "AssignedTo" TEXT NULL, "AddressKey" TEXT NULL, "HostName" TEXT NULL, "Mta" TEXT NULL);
CREATE TABLE IF NOT EXISTS "ContactBounces" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ContactBounces" PRIMARY KEY AUTOINCREMENT,
    "Address" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Diagnostic" TEXT NULL,
    "CaseId" INTEGER NULL
, "Reason" TEXT NULL, "Temporary" INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS "Suppressions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Suppressions" PRIMARY KEY AUTOINCREMENT,
    "Value" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "AddedBy" TEXT NOT NULL,
    "AddedAt" INTEGER NOT NULL
, "InboundMessageId" INTEGER NULL);
CREATE TABLE IF NOT EXISTS "CaseEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CaseEvents" PRIMARY KEY AUTOINCREMENT,
    "CaseId" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "Actor" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Summary" TEXT NOT NULL,
    "Data" TEXT NULL, "ToState" TEXT NULL,
    CONSTRAINT "FK_CaseEvents_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "Samples" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Samples" PRIMARY KEY AUTOINCREMENT,
    "CaseId" INTEGER NOT NULL,
    "ReceivedAt" INTEGER NOT NULL,
    "Subject" TEXT NULL,
    "From" TEXT NULL,
    "MessageId" TEXT NULL,
    "Date" INTEGER NULL,
    "HopsJson" TEXT NULL,
    "Raw" BLOB NOT NULL,
    CONSTRAINT "FK_Samples_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "CaseContactLookups" (
    "CaseId" INTEGER NOT NULL CONSTRAINT "PK_CaseContactLookups" PRIMARY KEY,
    "Ip" TEXT NOT NULL,
    "StartedAt" INTEGER NOT NULL,
    "FinishedAt" INTEGER NOT NULL,
    "ConfirmedDomains" TEXT NOT NULL,
    "PtrNamesJson" TEXT NOT NULL,
    "NotesJson" TEXT NOT NULL,
    "Chosen" TEXT NULL,
    CONSTRAINT "FK_CaseContactLookups_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "CaseContacts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CaseContacts" PRIMARY KEY AUTOINCREMENT,
    "CaseId" INTEGER NOT NULL,
    "Address" TEXT NOT NULL,
    "Source" TEXT NOT NULL,
    "Sources" TEXT NOT NULL,
    "Tier" TEXT NOT NULL,
    "Confidence" TEXT NOT NULL,
    "Rank" INTEGER NULL,
    "Status" TEXT NOT NULL,
    "StatusReason" TEXT NULL,
    "EvidenceJson" TEXT NOT NULL,
    "FoundJson" TEXT NOT NULL,
    "NetworkPrefixLength" INTEGER NULL,
    "FirstSeenAt" INTEGER NOT NULL,
    "LastSeenAt" INTEGER NOT NULL,
    "RankedAt" INTEGER NOT NULL, "Country" TEXT NULL,
    CONSTRAINT "FK_CaseContacts_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "InboundMessages" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_InboundMessages" PRIMARY KEY AUTOINCREMENT,
    "Folder" TEXT NOT NULL,
    "UidValidity" INTEGER NOT NULL,
    "Uid" INTEGER NOT NULL,
    "MessageId" TEXT NULL,
    "Sha256" TEXT NOT NULL,
    "FetchedAt" INTEGER NOT NULL,
    "Date" INTEGER NULL,
    "FromAddress" TEXT NULL,
    "From" TEXT NULL,
    "To" TEXT NULL,
    "Subject" TEXT NULL,
    "InReplyTo" TEXT NULL,
    "References" TEXT NULL,
    "Headers" TEXT NOT NULL,
    "Raw" BLOB NOT NULL,
    "Class" TEXT NOT NULL,
    "Intent" TEXT NULL,
    "Rule" TEXT NULL,
    "Detail" TEXT NULL,
    "CaseId" INTEGER NULL,
    "ProbeId" INTEGER NULL,
    "Token" TEXT NULL,
    "ProcessedAt" INTEGER NOT NULL,
    "MovedTo" TEXT NULL
, "HeldIntent" TEXT NULL);
CREATE TABLE IF NOT EXISTS "ManualContactRules" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ManualContactRules" PRIMARY KEY AUTOINCREMENT,
    "Address" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "Scope" TEXT NOT NULL,
    "CaseId" INTEGER NULL,
    "Domain" TEXT NULL,
    "Network" TEXT NULL,
    "AddedBy" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "AddedAt" INTEGER NOT NULL, "Language" TEXT NULL,
    CONSTRAINT "FK_ManualContactRules_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "ProbeTestMessages" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ProbeTestMessages" PRIMARY KEY AUTOINCREMENT,
    "ProbeId" INTEGER NOT NULL,
    "Sequence" INTEGER NOT NULL,
    "Variant" TEXT NOT NULL,
    "VariantClass" TEXT NULL,
    "Status" TEXT NOT NULL,
    "Token" TEXT NULL,
    "Target" TEXT NOT NULL,
    "TargetHostName" TEXT NULL,
    "MessageId" TEXT NULL,
    "QueuedAt" INTEGER NOT NULL,
    "SentAt" INTEGER NULL,
    "DataReply" TEXT NULL,
    "ArrivedAt" INTEGER NULL,
    "InboundMessageId" INTEGER NULL, "LeaseOwner" TEXT NULL, "LeaseUntil" INTEGER NULL,
    CONSTRAINT "FK_ProbeTestMessages_Probes_ProbeId" FOREIGN KEY ("ProbeId") REFERENCES "Probes" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "Probes" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Probes" PRIMARY KEY AUTOINCREMENT,
    "AcceptedClass" TEXT NULL,
    "AcceptedVariants" TEXT NULL,
    "CanaryAddress" TEXT NULL,
    "CaseId" INTEGER NOT NULL,
    "DataReply" TEXT NULL,
    "EnvelopeRetry" INTEGER NOT NULL,
    "FinishedAt" INTEGER NULL,
    "Key" TEXT NOT NULL,
    "LeaseOwner" TEXT NULL,
    "LeaseUntil" INTEGER NULL,
    "Mode" TEXT NOT NULL,
    "Mta" TEXT NULL,
    "QueuedAt" INTEGER NOT NULL,
    "Reason" TEXT NULL,
    "ResultJson" TEXT NULL,
    "RetryOfProbeId" INTEGER NULL,
    "StartedAt" INTEGER NULL,
    "Status" TEXT NOT NULL,
    "Token" TEXT NULL,
    "Verdict" TEXT NULL, "Kind" TEXT NOT NULL DEFAULT 'initial', "RequestedBy" TEXT NULL, "RetestOutcome" TEXT NULL, "Variants" TEXT NULL,
    CONSTRAINT "FK_Probes_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Probes_Probes_RetryOfProbeId" FOREIGN KEY ("RetryOfProbeId") REFERENCES "Probes" ("Id") ON DELETE RESTRICT
);
CREATE TABLE IF NOT EXISTS "OwnerLinks" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_OwnerLinks" PRIMARY KEY AUTOINCREMENT,
    "CaseId" INTEGER NOT NULL,
    "CaseContactId" INTEGER NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    CONSTRAINT "FK_OwnerLinks_CaseContacts_CaseContactId" FOREIGN KEY ("CaseContactId") REFERENCES "CaseContacts" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_OwnerLinks_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "Notices" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Notices" PRIMARY KEY AUTOINCREMENT,
    "ApprovedAt" INTEGER NULL,
    "ApprovedBy" TEXT NULL,
    "Attempts" INTEGER NOT NULL,
    "CarriedByNoticeId" INTEGER NULL,
    "CaseContactId" INTEGER NULL,
    "CaseId" INTEGER NOT NULL,
    "CaseStateAtPlan" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DeliveryDetail" TEXT NULL,
    "Kind" TEXT NOT NULL,
    "Language" TEXT NULL,
    "LastError" TEXT NULL,
    "LeaseOwner" TEXT NULL,
    "LeaseUntil" INTEGER NULL,
    "MessageId" TEXT NULL,
    "NextAttemptAt" INTEGER NULL,
    "Recipient" TEXT NOT NULL,
    "ReplacesNoticeId" INTEGER NULL,
    "SentAt" INTEGER NULL,
    "State" TEXT NOT NULL,
    "Transport" TEXT NULL, "EditReason" TEXT NULL, "EditedAt" INTEGER NULL, "EditedBy" TEXT NULL, "EditedText" TEXT NULL,
    CONSTRAINT "FK_Notices_CaseContacts_CaseContactId" FOREIGN KEY ("CaseContactId") REFERENCES "CaseContacts" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Notices_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Notices_Notices_CarriedByNoticeId" FOREIGN KEY ("CarriedByNoticeId") REFERENCES "Notices" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Notices_Notices_ReplacesNoticeId" FOREIGN KEY ("ReplacesNoticeId") REFERENCES "Notices" ("Id") ON DELETE RESTRICT
);
CREATE TABLE IF NOT EXISTS "Operators" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Operators" PRIMARY KEY AUTOINCREMENT,
    "CreatedAt" INTEGER NOT NULL,
    "DisabledAt" INTEGER NULL,
    "FailedSignIns" INTEGER NOT NULL,
    "LockedUntil" INTEGER NULL,
    "PasswordHash" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "SecurityStamp" TEXT NOT NULL,
    "UserName" TEXT NOT NULL
);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('Probes',0);
INSERT INTO sqlite_sequence VALUES('Notices',0);
INSERT INTO sqlite_sequence VALUES('Operators',0);
CREATE UNIQUE INDEX "IX_ApiKeys_Prefix" ON "ApiKeys" ("Prefix");
CREATE INDEX "IX_CaseEvents_CaseId_At" ON "CaseEvents" ("CaseId", "At");
CREATE INDEX "IX_Cases_NextActionAt" ON "Cases" ("NextActionAt");
CREATE UNIQUE INDEX "IX_Cases_OpenRelayKey" ON "Cases" ("OpenRelayKey");
CREATE INDEX "IX_Cases_RelayKey" ON "Cases" ("RelayKey");
CREATE INDEX "IX_Cases_State" ON "Cases" ("State");
CREATE INDEX "IX_ContactBounces_Address" ON "ContactBounces" ("Address");
CREATE INDEX "IX_Samples_CaseId" ON "Samples" ("CaseId");
CREATE UNIQUE INDEX "IX_Suppressions_Value" ON "Suppressions" ("Value");
CREATE INDEX "IX_CaseContacts_Address" ON "CaseContacts" ("Address");
CREATE UNIQUE INDEX "IX_CaseContacts_CaseId_Address" ON "CaseContacts" ("CaseId", "Address");
CREATE INDEX "IX_InboundMessages_CaseId" ON "InboundMessages" ("CaseId");
CREATE INDEX "IX_InboundMessages_Class" ON "InboundMessages" ("Class");
CREATE UNIQUE INDEX "IX_InboundMessages_Folder_UidValidity_Uid" ON "InboundMessages" ("Folder", "UidValidity", "Uid");
CREATE INDEX "IX_InboundMessages_FromAddress" ON "InboundMessages" ("FromAddress");
CREATE INDEX "IX_InboundMessages_MessageId" ON "InboundMessages" ("MessageId");
CREATE INDEX "IX_InboundMessages_Token" ON "InboundMessages" ("Token");
CREATE INDEX "IX_ManualContactRules_Address" ON "ManualContactRules" ("Address");
CREATE INDEX "IX_ManualContactRules_CaseId" ON "ManualContactRules" ("CaseId");
CREATE INDEX "IX_ManualContactRules_Scope_CaseId" ON "ManualContactRules" ("Scope", "CaseId");
CREATE INDEX "IX_ProbeTestMessages_MessageId" ON "ProbeTestMessages" ("MessageId");
CREATE UNIQUE INDEX "IX_ProbeTestMessages_ProbeId_Sequence" ON "ProbeTestMessages" ("ProbeId", "Sequence");
CREATE UNIQUE INDEX "IX_ProbeTestMessages_Token" ON "ProbeTestMessages" ("Token");
CREATE INDEX "IX_Suppressions_InboundMessageId" ON "Suppressions" ("InboundMessageId");
CREATE INDEX "IX_ProbeTestMessages_Status" ON "ProbeTestMessages" ("Status");
CREATE INDEX "IX_Probes_Key" ON "Probes" ("Key");
CREATE INDEX "IX_Probes_RetryOfProbeId" ON "Probes" ("RetryOfProbeId");
CREATE INDEX "IX_Probes_Status" ON "Probes" ("Status");
CREATE INDEX "IX_OwnerLinks_CaseContactId" ON "OwnerLinks" ("CaseContactId");
CREATE INDEX "IX_OwnerLinks_CaseId_CaseContactId" ON "OwnerLinks" ("CaseId", "CaseContactId");
CREATE UNIQUE INDEX "IX_OwnerLinks_TokenHash" ON "OwnerLinks" ("TokenHash");
CREATE INDEX "IX_Notices_CarriedByNoticeId" ON "Notices" ("CarriedByNoticeId");
CREATE INDEX "IX_Notices_CaseContactId" ON "Notices" ("CaseContactId");
CREATE INDEX "IX_Notices_CaseId" ON "Notices" ("CaseId");
CREATE UNIQUE INDEX "IX_Notices_MessageId" ON "Notices" ("MessageId");
CREATE INDEX "IX_Notices_Recipient" ON "Notices" ("Recipient");
CREATE INDEX "IX_Notices_ReplacesNoticeId" ON "Notices" ("ReplacesNoticeId");
CREATE INDEX "IX_Notices_State_NextAttemptAt" ON "Notices" ("State", "NextAttemptAt");
CREATE INDEX "IX_Probes_CaseId_Kind" ON "Probes" ("CaseId", "Kind");
CREATE INDEX "IX_CaseEvents_Kind_ToState_At" ON "CaseEvents" ("Kind", "ToState", "At");
CREATE INDEX "IX_Cases_AssignedTo" ON "Cases" ("AssignedTo");
CREATE UNIQUE INDEX "IX_Operators_UserName" ON "Operators" ("UserName");
CREATE INDEX "IX_Cases_AddressKey" ON "Cases" ("AddressKey");
CREATE INDEX "IX_Cases_CreatedAt" ON "Cases" ("CreatedAt");
CREATE INDEX "IX_Cases_Mta" ON "Cases" ("Mta");
CREATE INDEX "IX_Cases_UpdatedAt" ON "Cases" ("UpdatedAt");
CREATE INDEX "IX_CaseEvents_CaseId_Kind_At" ON "CaseEvents" ("CaseId", "Kind", "At");
COMMIT;
