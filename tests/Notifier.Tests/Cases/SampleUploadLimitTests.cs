using System.Net;
using System.Net.Http.Headers;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>The service with spam samples limited to 64 KB and CSV imports to 16 KB.</summary>
public sealed class SmallUploadsNotifierFactory() : NotifierFactory(new Dictionary<string, string?>
{
    ["Intake:MaxSampleBytes"] = (64 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Intake:MaxCsvBytes"] = (16 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
});

/// <summary>
/// Uploads over their limit are refused with 413 while they are read: the server stops taking the body at the
/// limit instead of reading all a client sends (and holding it in memory) before it looks at the size.
/// </summary>
public sealed class SampleUploadLimitTests(SmallUploadsNotifierFactory factory) : IClassFixture<SmallUploadsNotifierFactory>
{
    private const int Limit = 64 * 1024;

    private static readonly byte[] Sample = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Intake", "Samples", "exchange-chain.eml"));

    [Fact]
    public async Task PostSample_413AfterReadingLittleMoreThanTheLimit_WhenAStreamedBodyGoesOnAndOn()
    {
        var client = await factory.ClientWithKeyAsync();
        // 64 MB announced by no Content-Length (chunked): only reading tells how long it is.
        await using var body = new EndlessSample(Sample, total: 1024L * Limit);
        var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");

        var r = await client.PostAsync("/api/samples", content);
        var readWhenAnswered = body.BytesRead;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Contains("Intake:MaxSampleBytes", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(readWhenAnswered < 16 * Limit, $"the server took {readWhenAnswered} bytes of a body over a {Limit}-byte limit before it answered");
    }

    [Fact]
    public async Task PostSample_413_WhenTheContentLengthOrTheMultipartFileIsOverTheLimit()
    {
        var client = await factory.ClientWithKeyAsync();
        var over = Padded(Limit + 1);
        var multipart = new MultipartFormDataContent { { new ByteArrayContent(over), "file", "sample.eml" } };

        var raw = await client.PostAsync("/api/samples", new ByteArrayContent(over) { Headers = { ContentType = new("message/rfc822") } });
        var form = await client.PostAsync("/api/samples", multipart);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, raw.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, form.StatusCode);
    }

    [Fact]
    public async Task PostSample_IsTaken_WhenItIsExactlyTheLimit()
    {
        var client = await factory.ClientWithKeyAsync();

        var r = await client.PostAsync("/api/samples", new ByteArrayContent(Padded(Limit)) { Headers = { ContentType = new("message/rfc822") } });

        Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ImportCsv_413_WhenTheMultipartFileIsOverItsLimit()
    {
        var client = await factory.ClientWithKeyAsync();
        var csv = System.Text.Encoding.ASCII.GetBytes("address\n" + string.Concat(Enumerable.Repeat("8.8.8.8\n", 16 * 1024 / 8 + 1)));

        var r = await client.PostAsync("/api/cases/import", new MultipartFormDataContent { { new ByteArrayContent(csv), "file", "relays.csv" } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Contains("Intake:MaxCsvBytes", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The sample with its body padded to exactly <paramref name="length"/> bytes.</summary>
    private static byte[] Padded(int length)
    {
        var padding = new byte[length - Sample.Length];
        for (var i = 0; i < padding.Length; i++) padding[i] = i % 78 == 77 ? (byte)'\n' : (byte)'x';
        return [.. Sample, .. padding];
    }

    /// <summary>The sample, then padding up to <c>total</c> bytes, produced as it is read; counts what was read.</summary>
    private sealed class EndlessSample(byte[] head, long total) : Stream
    {
        private long _position;

        public long BytesRead => Interlocked.Read(ref _position);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, total - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[i] = at < head.Length ? head[at] : at % 78 == 77 ? (byte)'\n' : (byte)'x';
            }
            Interlocked.Add(ref _position, n);
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
