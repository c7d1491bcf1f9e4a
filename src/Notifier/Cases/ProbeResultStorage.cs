using System.Buffers;
using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// How <see cref="Probe.ResultJson"/> is kept in the database: Brotli-compressed UTF-8 (RFC 7932) in the column
/// <c>Result</c>. A closed Postfix's result is about 28 KB of JSON (a 190-line transcript whose every line repeats
/// its timestamp and field names, 21 variants repeating the same addresses and replies) and about 2.5 KB compressed
/// (issue 17: at most 5 KB per closed case), about 2 KB with the transcript's timestamps as one column of differences
/// (<see cref="TranscriptTimeColumn"/>; results stored before that are plain JSON inside the Brotli and read as they
/// are). Everything reads the JSON through the property, so the case page, the API, the owner's evidence and the
/// notices see the same result as before.
/// </summary>
public static class ProbeResultStorage
{
    /// <summary>
    /// Brotli quality 5 of 0–11: within a few percent of the smallest output for text this size at a fraction of
    /// quality 11's CPU (a probe is recorded once and read on every case page).
    /// </summary>
    private const int Quality = 5;

    /// <summary>The encoder's window (log2 bytes): 4 MB, far above any result, so the whole result is one window.</summary>
    private const int Window = 22;

    /// <summary>The converter the model maps <see cref="Probe.ResultJson"/> with (EF Core passes null by, unconverted).</summary>
    public static readonly ValueConverter<string?, byte[]?> Converter = new(json => Compress(json!), bytes => Decompress(bytes!));

    public static byte[] Compress(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var utf8 = Encoding.UTF8.GetBytes(TranscriptTimeColumn.Split(json));
        var buffer = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(utf8.Length));
        try
        {
            if (!BrotliEncoder.TryCompress(utf8, buffer, out var written, Quality, Window))
                throw new InvalidOperationException("Brotli could not compress a probe result into its maximum compressed length");
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static string Decompress(byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        using var input = new MemoryStream(stored, writable: false);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(brotli, Encoding.UTF8);
        return TranscriptTimeColumn.Join(reader.ReadToEnd());
    }

    /// <summary>
    /// Compresses the results stored before the column existed (plain JSON in <see cref="Probe.UncompressedResultJson"/>,
    /// migration CompactProbeResults) and empties their old column; run at start after the migrations, like
    /// <see cref="CaseAddressKey.BackfillAsync"/>. Done here rather than in the migration's SQL because no provider
    /// has Brotli in SQL. Idempotent: a node that starts meanwhile finds nothing left, or the same rows, to convert.
    /// </summary>
    public static async Task CompactAsync(NotifierDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        const int batchSize = 500;
        var after = 0;
        while (true)
        {
            var batch = await db.Probes.AsNoTracking().Where(p => p.UncompressedResultJson != null && p.Id > after).OrderBy(p => p.Id).Take(batchSize)
                .Select(p => new { p.Id, Json = p.UncompressedResultJson! }).ToListAsync(ct);
            if (batch.Count == 0) return;
            // One transaction a batch: SQLite commits (and syncs) once per 500 rows instead of once per row.
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                foreach (var p in batch)
                {
                    // ExecuteUpdate: only the storage of the result changes (no version bump, no event).
                    await db.Probes.Where(x => x.Id == p.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.ResultJson, p.Json)
                        .SetProperty(x => x.UncompressedResultJson, (string?)null), ct);
                }
                await tx.CommitAsync(ct);
            }
            if (batch.Count < batchSize) return;
            after = batch[^1].Id;
        }
    }
}
