namespace Notifier.Notices;

/// <summary>Who writes: the abuse desk running Notifier (from <c>Notices:Desk*</c> options).</summary>
public sealed record NoticeDesk
{
    /// <summary>The desk's name as it signs (e.g. "Example CERT abuse desk").</summary>
    public required string Name { get; init; }

    /// <summary>Where replies go (<c>Reply-To</c>); read by a person.</summary>
    public required string ReplyAddress { get; init; }

    /// <summary>A page about the desk and this service, if any.</summary>
    public string? WebsiteUrl { get; init; }

    /// <summary>How to reach a person other than by replying (phone, ticket page), if any.</summary>
    public string? HumanContact { get; init; }
}
