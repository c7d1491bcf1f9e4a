using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>The owner actions' forms posted as a browser posts them, and what the desk then sees of the case.</summary>
public static class OwnerActionsRig
{
    /// <summary>The first step (the reason), from the form on <paramref name="sub"/>; answers the confirmation page.</summary>
    public static Task<HttpResponseMessage> AskAsync(HttpClient client, OwnerSeed seed, string sub, string? reason) =>
        PageForm.PostAsync(client, seed.Url(sub), seed.Url(sub), new Dictionary<string, string> { ["Reason"] = reason ?? "" });

    /// <summary>"Yes": the second step, as the confirmation page's form posts it.</summary>
    public static Task<HttpResponseMessage> ConfirmAsync(HttpClient client, OwnerSeed seed, string sub, string reason) =>
        PageForm.PostAsync(client, seed.Url(sub), seed.Url(sub) + "?handler=Confirm", new Dictionary<string, string> { ["Reason"] = reason });

    public static Task<Case> CaseAsync(NotifierFactory factory, OwnerSeed seed) =>
        CaseSeed.ReadAsync(factory, db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == seed.CaseId));

    public static Task<List<CaseEvent>> EventsAsync(NotifierFactory factory, OwnerSeed seed, string kind) =>
        CaseSeed.ReadAsync(factory, db => db.CaseEvents.AsNoTracking().Where(e => e.CaseId == seed.CaseId && e.Kind == kind).ToListAsync());

    /// <summary>Whether the queue's "Replies needing attention" lists the case.</summary>
    public static Task<bool> InRepliesSectionAsync(NotifierFactory factory, OwnerSeed seed) =>
        CaseSeed.ReadAsync(factory, db => CaseQueueSection.Replies.Apply(db.Cases.AsNoTracking(), db, new RetestOptions(), DateTimeOffset.UtcNow)
            .AnyAsync(c => c.Id == seed.CaseId));
}
