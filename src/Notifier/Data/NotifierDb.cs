using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Inbox;
using Notifier.Probing;

namespace Notifier.Data;

/// <summary>
/// The one DbContext, used directly (no repositories): EF Core already is the unit of work. Abstract: each provider
/// derives its own context (<see cref="SqliteNotifierDb"/>, <see cref="PostgresNotifierDb"/>, <see cref="SqlServerNotifierDb"/>)
/// so that each has its own migration set (EF Core's "Migrations with Multiple Providers"); everything else injects
/// this type and never knows which provider it runs on.
/// </summary>
public abstract class NotifierDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<Probe> Probes => Set<Probe>();
    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();
    public DbSet<Sample> Samples => Set<Sample>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<OperatorAccount> Operators => Set<OperatorAccount>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<ContactBounce> ContactBounces => Set<ContactBounce>();
    public DbSet<CaseContact> CaseContacts => Set<CaseContact>();
    public DbSet<CaseContactLookup> CaseContactLookups => Set<CaseContactLookup>();
    public DbSet<ManualContactRule> ManualContactRules => Set<ManualContactRule>();
    public DbSet<ProbeTestMessage> ProbeTestMessages => Set<ProbeTestMessage>();
    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<OwnerLink> OwnerLinks => Set<OwnerLink>();

    /// <summary>
    /// Takes the lock called <paramref name="name"/> until the current transaction ends (commit, rollback, or the
    /// connection dying with the process), waiting while another transaction holds it. For what no row stands for, so
    /// that <see cref="RowLock"/> cannot serialise it: e.g. "the notices to one domain", whose daily budget two nodes
    /// could otherwise both spend the last unit of (each counts the other's claim before it commits). Each provider
    /// with its own primitive: PostgreSQL's transaction-level advisory lock, SQL Server's application lock owned by
    /// the transaction; SQLite's write transaction (BEGIN IMMEDIATE) already serialises every writer, so it takes nothing.
    /// </summary>
    public abstract Task TakeNamedLockAsync(string name, CancellationToken ct);

    /// <summary>
    /// Every change to a case bumps its version, so a concurrent writer's save fails instead of overwriting. Changes
    /// are detected once: <c>Entries&lt;Case&gt;()</c> detects them over everything tracked and the base save did so
    /// again, two full scans a save (with a page of cases tracked, the dispatcher's per-case saves spent most of their
    /// CPU there, issue 17). The bump goes through the entry, which marks the version modified without a scan.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        if (detect) ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in ChangeTracker.Entries<Case>())
            {
                if (entry.State == EntityState.Modified) entry.Property(c => c.Version).CurrentValue = entry.Entity.Version + 1;
            }
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Case>(e =>
        {
            e.Property(x => x.Address).HasMaxLength(45);
            e.Property(x => x.RelayKey).HasMaxLength(64);
            e.Property(x => x.OpenRelayKey).HasMaxLength(64);
            e.HasIndex(x => x.OpenRelayKey).IsUnique();
            e.HasIndex(x => x.RelayKey);
            e.HasIndex(x => x.NextActionAt);
            // The queue's overdue retests, counted from the index alone (what is due, since when, and not closed), and
            // its ten waiting longest (UpdatedAt) sorted from it too: sorting the case rows of every overdue retest
            // took 100-190 ms at 100,000 cases, the index 6 ms (issue 17).
            e.HasIndex(x => new { x.NextAction, x.NextActionAt, x.State, x.UpdatedAt });
            // A search by the start of an address is a range over it (CaseQueries.Filter).
            e.HasIndex(x => x.Address);
            e.HasIndex(x => x.State);
            e.Property(x => x.State).HasMaxLength(20);
            e.Property(x => x.NextAction).HasMaxLength(20);
            e.Property(x => x.NextActionRequestedBy).HasMaxLength(200);
            e.Property(x => x.Source).HasMaxLength(200);
            e.Property(x => x.Note).HasMaxLength(4000);
            e.Property(x => x.ClosedReason).HasMaxLength(20);
            e.Property(x => x.Network).HasMaxLength(100);
            e.Property(x => x.AssignedTo).HasMaxLength(100);
            e.HasIndex(x => x.AssignedTo);
            e.Property(x => x.AddressKey).HasMaxLength(CaseAddressKey.Length);
            e.HasIndex(x => x.AddressKey);
            e.Property(x => x.HostName).HasMaxLength(253);
            e.Property(x => x.Mta).HasMaxLength(50);
            e.HasIndex(x => x.Mta);
            e.Property(x => x.LastVerdict).HasMaxLength(30);
            e.HasIndex(x => x.CreatedAt);
            e.HasIndex(x => x.UpdatedAt);
            // The operators' case list order (CaseQueries.Ordered), walked backwards for a page of the open cases.
            e.HasIndex(x => new { x.NeedsAttention, x.UpdatedAt });
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Ignore(x => x.Reference);
            e.HasMany(x => x.Probes).WithOne(p => p.Case).HasForeignKey(p => p.CaseId);
            e.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.CaseId);
            e.HasMany(x => x.Samples).WithOne().HasForeignKey(x => x.CaseId);
        });
        modelBuilder.Entity<Probe>(e =>
        {
            // Not unique: a greylisting retry reuses the key (and so the token) of the attempt it retries.
            e.HasIndex(x => x.Key);
            e.HasIndex(x => x.Status);
            e.HasOne<Probe>().WithMany().HasForeignKey(x => x.RetryOfProbeId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.Key).HasMaxLength(16);
            e.Property(x => x.Status).HasMaxLength(20);
            e.HasIndex(x => new { x.CaseId, x.Kind });
            e.Property(x => x.Kind).HasMaxLength(10);
            e.Property(x => x.Variants).HasMaxLength(400);
            e.Property(x => x.RetestOutcome).HasMaxLength(20);
            e.Property(x => x.RequestedBy).HasMaxLength(200);
            // The same words as before the column had a type: quick / full (and rcpt-only for retests).
            e.Property(x => x.Mode).HasMaxLength(10).HasConversion(m => m.ToText(), s => ProbeModeText.Parse(s));
            e.Property(x => x.Verdict).HasMaxLength(30);
            e.Property(x => x.ResultJson).HasColumnName("Result").HasConversion(ProbeResultStorage.Converter);
            e.Property(x => x.UncompressedResultJson).HasColumnName("ResultJson");
            e.Property(x => x.Token).HasMaxLength(64);
            e.Property(x => x.LeaseOwner).HasMaxLength(200);
        });
        modelBuilder.Entity<ProbeTestMessage>(e =>
        {
            e.HasOne(x => x.Probe).WithMany(p => p.TestMessages).HasForeignKey(x => x.ProbeId);
            e.HasIndex(x => new { x.ProbeId, x.Sequence }).IsUnique();
            e.HasIndex(x => x.Token).IsUnique();
            e.HasIndex(x => x.MessageId);
            e.Property(x => x.Variant).HasMaxLength(100);
            e.Property(x => x.VariantClass).HasMaxLength(20);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.Token).HasMaxLength(64);
            e.Property(x => x.Target).HasMaxLength(64);
            e.Property(x => x.TargetHostName).HasMaxLength(253);
            e.Property(x => x.MessageId).HasMaxLength(998);
            e.Property(x => x.DataReply).HasMaxLength(2000);
            e.Property(x => x.LeaseOwner).HasMaxLength(200);
            e.HasIndex(x => x.Status);
        });
        modelBuilder.Entity<InboundMessage>(e =>
        {
            e.HasIndex(x => new { x.Folder, x.UidValidity, x.Uid }).IsUnique();
            e.HasIndex(x => x.MessageId);
            e.HasIndex(x => x.Token);
            e.HasIndex(x => x.CaseId);
            e.HasIndex(x => x.FromAddress);
            e.HasIndex(x => x.Class);
            e.Property(x => x.Folder).HasMaxLength(200);
            e.Property(x => x.MessageId).HasMaxLength(998);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.FromAddress).HasMaxLength(320);
            e.Property(x => x.Class).HasMaxLength(20);
            e.Property(x => x.Intent).HasMaxLength(20);
            e.Property(x => x.HeldIntent).HasMaxLength(20);
            e.Property(x => x.Token).HasMaxLength(64);
            e.Property(x => x.MovedTo).HasMaxLength(200);
        });
        modelBuilder.Entity<CaseEvent>(e =>
        {
            // No index on (CaseId, At): every read of a case's events by case names their kind too (below) or reads them
            // all in the order recorded (CaseQueries.DetailAsync), which the next index's CaseId prefix serves; it was a
            // fifth of the timeline's bytes (issue 17: at most 5 KB per closed case).
            // One kind of a case's events without a walk through its timeline: its owner-page retests (OwnerRetests),
            // the latest reply of the queue's rows, the LastReplyAt backfill (migration CaseLastReplyAt).
            e.HasIndex(x => new { x.CaseId, x.Kind, x.At });
            // The statistics read state changes by target state and time.
            e.HasIndex(x => new { x.Kind, x.ToState, x.At });
            e.Property(x => x.ToState).HasMaxLength(20);
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.Kind).HasMaxLength(40);
        });
        modelBuilder.Entity<ApiKey>(e =>
        {
            e.HasIndex(x => x.Prefix).IsUnique();
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Prefix).HasMaxLength(16);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.Property(x => x.Scope).HasMaxLength(10);
        });
        modelBuilder.Entity<Suppression>(e =>
        {
            e.HasIndex(x => x.Value).IsUnique();
            e.Property(x => x.Value).HasMaxLength(320);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.AddedBy).HasMaxLength(200);
            e.HasIndex(x => x.InboundMessageId);
        });
        modelBuilder.Entity<ContactBounce>(e =>
        {
            e.HasIndex(x => x.Address);
            e.Property(x => x.Address).HasMaxLength(320);
            e.Property(x => x.Diagnostic).HasMaxLength(1000);
            e.Property(x => x.Reason).HasMaxLength(40);
        });
        modelBuilder.Entity<CaseContact>(e =>
        {
            e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.CaseId, x.Address }).IsUnique();
            e.HasIndex(x => x.Address);
            e.Property(x => x.Address).HasMaxLength(320);
            e.Property(x => x.Source).HasMaxLength(20);
            e.Property(x => x.Sources).HasMaxLength(100);
            e.Property(x => x.Tier).HasMaxLength(30);
            e.Property(x => x.Confidence).HasMaxLength(10);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.StatusReason).HasMaxLength(1000);
            e.Property(x => x.Country).HasMaxLength(2);
        });
        modelBuilder.Entity<CaseContactLookup>(e =>
        {
            e.HasKey(x => x.CaseId);
            e.HasOne<Case>().WithOne().HasForeignKey<CaseContactLookup>(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.Ip).HasMaxLength(45);
            e.Property(x => x.ConfirmedDomains).HasMaxLength(1000);
            e.Property(x => x.Chosen).HasMaxLength(320);
            e.Ignore(x => x.ConfirmedDomainList);
        });
        modelBuilder.Entity<ManualContactRule>(e =>
        {
            e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.Scope, x.CaseId });
            e.HasIndex(x => x.Address);
            e.Property(x => x.Address).HasMaxLength(320);
            e.Property(x => x.Action).HasMaxLength(10);
            e.Property(x => x.Scope).HasMaxLength(10);
            e.Property(x => x.Domain).HasMaxLength(253);
            e.Property(x => x.Network).HasMaxLength(50);
            e.Property(x => x.AddedBy).HasMaxLength(200);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.Language).HasMaxLength(8);
        });
        modelBuilder.Entity<Notice>(e =>
        {
            e.HasOne(x => x.Case).WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<CaseContact>().WithMany().HasForeignKey(x => x.CaseContactId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Notice>().WithMany().HasForeignKey(x => x.ReplacesNoticeId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Notice>().WithMany().HasForeignKey(x => x.CarriedByNoticeId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
            // The notices that went out to direct contacts, per case, from the index alone: the queue's escalations due
            // count them before they count the ignored ones (IgnoredNotices.CasesWithAtLeast, issue 17).
            e.HasIndex(x => new { x.State, x.Kind, x.CaseId, x.SentAt });
            // A case's notices of one state (the queue's why for its ten rows, the exact count of ignored notices): a
            // seek on both, where the (State, NextAttemptAt) index read all 13,729 awaiting approval at 100,000 cases.
            e.HasIndex(x => new { x.CaseId, x.State, x.Kind, x.SentAt });
            e.HasIndex(x => x.Recipient);
            e.HasIndex(x => x.MessageId).IsUnique();
            e.Property(x => x.Recipient).HasMaxLength(320);
            e.Property(x => x.Kind).HasMaxLength(20);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.State).HasMaxLength(20);
            e.Property(x => x.CaseStateAtPlan).HasMaxLength(20);
            e.Property(x => x.LeaseOwner).HasMaxLength(200);
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.Property(x => x.Transport).HasMaxLength(20);
            e.Property(x => x.DeliveryDetail).HasMaxLength(2000);
            e.Property(x => x.MessageId).HasMaxLength(998);
            e.Property(x => x.ApprovedBy).HasMaxLength(200);
            e.Property(x => x.EditedBy).HasMaxLength(200);
            e.Property(x => x.EditReason).HasMaxLength(500);
            e.Property(x => x.EditedText).HasMaxLength(100_000);
        });
        modelBuilder.Entity<OwnerLink>(e =>
        {
            e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<CaseContact>().WithMany().HasForeignKey(x => x.CaseContactId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => new { x.CaseId, x.CaseContactId });
            e.Property(x => x.TokenHash).HasMaxLength(64);
        });
        modelBuilder.Entity<OperatorAccount>(e =>
        {
            e.HasIndex(x => x.UserName).IsUnique();
            e.Property(x => x.UserName).HasMaxLength(100);
            e.Property(x => x.SecurityStamp).HasMaxLength(64);
            e.Property(x => x.Role).HasMaxLength(20);
        });
    }
}
