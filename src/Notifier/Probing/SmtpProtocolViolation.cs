namespace Notifier.Probing;

/// <summary>The peer broke the protocol (garbage, oversized or endless replies): the dialogue cannot go on.</summary>
public sealed class SmtpProtocolViolationException(string message) : Exception(message);

/// <summary>The peer closed the connection or the socket failed mid-dialogue.</summary>
public sealed class SmtpConnectionLostException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The peer did not answer within the per-reply timeout.</summary>
public sealed class SmtpReplyTimeoutException(string message) : Exception(message);
