using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Notifier.Notices;

namespace Notifier.Tests.Notices;

public sealed class OutboxSenderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "notifier-outbox-" + Guid.NewGuid().ToString("n"));

    private static OutboxSender Sender(string outbox) =>
        new(Microsoft.Extensions.Options.Options.Create(NoticeSamples.Options(outbox)), NullLogger<OutboxSender>.Instance);

    private static MimeMessage Message(string id = "notice.42@desk.test") =>
        NoticeSamples.Builder(new NoticeSigner(null)).Build(NoticeSamples.Mail(messageId: id));

    [Fact]
    public async Task SendAsync_WritesTheMessageAsEml_NamedByItsMessageId()
    {
        var outbox = Path.Combine(_dir, "outbox");

        var delivery = await Sender(outbox).SendAsync(Message(), "bounce+n42@desk.test", "abuse@owner.test", CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Accepted, delivery.Outcome);
        var file = Path.Combine(outbox, "notice.42@desk.test.eml");
        Assert.Equal(file, delivery.Location);
        Assert.Equal([file], Directory.GetFiles(outbox));
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.Contains("\r\nMessage-Id: <notice.42@desk.test>\r\n", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.OrdinalIgnoreCase);
        var read = MimeMessage.Load(new MemoryStream(bytes));
        Assert.Equal("notice.42@desk.test", read.MessageId);
        Assert.Equal("Dear abuse team,\nRelay: 192.0.2.10:25\nGrüße\n", read.TextBody!.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task SendAsync_LeavesOneFile_WhenTheSameNoticeIsWrittenTwice()
    {
        var outbox = Path.Combine(_dir, "outbox");
        var sender = Sender(outbox);

        await sender.SendAsync(Message(), "bounce@desk.test", "abuse@owner.test", CancellationToken.None);
        var again = await sender.SendAsync(Message(), "bounce@desk.test", "abuse@owner.test", CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Accepted, again.Outcome);
        Assert.Single(Directory.GetFiles(outbox));
    }

    [Fact]
    public async Task SendAsync_NamesTheFileSafely_WhenTheMessageIdHasPathCharacters()
    {
        var outbox = Path.Combine(_dir, "outbox");

        var delivery = await Sender(outbox).SendAsync(Message("../../etc/x@desk.test"), "bounce@desk.test", "abuse@owner.test", CancellationToken.None);

        Assert.Equal(Path.Combine(outbox, "_._.._etc_x@desk.test.eml"), delivery.Location);
        Assert.Single(Directory.GetFiles(outbox));
    }

    [Fact]
    public async Task SendAsync_DefersAndLeavesNoFile_WhenTheOutboxIsAFile()
    {
        Directory.CreateDirectory(_dir);
        var outbox = Path.Combine(_dir, "outbox");
        await File.WriteAllTextAsync(outbox, "not a folder");

        var delivery = await Sender(outbox).SendAsync(Message(), "bounce@desk.test", "abuse@owner.test", CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Deferred, delivery.Outcome);
        Assert.Contains(outbox, delivery.Detail, StringComparison.Ordinal);
        Assert.Equal([outbox], Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task SendAsync_DefersAndLeavesNoFile_WhenTheDiskFillsUpMidWrite()
    {
        var outbox = Path.Combine(_dir, "outbox");
        // The attachment's content fails after 64 KiB with ENOSPC's message, as a write to a full disk does.
        var message = new MimeMessage { MessageId = "notice.full@desk.test", Subject = "[NR-000123] x" };
        message.From.Add(MailboxAddress.Parse("notices@desk.test"));
        message.Body = new MimePart("application", "octet-stream") { Content = new MimeContent(new FullDiskStream(64 * 1024)) };

        var delivery = await Sender(outbox).SendAsync(message, "bounce@desk.test", "abuse@owner.test", CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Deferred, delivery.Outcome);
        Assert.Contains("No space left on device", delivery.Detail, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outbox));
    }

    [Fact]
    public async Task SendAsync_DefersAndKeepsWhatIsThere_WhenTheFileNameIsTakenByAFolder()
    {
        var outbox = Path.Combine(_dir, "outbox");
        var taken = Path.Combine(outbox, "notice.42@desk.test.eml");
        Directory.CreateDirectory(Path.Combine(taken, "inside"));

        var delivery = await Sender(outbox).SendAsync(Message(), "bounce@desk.test", "abuse@owner.test", CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Deferred, delivery.Outcome);
        Assert.Equal([taken], Directory.GetFileSystemEntries(outbox));
        Assert.True(Directory.Exists(Path.Combine(taken, "inside")));
    }

    /// <summary>Reads as zeros up to a limit, then fails as a full disk does (ENOSPC).</summary>
    private sealed class FullDiskStream(int limit) : Stream
    {
        private int _read;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => 2L * limit;
        public override long Position { get => _read; set => _read = (int)value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= limit) throw new IOException("No space left on device");
            var n = Math.Min(count, limit - _read);
            Array.Clear(buffer, offset, n);
            _read += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _read + offset,
            _ => Length + offset,
        };
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
