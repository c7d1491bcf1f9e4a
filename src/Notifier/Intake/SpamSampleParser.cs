using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using Notifier.Probing;

namespace Notifier.Intake;

/// <summary>
/// Finds the relay that handed a spam sample to us. Received headers are prepended, so the top one is the newest,
/// written by the MTA that delivered the sample. Walking down, each hop handed over by one of our own hosts
/// (<see cref="TrustedReceivers"/>) is skipped: its header below was written by our host too, so it is true. The
/// first hop handed over by a host that is not ours is where the outside connected, and its connecting IP — which
/// our MTA saw — is the suspected relay. Everything below that header was written by the sending side and may be
/// forged, so it is never read for the decision.
/// </summary>
public sealed class SpamSampleParser(IOptions<IntakeOptions> options, TrustedReceivers trusted, TargetPolicy targets)
{
    /// <summary>Reads the upload (at most <c>Intake:MaxSampleBytes</c>) and parses it; see <see cref="Parse"/>.</summary>
    public async Task<SpamSampleResult> ParseAsync(Stream eml, CancellationToken cancellationToken = default)
    {
        var max = options.Value.MaxSampleBytes;
        var bytes = await BoundedRead.ReadAllAsync(eml, max, cancellationToken).ConfigureAwait(false);
        return bytes is null ? TooLarge(max) : Parse(bytes);
    }

    /// <summary>
    /// Parses a raw message (.eml, RFC 5322). When the <see cref="TargetPolicy"/> allows private targets (labs and
    /// tests) a private or loopback connecting address can be the suspect; otherwise loopback hops count as our own
    /// content filters and a private one stops the walk.
    /// </summary>
    public SpamSampleResult Parse(ReadOnlyMemory<byte> eml)
    {
        var max = options.Value.MaxSampleBytes;
        if (eml.Length > max) return TooLarge(max);
        if (eml.Span.Trim(" \t\r\n"u8).IsEmpty) return Failed(SampleProblem.Empty, "is empty", [], null);

        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(eml.ToArray(), writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException ex)
        {
            return Failed(SampleProblem.Malformed, $"is not an e-mail message ({ex.Message.TrimEnd('.')}); upload the raw message with its headers (.eml)", [], null);
        }

        var evidence = Evidence(message, eml.Span);
        var stamps = message.Headers
            .Where(h => h.Id == HeaderId.Received)
            .Select(h => ReceivedStamp.Parse(Encoding.UTF8.GetString(h.RawValue)))
            .ToList();
        if (stamps.Count == 0)
            return Failed(SampleProblem.NoReceivedHeaders, "has no Received header, so nothing records where it came from; export the message with all its headers", [], evidence);
        return Walk(stamps, evidence);
    }

    private SpamSampleResult Walk(List<ReceivedStamp> stamps, SampleEvidence evidence)
    {
        var hops = new List<ReceivedHop>(stamps.Count);
        RelayAddress? suspect = null;
        (SampleProblem Problem, string Summary)? stop = null;
        for (var i = 0; i < stamps.Count; i++)
        {
            var stamp = stamps[i];
            var number = i + 1;
            HopRole role;
            if (suspect is not null || stop is not null) role = HopRole.Unverified;
            else if (stamp.FromAddress is { } ip && trusted.IsTrusted(stamp.FromReverseDns, ip)) role = HopRole.Trusted;
            // Loopback: the receiving MTA talking to itself, such as a content filter re-injecting the message.
            else if (stamp.FromAddress is { } loop && IPAddress.IsLoopback(loop) && targets.TreatsLoopbackHopsAsOurs) role = HopRole.Trusted;
            else if (stamp.IsLocalSubmission) role = HopRole.Local;
            else if (stamp.FromAddress is not { } connecting)
            {
                role = HopRole.Untrusted;
                stop = (SampleProblem.Malformed,
                    $"Received header {number} from the top (\"{Shorten(stamp.Raw)}\") names no connecting IP address, so the relay cannot be told; the headers below it could be forged");
            }
            else if (targets.RefusalOf(connecting) is { } why)
            {
                role = HopRole.Untrusted;
                stop = (SampleProblem.PrivateAddress,
                    $"the first hop not handed over by a trusted receiver (Received header {number} from the top) connected from {connecting}, which is {why} address space, not a public relay; " +
                    "the headers below it could be forged. If that host is ours, add it to Intake:TrustedReceivers:Networks");
            }
            else
            {
                role = HopRole.Suspect;
                suspect = RelayAddress.Create(connecting);
            }
            hops.Add(Hop(number, stamp, role));
        }

        if (suspect is not null)
        {
            var hop = hops.First(h => h.Role == HopRole.Suspect);
            var by = hop.By is null ? "" : $" to {hop.By}";
            var when = hop.Date is { } d ? $" at {d.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : "";
            var above = hop.Number - 1;
            return new SpamSampleResult(suspect, null,
                $"suspected relay {suspect.Address} handed the message{by}{when} (Received header {hop.Number} from the top, below {above} trusted hop{(above == 1 ? "" : "s")})",
                hops, evidence);
        }
        if (stop is { } s) return Failed(s.Problem, s.Summary, hops, evidence);
        return Failed(SampleProblem.AllHopsTrusted,
            "every Received hop was handed over by one of our trusted receivers or submitted locally: the message did not come from outside", hops, evidence);
    }

    private static ReceivedHop Hop(int number, ReceivedStamp stamp, HopRole role) =>
        new(number, stamp.Raw, stamp.FromName, stamp.FromReverseDns, stamp.FromAddress?.ToString(), stamp.By, stamp.ByAddress?.ToString(),
            stamp.With, stamp.Date, role);

    private static SampleEvidence Evidence(MimeMessage message, ReadOnlySpan<byte> raw) => new(
        message.Headers.Contains(HeaderId.Subject) ? message.Subject : null,
        message.From.Count > 0 ? message.From.ToString() : null,
        message.Headers.Contains(HeaderId.Date) && message.Date != DateTimeOffset.MinValue ? message.Date : null,
        string.IsNullOrEmpty(message.MessageId) ? null : message.MessageId,
        raw.Length,
        Convert.ToHexStringLower(SHA256.HashData(raw)));

    /// <summary>The answer for an upload over <c>Intake:MaxSampleBytes</c> (the API finds that while reading it).</summary>
    public SpamSampleResult TooLarge() => TooLarge(options.Value.MaxSampleBytes);

    private static SpamSampleResult TooLarge(int max) =>
        Failed(SampleProblem.TooLarge, $"is larger than {BoundedRead.Describe(max)} (Intake:MaxSampleBytes)", [], null);

    private static SpamSampleResult Failed(SampleProblem problem, string summary, IReadOnlyList<ReceivedHop> hops, SampleEvidence? evidence) =>
        new(null, problem, summary, hops, evidence);

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
