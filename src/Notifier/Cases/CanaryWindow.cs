using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// What happens when a case's confirmation window ends (<see cref="CaseAction.AwaitCanary"/>) with no canary: the
/// next accepted variant of a class not yet used gets its own test message (at most
/// <see cref="ProbingOptions.MaxTestMessages"/> per probe), else the probe is accepts-but-drops.
/// Changes the case only; the caller saves and enqueues the returned message's job.
/// </summary>
public static class CanaryWindow
{
    public static async Task<ProbeTestMessage?> ExpireAsync(NotifierDb db, Case c, ProbingOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var probe = await db.Probes.Include(p => p.TestMessages)
            .Where(p => p.CaseId == c.Id && p.TestMessages.Any())
            .OrderByDescending(p => p.Id)
            .FirstOrDefaultAsync(ct);
        if (probe is null || probe.TestMessages.Any(m => m.Status == TestMessageStatus.Arrived))
        {
            CaseWorkflow.NothingToConfirm(c);
            return null;
        }
        // A message still queued at the window's end had its job lost every time: it counts as used and is never
        // sent late (conditional, so a job claiming it at this moment wins and sends it).
        var stale = probe.TestMessages.Where(m => m.Status == TestMessageStatus.Queued).Select(m => m.Id).ToList();
        if (stale.Count > 0)
        {
            await db.ProbeTestMessages.Where(m => stale.Contains(m.Id) && m.Status == TestMessageStatus.Queued)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Status, TestMessageStatus.NotSent)
                    .SetProperty(m => m.DataReply, "not sent: its job did not run before the confirmation window ended"), ct);
        }
        var next = NextVariant(probe, options.MaxTestMessages);
        if (next is not null)
        {
            var result = probe.ResultJson is null ? null : ProbeResultJson.Deserialize(probe.ResultJson);
            return CaseWorkflow.QueueFurtherTestMessage(c, probe, next, result?.Target ?? c.RelayKey, result?.HostName, options.ConfirmationWindow, now);
        }
        var sent = probe.TestMessages.Where(m => m.Status is TestMessageStatus.Sent).Select(m => $"{m.Variant} ({m.VariantClass})").ToList();
        var interrupted = probe.TestMessages.Count(m => m.Status is TestMessageStatus.Interrupted);
        var interruptedText = interrupted == 0 ? "" : $"; {interrupted} more interrupted mid-send (may have gone out)";
        CaseWorkflow.AcceptsButDrops(c, probe, (sent.Count == 0
            ? "no test message could be delivered to the relay again"
            : $"the relay accepted {sent.Count} test message{(sent.Count == 1 ? "" : "s")} ({string.Join(", ", sent)}) but none reached our canary mailbox within {options.ConfirmationWindow.TotalMinutes:0.#} minutes") + interruptedText, now);
        return null;
    }

    /// <summary>The first accepted variant, in the probe's order, of a class no test message used yet; null when the budget is spent.</summary>
    public static VariantResult? NextVariant(Probe probe, int maxTestMessages)
    {
        if (probe.TestMessages.Count >= maxTestMessages || probe.ResultJson is null) return null;
        var result = ProbeResultJson.Deserialize(probe.ResultJson);
        if (result is null) return null;
        var usedClasses = probe.TestMessages.Select(m => m.VariantClass).ToHashSet(StringComparer.Ordinal);
        var usedNames = probe.TestMessages.Select(m => m.Variant).ToHashSet(StringComparer.Ordinal);
        return result.Variants.FirstOrDefault(v => v.Accepted && !usedNames.Contains(v.Name) && !usedClasses.Contains(v.Class));
    }
}
