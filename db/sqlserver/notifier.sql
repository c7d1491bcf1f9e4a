IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [ApiKeys] (
        [Id] int NOT NULL IDENTITY,
        [Name] nvarchar(100) NOT NULL,
        [Prefix] nvarchar(16) NOT NULL,
        [Hash] nvarchar(64) NOT NULL,
        [Scope] nvarchar(10) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [RevokedAt] datetimeoffset NULL,
        [LastUsedAt] datetimeoffset NULL,
        CONSTRAINT [PK_ApiKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [Cases] (
        [Id] int NOT NULL IDENTITY,
        [Address] nvarchar(45) NOT NULL,
        [Port] int NOT NULL,
        [AddressKey] nvarchar(32) COLLATE Latin1_General_BIN2 NULL,
        [HostName] nvarchar(253) NULL,
        [Mta] nvarchar(50) NULL,
        [RelayKey] nvarchar(64) NOT NULL,
        [OpenRelayKey] nvarchar(64) NULL,
        [State] nvarchar(20) NOT NULL,
        [Source] nvarchar(200) NULL,
        [Note] nvarchar(4000) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        [NextActionAt] datetimeoffset NULL,
        [NextAction] nvarchar(20) NULL,
        [ProbeAttempts] int NOT NULL,
        [FirstNoticeAt] datetimeoffset NULL,
        [RetestsDone] int NOT NULL,
        [LastRetestAt] datetimeoffset NULL,
        [ScheduleFrom] datetimeoffset NULL,
        [NextActionRequestedBy] nvarchar(200) NULL,
        [UnreachableReprobes] int NOT NULL,
        [InconclusiveInARow] int NOT NULL,
        [ResolvedAt] datetimeoffset NULL,
        [ReopenCount] int NOT NULL,
        [EscalatedAt] datetimeoffset NULL,
        [ClosedReason] nvarchar(20) NULL,
        [Network] nvarchar(100) NULL,
        [AssignedTo] nvarchar(100) NULL,
        [NeedsAttention] bit NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Cases] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [ContactBounces] (
        [Id] bigint NOT NULL IDENTITY,
        [Address] nvarchar(320) NOT NULL,
        [At] datetimeoffset NOT NULL,
        [Diagnostic] nvarchar(1000) NULL,
        [Temporary] bit NOT NULL,
        [Reason] nvarchar(40) NULL,
        [CaseId] int NULL,
        CONSTRAINT [PK_ContactBounces] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [InboundMessages] (
        [Id] bigint NOT NULL IDENTITY,
        [Folder] nvarchar(200) NOT NULL,
        [UidValidity] bigint NOT NULL,
        [Uid] bigint NOT NULL,
        [MessageId] nvarchar(998) NULL,
        [Sha256] nvarchar(64) NOT NULL,
        [FetchedAt] datetimeoffset NOT NULL,
        [Date] datetimeoffset NULL,
        [FromAddress] nvarchar(320) NULL,
        [From] nvarchar(max) NULL,
        [To] nvarchar(max) NULL,
        [Subject] nvarchar(max) NULL,
        [InReplyTo] nvarchar(max) NULL,
        [References] nvarchar(max) NULL,
        [Headers] nvarchar(max) NOT NULL,
        [Raw] varbinary(max) NOT NULL,
        [Class] nvarchar(20) NOT NULL,
        [Intent] nvarchar(20) NULL,
        [HeldIntent] nvarchar(20) NULL,
        [Rule] nvarchar(max) NULL,
        [Detail] nvarchar(max) NULL,
        [CaseId] int NULL,
        [ProbeId] int NULL,
        [Token] nvarchar(64) NULL,
        [ProcessedAt] datetimeoffset NOT NULL,
        [MovedTo] nvarchar(200) NULL,
        CONSTRAINT [PK_InboundMessages] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [Operators] (
        [Id] int NOT NULL IDENTITY,
        [UserName] nvarchar(100) NOT NULL,
        [PasswordHash] nvarchar(max) NOT NULL,
        [Role] nvarchar(20) NOT NULL,
        [DisabledAt] datetimeoffset NULL,
        [SecurityStamp] nvarchar(64) NOT NULL,
        [FailedSignIns] int NOT NULL,
        [LockedUntil] datetimeoffset NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_Operators] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [Suppressions] (
        [Id] int NOT NULL IDENTITY,
        [Value] nvarchar(320) NOT NULL,
        [Reason] nvarchar(500) NOT NULL,
        [AddedBy] nvarchar(200) NOT NULL,
        [AddedAt] datetimeoffset NOT NULL,
        [InboundMessageId] bigint NULL,
        CONSTRAINT [PK_Suppressions] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [CaseContactLookups] (
        [CaseId] int NOT NULL,
        [Ip] nvarchar(45) NOT NULL,
        [StartedAt] datetimeoffset NOT NULL,
        [FinishedAt] datetimeoffset NOT NULL,
        [ConfirmedDomains] nvarchar(1000) NOT NULL,
        [PtrNamesJson] nvarchar(max) NOT NULL,
        [NotesJson] nvarchar(max) NOT NULL,
        [Chosen] nvarchar(320) NULL,
        CONSTRAINT [PK_CaseContactLookups] PRIMARY KEY ([CaseId]),
        CONSTRAINT [FK_CaseContactLookups_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [CaseContacts] (
        [Id] bigint NOT NULL IDENTITY,
        [CaseId] int NOT NULL,
        [Address] nvarchar(320) NOT NULL,
        [Source] nvarchar(20) NOT NULL,
        [Sources] nvarchar(100) NOT NULL,
        [Tier] nvarchar(30) NOT NULL,
        [Confidence] nvarchar(10) NOT NULL,
        [Rank] int NULL,
        [Status] nvarchar(20) NOT NULL,
        [StatusReason] nvarchar(1000) NULL,
        [EvidenceJson] nvarchar(max) NOT NULL,
        [FoundJson] nvarchar(max) NOT NULL,
        [NetworkPrefixLength] int NULL,
        [Country] nvarchar(2) NULL,
        [FirstSeenAt] datetimeoffset NOT NULL,
        [LastSeenAt] datetimeoffset NOT NULL,
        [RankedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_CaseContacts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_CaseContacts_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [CaseEvents] (
        [Id] bigint NOT NULL IDENTITY,
        [CaseId] int NOT NULL,
        [At] datetimeoffset NOT NULL,
        [Actor] nvarchar(200) NOT NULL,
        [Kind] nvarchar(40) NOT NULL,
        [Summary] nvarchar(max) NOT NULL,
        [ToState] nvarchar(20) NULL,
        [Data] nvarchar(max) NULL,
        CONSTRAINT [PK_CaseEvents] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_CaseEvents_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [ManualContactRules] (
        [Id] int NOT NULL IDENTITY,
        [Address] nvarchar(320) NOT NULL,
        [Action] nvarchar(10) NOT NULL,
        [Scope] nvarchar(10) NOT NULL,
        [CaseId] int NULL,
        [Domain] nvarchar(253) NULL,
        [Network] nvarchar(50) NULL,
        [AddedBy] nvarchar(200) NOT NULL,
        [Reason] nvarchar(500) NULL,
        [Language] nvarchar(8) NULL,
        [AddedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_ManualContactRules] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ManualContactRules_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [Probes] (
        [Id] int NOT NULL IDENTITY,
        [CaseId] int NOT NULL,
        [Key] nvarchar(16) NOT NULL,
        [RetryOfProbeId] int NULL,
        [EnvelopeRetry] int NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [Kind] nvarchar(10) NOT NULL,
        [Variants] nvarchar(400) NULL,
        [RetestOutcome] nvarchar(20) NULL,
        [RequestedBy] nvarchar(200) NULL,
        [Mode] nvarchar(10) NOT NULL,
        [QueuedAt] datetimeoffset NOT NULL,
        [StartedAt] datetimeoffset NULL,
        [FinishedAt] datetimeoffset NULL,
        [LeaseOwner] nvarchar(200) NULL,
        [LeaseUntil] datetimeoffset NULL,
        [Verdict] nvarchar(30) NULL,
        [Reason] nvarchar(max) NULL,
        [Mta] nvarchar(max) NULL,
        [Token] nvarchar(64) NULL,
        [CanaryAddress] nvarchar(max) NULL,
        [AcceptedVariants] nvarchar(max) NULL,
        [AcceptedClass] nvarchar(max) NULL,
        [DataReply] nvarchar(max) NULL,
        [ResultJson] nvarchar(max) NULL,
        CONSTRAINT [PK_Probes] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Probes_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_Probes_Probes_RetryOfProbeId] FOREIGN KEY ([RetryOfProbeId]) REFERENCES [Probes] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [Samples] (
        [Id] int NOT NULL IDENTITY,
        [CaseId] int NOT NULL,
        [ReceivedAt] datetimeoffset NOT NULL,
        [Subject] nvarchar(max) NULL,
        [From] nvarchar(max) NULL,
        [MessageId] nvarchar(max) NULL,
        [Date] datetimeoffset NULL,
        [HopsJson] nvarchar(max) NULL,
        [Raw] varbinary(max) NOT NULL,
        CONSTRAINT [PK_Samples] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Samples_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [Notices] (
        [Id] bigint NOT NULL IDENTITY,
        [CaseId] int NOT NULL,
        [CaseContactId] bigint NULL,
        [Recipient] nvarchar(320) NOT NULL,
        [Kind] nvarchar(20) NOT NULL,
        [Language] nvarchar(8) NULL,
        [State] nvarchar(20) NOT NULL,
        [CaseStateAtPlan] nvarchar(20) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [NextAttemptAt] datetimeoffset NULL,
        [Attempts] int NOT NULL,
        [LeaseOwner] nvarchar(200) NULL,
        [LeaseUntil] datetimeoffset NULL,
        [LastError] nvarchar(2000) NULL,
        [Transport] nvarchar(20) NULL,
        [DeliveryDetail] nvarchar(2000) NULL,
        [MessageId] nvarchar(998) NULL,
        [ApprovedBy] nvarchar(200) NULL,
        [ApprovedAt] datetimeoffset NULL,
        [SentAt] datetimeoffset NULL,
        [ReplacesNoticeId] bigint NULL,
        [CarriedByNoticeId] bigint NULL,
        [EditedText] nvarchar(max) NULL,
        [EditReason] nvarchar(500) NULL,
        [EditedBy] nvarchar(200) NULL,
        [EditedAt] datetimeoffset NULL,
        CONSTRAINT [PK_Notices] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Notices_CaseContacts_CaseContactId] FOREIGN KEY ([CaseContactId]) REFERENCES [CaseContacts] ([Id]),
        CONSTRAINT [FK_Notices_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_Notices_Notices_CarriedByNoticeId] FOREIGN KEY ([CarriedByNoticeId]) REFERENCES [Notices] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Notices_Notices_ReplacesNoticeId] FOREIGN KEY ([ReplacesNoticeId]) REFERENCES [Notices] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [OwnerLinks] (
        [Id] bigint NOT NULL IDENTITY,
        [CaseId] int NOT NULL,
        [CaseContactId] bigint NOT NULL,
        [TokenHash] nvarchar(64) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ExpiresAt] datetimeoffset NOT NULL,
        [RevokedAt] datetimeoffset NULL,
        CONSTRAINT [PK_OwnerLinks] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_OwnerLinks_CaseContacts_CaseContactId] FOREIGN KEY ([CaseContactId]) REFERENCES [CaseContacts] ([Id]),
        CONSTRAINT [FK_OwnerLinks_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE TABLE [ProbeTestMessages] (
        [Id] int NOT NULL IDENTITY,
        [ProbeId] int NOT NULL,
        [Sequence] int NOT NULL,
        [Variant] nvarchar(100) NOT NULL,
        [VariantClass] nvarchar(20) NULL,
        [Status] nvarchar(20) NOT NULL,
        [Token] nvarchar(64) NULL,
        [Target] nvarchar(64) NOT NULL,
        [TargetHostName] nvarchar(253) NULL,
        [MessageId] nvarchar(998) NULL,
        [QueuedAt] datetimeoffset NOT NULL,
        [SentAt] datetimeoffset NULL,
        [LeaseOwner] nvarchar(200) NULL,
        [LeaseUntil] datetimeoffset NULL,
        [DataReply] nvarchar(2000) NULL,
        [ArrivedAt] datetimeoffset NULL,
        [InboundMessageId] bigint NULL,
        CONSTRAINT [PK_ProbeTestMessages] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ProbeTestMessages_Probes_ProbeId] FOREIGN KEY ([ProbeId]) REFERENCES [Probes] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ApiKeys_Prefix] ON [ApiKeys] ([Prefix]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_CaseContacts_Address] ON [CaseContacts] ([Address]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_CaseContacts_CaseId_Address] ON [CaseContacts] ([CaseId], [Address]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_CaseEvents_CaseId_At] ON [CaseEvents] ([CaseId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_CaseEvents_CaseId_Kind_At] ON [CaseEvents] ([CaseId], [Kind], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_CaseEvents_Kind_ToState_At] ON [CaseEvents] ([Kind], [ToState], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Cases_AddressKey] ON [Cases] ([AddressKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Cases_AssignedTo] ON [Cases] ([AssignedTo]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Cases_CreatedAt] ON [Cases] ([CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Cases_Mta] ON [Cases] ([Mta]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Cases_NextActionAt] ON [Cases] ([NextActionAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Cases_OpenRelayKey] ON [Cases] ([OpenRelayKey]) WHERE [OpenRelayKey] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Cases_RelayKey] ON [Cases] ([RelayKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Cases_State] ON [Cases] ([State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Cases_UpdatedAt] ON [Cases] ([UpdatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_ContactBounces_Address] ON [ContactBounces] ([Address]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_InboundMessages_CaseId] ON [InboundMessages] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_InboundMessages_Class] ON [InboundMessages] ([Class]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_InboundMessages_Folder_UidValidity_Uid] ON [InboundMessages] ([Folder], [UidValidity], [Uid]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_InboundMessages_FromAddress] ON [InboundMessages] ([FromAddress]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_InboundMessages_MessageId] ON [InboundMessages] ([MessageId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_InboundMessages_Token] ON [InboundMessages] ([Token]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_ManualContactRules_Address] ON [ManualContactRules] ([Address]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_ManualContactRules_CaseId] ON [ManualContactRules] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_ManualContactRules_Scope_CaseId] ON [ManualContactRules] ([Scope], [CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Notices_CarriedByNoticeId] ON [Notices] ([CarriedByNoticeId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Notices_CaseContactId] ON [Notices] ([CaseContactId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Notices_CaseId] ON [Notices] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Notices_MessageId] ON [Notices] ([MessageId]) WHERE [MessageId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Notices_Recipient] ON [Notices] ([Recipient]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Notices_ReplacesNoticeId] ON [Notices] ([ReplacesNoticeId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Notices_State_NextAttemptAt] ON [Notices] ([State], [NextAttemptAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Operators_UserName] ON [Operators] ([UserName]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_OwnerLinks_CaseContactId] ON [OwnerLinks] ([CaseContactId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_OwnerLinks_CaseId_CaseContactId] ON [OwnerLinks] ([CaseId], [CaseContactId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_OwnerLinks_TokenHash] ON [OwnerLinks] ([TokenHash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_ProbeTestMessages_MessageId] ON [ProbeTestMessages] ([MessageId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ProbeTestMessages_ProbeId_Sequence] ON [ProbeTestMessages] ([ProbeId], [Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_ProbeTestMessages_Status] ON [ProbeTestMessages] ([Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_ProbeTestMessages_Token] ON [ProbeTestMessages] ([Token]) WHERE [Token] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Probes_CaseId_Kind] ON [Probes] ([CaseId], [Kind]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Probes_Key] ON [Probes] ([Key]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Probes_RetryOfProbeId] ON [Probes] ([RetryOfProbeId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Probes_Status] ON [Probes] ([Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Samples_CaseId] ON [Samples] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE INDEX [IX_Suppressions_InboundMessageId] ON [Suppressions] ([InboundMessageId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Suppressions_Value] ON [Suppressions] ([Value]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201224221_Initial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201224221_Initial', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202003130_OwnerRetest'
)
BEGIN
    ALTER TABLE [Probes] ADD [LiveTranscript] nvarchar(max) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202003130_OwnerRetest'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261202003130_OwnerRetest', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202043643_CompactProbeResults'
)
BEGIN
    ALTER TABLE [Probes] ADD [Result] varbinary(max) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202043643_CompactProbeResults'
)
BEGIN
    ALTER TABLE [Cases] ADD [LastVerdict] nvarchar(30) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202043643_CompactProbeResults'
)
BEGIN
    EXEC(N'UPDATE [Cases] SET [LastVerdict] = (SELECT p.[Verdict] FROM [Probes] p WHERE p.[Id] = (SELECT MAX(q.[Id]) FROM [Probes] q WHERE q.[CaseId] = [Cases].[Id] AND q.[Verdict] IS NOT NULL));');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202043643_CompactProbeResults'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261202043643_CompactProbeResults', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202052802_CaseSearchIndexes'
)
BEGIN
    DECLARE @var nvarchar(max);
    SELECT @var = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Cases]') AND [c].[name] = N'Address');
    IF @var IS NOT NULL EXEC(N'ALTER TABLE [Cases] DROP CONSTRAINT ' + @var + ';');
    ALTER TABLE [Cases] ALTER COLUMN [Address] nvarchar(45) COLLATE Latin1_General_BIN2 NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202052802_CaseSearchIndexes'
)
BEGIN
    CREATE INDEX [IX_Cases_Address] ON [Cases] ([Address]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202052802_CaseSearchIndexes'
)
BEGIN
    CREATE INDEX [IX_Cases_NextAction_NextActionAt_State] ON [Cases] ([NextAction], [NextActionAt], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202052802_CaseSearchIndexes'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261202052802_CaseSearchIndexes', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203132527_CaseLastReplyAt'
)
BEGIN
    DROP INDEX [IX_Notices_CaseId] ON [Notices];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203132527_CaseLastReplyAt'
)
BEGIN
    DROP INDEX [IX_Cases_NextAction_NextActionAt_State] ON [Cases];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203132527_CaseLastReplyAt'
)
BEGIN
    ALTER TABLE [Cases] ADD [LastReplyAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203132527_CaseLastReplyAt'
)
BEGIN
    EXEC(N'UPDATE [Cases] SET [LastReplyAt] = (SELECT MAX(e.[At]) FROM [CaseEvents] e WHERE e.[CaseId] = [Cases].[Id] AND e.[Kind] = N''reply'')
    WHERE [Id] IN (SELECT r.[CaseId] FROM [CaseEvents] r WHERE r.[Kind] = N''reply'');');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203132527_CaseLastReplyAt'
)
BEGIN
    CREATE INDEX [IX_Notices_CaseId_State_Kind_SentAt] ON [Notices] ([CaseId], [State], [Kind], [SentAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203132527_CaseLastReplyAt'
)
BEGIN
    CREATE INDEX [IX_Notices_State_Kind_CaseId_SentAt] ON [Notices] ([State], [Kind], [CaseId], [SentAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203132527_CaseLastReplyAt'
)
BEGIN
    CREATE INDEX [IX_Cases_NextAction_NextActionAt_State_UpdatedAt] ON [Cases] ([NextAction], [NextActionAt], [State], [UpdatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203132527_CaseLastReplyAt'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261203132527_CaseLastReplyAt', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204191045_CaseListOrderIndex'
)
BEGIN
    CREATE INDEX [IX_Cases_NeedsAttention_UpdatedAt] ON [Cases] ([NeedsAttention], [UpdatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204191045_CaseListOrderIndex'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204191045_CaseListOrderIndex', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204213215_CompactCaseStorage'
)
BEGIN
    DROP INDEX [IX_CaseEvents_CaseId_At] ON [CaseEvents];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204213215_CompactCaseStorage'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204213215_CompactCaseStorage', N'10.0.15');
END;

COMMIT;
GO

