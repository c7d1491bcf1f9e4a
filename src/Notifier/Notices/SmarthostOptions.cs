using System.ComponentModel.DataAnnotations;

namespace Notifier.Notices;

/// <summary>How the connection to the smarthost is secured.</summary>
public enum SmarthostSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS (RFC 3207), which the server must offer (submission, port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (RFC 8314, port 465).</summary>
    ImplicitTls,

    /// <summary>No TLS at all: only for a smarthost on the same machine or a lab.</summary>
    None,
}

/// <summary>The <c>Notices:Smarthost</c> configuration section.</summary>
public sealed class SmarthostOptions
{
    /// <summary>Host name or address of the smarthost. Empty: no smarthost, notices go to the outbox directory.</summary>
    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "Notices:Smarthost:Port must be a TCP port (1-65535)")]
    public int Port { get; set; } = 587;

    public SmarthostSecurity Security { get; set; } = SmarthostSecurity.StartTls;

    /// <summary>The AUTH user; empty: no AUTH.</summary>
    public string? UserName { get; set; }

    /// <summary>The AUTH password (never logged).</summary>
    public string? Password { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Notices:Smarthost:ConnectTimeout must be between 100 ms and 5 minutes")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one SMTP command may wait for its reply (RFC 5321 §4.5.3.2 suggests minutes; smarthosts answer fast).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Notices:Smarthost:CommandTimeout must be between 100 ms and 10 minutes")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Labs only: accept any server certificate (a self-signed lab Postfix). Never in production.</summary>
    public bool AcceptAnyServerCertificate { get; set; }
}
