using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Notifier.Probing;

/// <summary>
/// A VERP return path (variable envelope return path, as qmail and mailing lists use it):
/// <c>bounces+t42-1a2b3c4d5e6f7a8b@example.org</c> names the message a bounce answers, so a bounce that names no
/// recipient, or a wrong one, is still tied to what we sent. The tag carries an HMAC over kind, id and domain, so a
/// forged bounce cannot pick a message of ours. The key is derived from the probe token key with HKDF (RFC 5869) under
/// its own label, so a VERP tag and a canary token can never stand in for each other, and no second secret is kept.
/// Local parts are lowercase hex and digits only: some MTAs fold the case of a local part.
/// </summary>
/// <remarks>
/// It lives in Probing/ because it is part of what a probe puts on the wire (the MAIL FROM of our own sender
/// variants) and its key comes from <see cref="ProbeTokenKey"/>: Cases/ (which tags a probe's return path) and
/// Inbox/ (which verifies it) both already import Probing/, so neither gains an import of the other and no folder
/// cycle appears (Inbox/ imports Cases/). Reading the candidates out of a received bounce stays in Inbox/
/// (<c>Inbox.VerpCandidates</c>).
/// </remarks>
public sealed partial record VerpAddress(char Kind, long Id, string Domain)
{
    /// <summary>A further relay test message (<c>ProbeTestMessage.Id</c>).</summary>
    public const char TestMessage = 't';

    /// <summary>
    /// The test message a probe sends inside its own dialogue (<c>Probe.Id</c> of the first attempt of its envelope):
    /// its ProbeTestMessage row is written only after the dialogue, so the tag names the probe.
    /// </summary>
    public const char Probe = 'p';

    /// <summary>A notice (the notices feature tags its return path with this kind).</summary>
    public const char Notice = 'n';

    private const string Prefix = "bounces";

    public static byte[] KeyFrom(ProbeTokenKey key) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Bytes.ToArray(), 32, info: "notifier verp return path v1"u8.ToArray());

    public string Format(ReadOnlySpan<byte> key) => $"{Prefix}+{Kind}{Id}-{Mac(key, Kind, Id, Domain)}@{Domain.ToLowerInvariant()}";

    /// <summary>Whether an address is a VERP return path of ours at all (verified or not).</summary>
    public static bool IsVerp(string address) => Shape().IsMatch(address);

    /// <summary>The tag of <paramref name="address"/> when it is well formed and its HMAC verifies; otherwise null.</summary>
    public static VerpAddress? Verify(string address, ReadOnlySpan<byte> key)
    {
        var m = Shape().Match(address.Trim());
        if (!m.Success || !long.TryParse(m.Groups["id"].Value, out var id)) return null;
        var kind = char.ToLowerInvariant(m.Groups["kind"].Value[0]);
        var domain = m.Groups["domain"].Value.ToLowerInvariant();
        var expected = Encoding.ASCII.GetBytes(Mac(key, kind, id, domain));
        var given = Encoding.ASCII.GetBytes(m.Groups["mac"].Value.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given) ? new VerpAddress(kind, id, domain) : null;
    }

    private static string Mac(ReadOnlySpan<byte> key, char kind, long id, string domain)
    {
        var data = Encoding.ASCII.GetBytes($"{kind}{id}@{domain.ToLowerInvariant()}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, data).AsSpan(0, 8));
    }

    [GeneratedRegex(@"^bounces\+(?<kind>[tpn])(?<id>\d{1,18})-(?<mac>[0-9a-f]{16})@(?<domain>[A-Za-z0-9.-]+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
