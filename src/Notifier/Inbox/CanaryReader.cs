using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Notifier.Intake;
using Notifier.Probing;

namespace Notifier.Inbox;

/// <summary>
/// Reads a message that may be a canary: its token, and the host that handed it to our mail system. Which Received
/// headers are ours comes from the trusted receivers (<c>Intake:TrustedReceivers</c>, shared with the spam-sample
/// intake): walking down from the top, LMTP and local hand-overs (our own delivery agents, RFC 2033 is never used
/// between organisations) and hops handed over by a trusted host are skipped; the first other hop is where the
/// message entered, and the address our MTA saw there is the hand-over host. With no trusted receivers, the topmost
/// such header is ours. Headers below it were written by the sending side and are never read.
/// </summary>
public static partial class CanaryReader
{
    /// <summary>Headers in which receivers record the envelope recipient (the canary address) of a delivered message.</summary>
    private static readonly string[] EnvelopeRecipientHeaders = ["Delivered-To", "X-Original-To", "Envelope-To"];

    /// <summary>The first hop from outside, as our MTA recorded it.</summary>
    public sealed record HandOver(int Number, IPAddress? Address, string? ReverseDns, string? HeloName, string? By, string Raw);

    /// <summary>The token from the token header, else from a recipient address (<c>local+token@canary</c>); null when there is none.</summary>
    public static string? FindToken(MimeMessage message)
    {
        var header = message.Headers[TestMessage.TokenHeader]?.Trim();
        if (!string.IsNullOrEmpty(header)) return header.ToLowerInvariant();
        var recipients = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address)
            .Concat(EnvelopeRecipientHeaders.Select(h => message.Headers[h]).OfType<string>());
        foreach (var address in recipients)
        {
            var m = TokenInAddress().Match(address);
            if (m.Success) return m.Groups[1].Value.ToLowerInvariant();
        }
        return null;
    }

    public static HandOver? FindHandOver(MimeMessage message, TrustedReceivers trusted, TargetPolicy targets)
    {
        var number = 0;
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.Received))
        {
            number++;
            var stamp = ReceivedStamp.Parse(Encoding.UTF8.GetString(header.RawValue));
            var with = stamp.With ?? "";
            if (with.StartsWith("LMTP", StringComparison.OrdinalIgnoreCase) || stamp.IsLocalSubmission) continue;
            if (stamp.FromAddress is { } ip && trusted.IsTrusted(stamp.FromReverseDns, ip)) continue;
            // Without permission for private targets, loopback is the receiving host talking to itself (a content filter).
            if (stamp.FromAddress is { } loop && IPAddress.IsLoopback(loop) && targets.TreatsLoopbackHopsAsOurs) continue;
            return new HandOver(number, stamp.FromAddress, stamp.FromReverseDns, stamp.FromName, stamp.By, stamp.Raw);
        }
        return null;
    }

    /// <summary>
    /// <c>confirmed</c> when the hand-over host is the probed one (its address, or the name the probe saw in its banner
    /// as our MTA's reverse lookup), else <c>multihop</c>: the relay passed our message on through another host.
    /// </summary>
    public static (string Verdict, string Why) Judge(HandOver? hop, IPAddress probed, string? probedName)
    {
        if (hop is null)
            return (ProbeVerdict.Multihop, "the canary arrived, but no Received header shows which host handed it to us");
        var seen = hop.Address is null ? "an unknown address" : hop.Address.ToString();
        var mapped = hop.Address is { IsIPv4MappedToIPv6: true } a ? a.MapToIPv4() : hop.Address;
        var where = $"Received header {hop.Number} from the top: handed over by {(hop.ReverseDns is null ? "" : hop.ReverseDns + " ")}[{seen}]{(hop.By is null ? "" : " to " + hop.By)}";
        if (mapped is not null && mapped.Equals(probed.IsIPv4MappedToIPv6 ? probed.MapToIPv4() : probed))
            return (ProbeVerdict.Confirmed, $"the canary arrived straight from the probed host ({where})");
        if (probedName is not null && hop.ReverseDns is not null && string.Equals(hop.ReverseDns.TrimEnd('.'), probedName.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            return (ProbeVerdict.Confirmed, $"the canary arrived from the probed host by name {probedName} ({where})");
        return (ProbeVerdict.Multihop, $"the canary arrived via another host, not {probed} ({where})");
    }

    [GeneratedRegex(@"\+([a-z2-7]{40})@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenInAddress();
}
