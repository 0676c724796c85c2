using MailKit.Security;
using MimeKit;

namespace Handbook.Notifications.Mail;

/// <summary>
/// The SMTP server notifications are sent through (<c>Handbook:Smtp</c>). Without <see cref="Host"/> and
/// <see cref="From"/> no mail is sent and notifications stay in the app. Checked at start by <see cref="SmtpOptionsValidator"/>.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Handbook:Smtp";

    /// <summary>The accepted values of <see cref="Security"/> and what MailKit does for each.</summary>
    internal static readonly IReadOnlyDictionary<string, SecureSocketOptions> SecurityModes =
        new Dictionary<string, SecureSocketOptions>(StringComparer.OrdinalIgnoreCase)
        {
            ["StartTls"] = SecureSocketOptions.StartTls,
            ["StartTlsWhenAvailable"] = SecureSocketOptions.StartTlsWhenAvailable,
            ["SslOnConnect"] = SecureSocketOptions.SslOnConnect,
            ["None"] = SecureSocketOptions.None,
        };

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>Empty for a server that takes mail without authentication.</summary>
    public string? Username { get; set; }

    /// <summary>Never logged, shown or put into an error message (see <see cref="Redact"/>).</summary>
    public string? Password { get; set; }

    /// <summary>The sender: an address, optionally as <c>Name &lt;address&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>
    /// <c>StartTls</c> (the default: TLS required after connecting), <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c>
    /// (usually port 465) or <c>None</c> (a relay on the same machine or in tests).
    /// </summary>
    public string Security { get; set; } = "StartTls";

    /// <summary>The wait after a first failed try; it doubles after each further failure, up to an hour.</summary>
    public double RetrySeconds { get; set; } = 30;

    /// <summary>Tries before a mail is given up on and counted as failed.</summary>
    public int MaxAttempts { get; set; } = 10;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);

    internal SecureSocketOptions SocketOptions => SecurityModes[Security];

    internal MailboxAddress FromAddress => TryParseMailbox(From, out var address) ? address : throw new InvalidOperationException("Handbook:Smtp:From is not a valid address.");

    internal TimeSpan RetryBase => TimeSpan.FromSeconds(RetrySeconds);

    /// <summary>The server as administrators see it: host and port, never the credentials.</summary>
    public string Server => $"{Host}:{Port}";

    /// <summary>Takes the password out of a text that may reach a log or the status page.</summary>
    internal string Redact(string text) =>
        string.IsNullOrEmpty(Password) ? text : text.Replace(Password, "***", StringComparison.Ordinal);

    public override string ToString() => Enabled ? $"{Server} ({Security}) from {From}" : "(none)";

    /// <summary>One mailbox with a full address (<c>name@domain</c>), optionally with a display name.</summary>
    internal static bool TryParseMailbox(string? text, out MailboxAddress address)
    {
        address = null!;
        if (string.IsNullOrWhiteSpace(text) || !InternetAddressList.TryParse(text, out var list) || list.Count != 1 ||
            list[0] is not MailboxAddress mailbox || mailbox.Address.IndexOf('@', StringComparison.Ordinal) is <= 0 ||
            mailbox.Address.EndsWith('@'))
        {
            return false;
        }

        address = mailbox;
        return true;
    }
}
