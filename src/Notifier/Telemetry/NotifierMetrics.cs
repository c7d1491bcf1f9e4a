using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Notifier.Telemetry;

/// <summary>
/// The <c>Notifier</c> meter (System.Diagnostics.Metrics) and its instruments: what an abuse desk's admin watches.
/// Each is recorded in the one place where its event already happens (the probe job, the notice job, the inbox
/// processor, …), never computed a second time here. Exported by OpenTelemetry (<see cref="TelemetryExtensions"/>)
/// as <c>notifier_…</c>: the Prometheus exporter turns dots into underscores and appends the unit and <c>_total</c>.
/// Tags are low-cardinality words (a verdict, an MTA family, a notice kind), never an address or a case number.
/// </summary>
public sealed class NotifierMetrics
{
    public const string MeterName = "Notifier";

    private readonly Counter<long> _probes;
    private readonly Histogram<double> _probeDuration;
    private readonly Counter<long> _canaries;
    private readonly Histogram<double> _canaryLatency;
    private readonly Counter<long> _noticesSent;
    private readonly Counter<long> _noticesBounced;
    private readonly Counter<long> _noticeFailovers;
    private readonly Counter<long> _replies;
    private readonly Counter<long> _inboxPollErrors;
    private readonly Counter<long> _rdapRateLimited;
    private readonly Counter<long> _dnsFailures;

    public NotifierMetrics(IMeterFactory meters)
    {
        // IMeterFactory hands every caller asking for "Notifier" the same Meter, so Cases' gauge of case counts
        // (CaseGauges: cases by state, dispatcher lag) land on this meter too; the factory disposes it with the host.
        Meter = meters.Create(MeterName);
        _probes = Meter.CreateCounter<long>("notifier.probes", "{probe}", "Probe dialogues finished, by verdict, MTA family and kind (first probe or retest)");
        _probeDuration = Meter.CreateHistogram<double>("notifier.probe.duration", "s", "Length of a probe dialogue, banner to QUIT",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300] });
        _canaries = Meter.CreateCounter<long>("notifier.canaries", "{message}", "Test messages that arrived in the canary inbox, by verdict (confirmed, multihop)");
        _canaryLatency = Meter.CreateHistogram<double>("notifier.canary.latency", "s", "Time from a test message's hand-over to the relay to its arrival in the canary inbox",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 14400, 86400] });
        _noticesSent = Meter.CreateCounter<long>("notifier.notices.sent", "{notice}", "Notices accepted by the smarthost or written to the outbox, by kind and transport");
        _noticesBounced = Meter.CreateCounter<long>("notifier.notices.bounced", "{notice}", "Sent notices that came back as a permanent bounce, by reason class (unknown-user, mailbox-full, policy, …)");
        _noticeFailovers = Meter.CreateCounter<long>("notifier.notices.failovers", "{notice}", "Notices refused at hand-over (reason refused) or bounced later whose case moved on to its next contact");
        _replies = Meter.CreateCounter<long>("notifier.replies", "{message}", "Human replies threaded to a case, by classified intent");
        _inboxPollErrors = Meter.CreateCounter<long>("notifier.inbox.poll.errors", "{poll}", "Inbox polls that failed, by exception type");
        _rdapRateLimited = Meter.CreateCounter<long>("notifier.rdap.rate_limited", "{response}", "RDAP answers 429 Too Many Requests, by registry host");
        _dnsFailures = Meter.CreateCounter<long>("notifier.dns.failures", "{query}", "Contact lookup DNS queries without an answer (timeout, SERVFAIL, REFUSED, socket errors; NXDOMAIN is an answer), by query type and reason");
    }

    public Meter Meter { get; }

    public void ProbeFinished(string verdict, string mta, bool retest, TimeSpan duration)
    {
        var tags = new TagList { { "verdict", verdict }, { "mta", mta }, { "kind", retest ? "retest" : "probe" } };
        _probes.Add(1, tags);
        _probeDuration.Record(Math.Max(0, duration.TotalSeconds), new TagList { { "verdict", verdict } });
    }

    public void CanaryArrived(string verdict, TimeSpan sinceSent)
    {
        _canaries.Add(1, new TagList { { "verdict", verdict } });
        _canaryLatency.Record(Math.Max(0, sinceSent.TotalSeconds));
    }

    public void NoticeSent(string kind, string transport, int notices) => _noticesSent.Add(notices, new TagList { { "kind", kind }, { "transport", transport } });

    public void NoticeBounced(string reason) => _noticesBounced.Add(1, new TagList { { "reason", reason } });

    /// <param name="reason">The bounce's reason class, or <c>refused</c> for a 5xx at hand-over.</param>
    public void NoticeFailedOver(string reason) => _noticeFailovers.Add(1, new TagList { { "reason", reason } });

    public void ReplyReceived(string intent) => _replies.Add(1, new TagList { { "intent", intent } });

    public void InboxPollFailed(Exception error) => _inboxPollErrors.Add(1, new TagList { { "error", error.GetType().Name } });

    public void RdapRateLimited(string registry) => _rdapRateLimited.Add(1, new TagList { { "registry", registry } });

    public void DnsFailed(string queryType, string reason) => _dnsFailures.Add(1, new TagList { { "type", queryType }, { "reason", reason } });
}
