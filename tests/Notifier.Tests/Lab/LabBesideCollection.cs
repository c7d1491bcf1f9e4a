namespace Notifier.Tests.Lab;

/// <summary>
/// Tests that use the lab but none of what makes the <see cref="LabCollection"/> run one test at a time: they never
/// switch the switch relay, never poll or read the canary mailbox (or the desk's), never use the greylisting relay.
/// They send through the smarthost into the owner mailbox and find their own message by its Message-ID (or only count
/// MailKit's operations), log in only (behind forwarders of their own), probe the open and closed relays and read only
/// the probe's verdict, or start a service with no inbox configured behind a holding proxy of their own (GracefulDrain,
/// NoticeRestart). A canary such a probe leaves in the canary mailbox is one no lab service knows: it moves it and
/// counts nothing (InboxProcessor counts only a canary of one of its own probes). So they run
/// beside the lab collection (one after another among themselves); a test that needs any of the above belongs in
/// <see cref="LabCollection"/>. With NOTIFIER_LAB_ENV set both collections share one lab; without it this one starts its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LabBesideCollection : ICollectionFixture<Lab>
{
    public const string Name = "lab-beside";
}
