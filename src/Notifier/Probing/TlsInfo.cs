namespace Notifier.Probing;

/// <summary>What the TLS negotiation showed: evidence for the notice and for fixing it.</summary>
public sealed record TlsInfo(
    string Mode,
    string? Protocol,
    string? CipherSuite,
    string? CertificateSubject,
    string? CertificateIssuer,
    DateTimeOffset? CertificateNotAfter,
    string? CertificateErrors,
    string? Failure);
