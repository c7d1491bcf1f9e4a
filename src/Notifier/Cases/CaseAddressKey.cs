using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// A case address as text that sorts in address order: the 16 bytes of its IPv6 form (IPv4 as IPv4-mapped,
/// RFC 4291 §2.5.5.2) in lowercase hex. Case addresses are stored as people read them ("10.0.0.9" sorts after
/// "10.0.0.10"), so a network filter could not be a range over them; over this key a CIDR network is one indexed
/// range (<see cref="RangeOf"/>), which keeps the case list fast at 100,000 cases.
/// </summary>
public static class CaseAddressKey
{
    public const int Length = 32;

    /// <summary>The key of a canonical case address; null for text that is no address (never stored by intake).</summary>
    public static string? Of(string address) => IpAddressText.Parse(address) is { } ip ? Of(ip) : null;

    public static string Of(IPAddress ip) => Convert.ToHexStringLower(Mapped(ip).GetAddressBytes());

    /// <summary>The first and the last key inside <paramref name="network"/>, both included.</summary>
    public static (string From, string To) RangeOf(IPNetwork network)
    {
        var first = network.BaseAddress.GetAddressBytes();
        var last = (byte[])first.Clone();
        var bits = first.Length * 8;
        for (var i = network.PrefixLength; i < bits; i++) last[i / 8] |= (byte)(0x80 >> (i % 8));
        return (Of(new IPAddress(first)), Of(new IPAddress(last)));
    }

    private static IPAddress Mapped(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetwork ? ip.MapToIPv6() : ip;

    /// <summary>
    /// Gives the key to cases opened before the column existed (migration CaseListColumns); run at start after the
    /// migrations. Done here rather than in the migration's SQL because SQLite cannot parse IPv6 text.
    /// </summary>
    public static async Task BackfillAsync(NotifierDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        const int batchSize = 1000;
        var after = 0;
        while (true)
        {
            var batch = await db.Cases.Where(c => c.AddressKey == null && c.Id > after).OrderBy(c => c.Id).Take(batchSize)
                .Select(c => new { c.Id, c.Address }).ToListAsync(ct);
            foreach (var c in batch)
            {
                if (Of(c.Address) is not { } key) continue;
                // ExecuteUpdate: the key is no case change (no version bump, no event), only an index of the address.
                await db.Cases.Where(x => x.Id == c.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.AddressKey, key), ct);
            }
            if (batch.Count < batchSize) return;
            after = batch[^1].Id;
        }
    }
}
