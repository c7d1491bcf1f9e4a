using System.Globalization;
using System.Text;
using Notifier.Probing;

namespace Notifier.Cli;

/// <summary>How a probe result is printed: a swaks-like transcript and summary, or one JSON object.</summary>
public static class ProbeOutput
{
    public static string Json(ProbeResult result) => ProbeResultJson.Serialize(result, indented: true);

    /// <summary>One line per target for <c>probe --file</c>: target, verdict, MTA and why, tab-separated for cut and awk.</summary>
    public static string Line(ProbeResult r) =>
        string.Join('\t', r.Target, r.Verdict, r.Mta, r.Reason.ReplaceLineEndings(" "));

    public static string Human(ProbeResult r)
    {
        var sb = new StringBuilder();
        foreach (var line in r.Transcript)
            sb.Append(CultureInfo.InvariantCulture, $"{line.At.UtcDateTime:HH:mm:ss.fff} {line.Dir} {line.Line}\n");
        sb.Append('\n');
        Row(sb, "Target", $"{r.Target}{(r.HostName is null ? "" : $" ({r.HostName})")}");
        Row(sb, "Verdict", r.Verdict);
        Row(sb, "Mode", r.Mode.ToText());
        Row(sb, "Why", r.Reason);
        Row(sb, "MTA", r.Mta);
        Row(sb, "Banner", r.Banner?.Replace("\n", " / ", StringComparison.Ordinal) ?? "(none)");
        Row(sb, "TLS", r.Tls is null ? "not used" : r.Tls.Failure ?? $"{r.Tls.Protocol}, {r.Tls.CipherSuite}, certificate \"{r.Tls.CertificateSubject}\"");
        Row(sb, "Accepted", r.AcceptedVariants.Count == 0 ? "none" : string.Join(", ", r.AcceptedVariants) + $" (strongest class used: {r.AcceptedClass})");
        if (r.DataReply is not null) Row(sb, "Test message", $"{r.DataReply} (via {r.DataVariant})");
        Row(sb, "Canary", r.CanaryAddress);
        Row(sb, "Token", r.Token);
        Row(sb, "Sessions", r.Sessions.ToString(CultureInfo.InvariantCulture));
        Row(sb, "Tried", $"{r.VariantsTried} of {r.VariantsPlanned} variants");
        Row(sb, "Took", $"{(r.FinishedAt - r.StartedAt).TotalSeconds:0.00} s");
        sb.Append("\nVariants:\n");
        foreach (var v in r.Variants)
        {
            var reply = v.RcptReply ?? v.MailReply ?? "";
            if (reply.Length > 60) reply = reply[..57] + "...";
            sb.Append(CultureInfo.InvariantCulture, $"  {v.Name,-42} {v.Class,-13} {v.Outcome,-15} {reply}\n");
        }
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string name, string value) =>
        sb.Append(CultureInfo.InvariantCulture, $"{name + ":",-14}{value}\n");
}
