using Notifier.Cases;
using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Tests.Cases;

/// <summary>The desk's own steps of the state machine: reopening a closed case, and an operator's wording of a notice.</summary>
public sealed class CaseWorkflowDeskTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static Case Closed()
    {
        var c = CaseWorkflow.Open("198.51.100.7", 25, "198.51.100.7:25", "test", null, "test", Now.AddDays(-3));
        c.Id = 7;
        CaseWorkflow.QueueProbe(c, ProbeMode.Quick, Now.AddDays(-3));
        c.ProbeAttempts = 3;
        CaseWorkflow.Close(c, "operator:ann", CloseReason.FalsePositive, "our own test box", Now.AddDays(-1));
        return c;
    }

    [Fact]
    public void Reopen_MakesTheCaseNewWithAProbeDueNow_WhenItWasClosed()
    {
        var c = Closed();

        CaseWorkflow.Reopen(c, "operator:bob", "the owner asked us to look again", Now);

        Assert.Equal(CaseState.New, c.State);
        Assert.Equal(c.RelayKey, c.OpenRelayKey);
        Assert.Null(c.ClosedReason);
        Assert.Equal(CaseAction.Probe, c.NextAction);
        Assert.Equal(Now, c.NextActionAt);
        Assert.Equal("operator:bob", c.NextActionRequestedBy);
        Assert.Equal(0, c.ProbeAttempts);
        var moved = c.Events.Last(e => e.Kind == CaseEventKind.StateChanged);
        Assert.Equal(CaseState.New, moved.ToState);
        Assert.Contains("false-positive", moved.Summary, StringComparison.Ordinal);
        Assert.Contains("the owner asked us to look again", moved.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Reopen_Throws_WhenTheCaseIsOpen()
    {
        var c = CaseWorkflow.Open("198.51.100.7", 25, "198.51.100.7:25", "test", null, "test", Now);
        CaseWorkflow.QueueProbe(c, ProbeMode.Quick, Now);

        Assert.Throws<InvalidOperationException>(() => CaseWorkflow.Reopen(c, "operator:bob", "test", Now));
        Assert.Equal(CaseState.Probing, c.State);
    }

    [Fact]
    public void EditNotice_SetsTheTextAndApproves_WhenTheNoticeAwaitsApproval()
    {
        var c = RetestSamples.At(CaseState.Confirmed, Now);
        var n = CaseWorkflow.PlanNotice(c, nameof(NoticeKind.FirstNotice), "abuse@example.org", null, null, null, Now, "system", "test", Now);
        Assert.Equal(NoticeState.AwaitingApproval, n.State);

        CaseWorkflow.EditNotice(c, n, "operator:ann", "Hello,\nyour relay is open.", "the contact asked for plain words", Now);

        Assert.Equal("Hello,\nyour relay is open.", n.EditedText);
        Assert.Equal("the contact asked for plain words", n.EditReason);
        Assert.Equal("operator:ann", n.EditedBy);
        Assert.Equal(Now, n.EditedAt);
        Assert.Equal(NoticeState.Queued, n.State);
        Assert.Equal("operator:ann", n.ApprovedBy);
        Assert.Contains(c.Events, e => e.Kind == CaseEventKind.NoticeEdited && e.Summary.Contains("the contact asked for plain words", StringComparison.Ordinal));
    }

    [Fact]
    public void EditNotice_Throws_WhenTheNoticeWasSent()
    {
        var c = RetestSamples.At(CaseState.Confirmed, Now);
        var n = CaseWorkflow.PlanNotice(c, nameof(NoticeKind.FirstNotice), "abuse@example.org", null, "system", null, Now, "system", "test", Now);
        CaseWorkflow.NoticeSent(c, n, "test", "250 ok", new RetestOptions(), Now);

        Assert.Throws<InvalidOperationException>(() => CaseWorkflow.EditNotice(c, n, "operator:ann", "text", "reason", Now));
        Assert.Null(n.EditedText);
    }
}
