using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Notifier.Telemetry;
using Notifier.Tests.Hosting;
using Notifier.Tests.Inbox;

namespace Notifier.Tests.Telemetry;

/// <summary>
/// notifier_inbox_poll_errors_total counts each failed poll by its error, so that an admin's alert fires when the
/// canary mailbox cannot be read (no confirmation, no bounce, no reply is seen meanwhile).
/// </summary>
public sealed class InboxPollErrorMetricsTests
{
    [Fact]
    public async Task PollErrors_CountEachFailedPollByError_WhenTheImapServerIsNotListening()
    {
        var port = LoopbackPort.Unused();
        await using var inbox = await InboxHarness.CreateAsync(null, s =>
        {
            s["Inbox:Host"] = "127.0.0.1";
            s["Inbox:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s["Inbox:Tls"] = "None";
            s["Inbox:User"] = "canary";
            s["Inbox:Password"] = "unused";
        });
        using var errors = new MetricCollector<long>(inbox.Services.GetRequiredService<NotifierMetrics>().Meter, "notifier.inbox.poll.errors");

        await Assert.ThrowsAnyAsync<Exception>(() => inbox.PollAsync());
        await Assert.ThrowsAnyAsync<Exception>(() => inbox.PollAsync());

        var counted = errors.GetMeasurementSnapshot();
        Assert.Equal(2, counted.Sum(m => m.Value));
        Assert.All(counted, m => Assert.Equal("SocketException", m.Tags["error"]));
    }
}
