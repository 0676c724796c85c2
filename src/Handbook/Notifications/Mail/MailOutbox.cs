using Microsoft.Extensions.Options;
using MimeKit.Utils;

namespace Handbook.Notifications.Mail;

/// <summary>
/// Where notifications hand over their e-mails. <see cref="Enqueue"/> writes the mail to the durable outbox and
/// wakes <see cref="MailSender"/>; it never talks to the mail server, so a slow or failing server never delays or
/// breaks a save or a page view. One per app (a singleton).
/// </summary>
public sealed class MailOutbox : IDisposable
{
    private readonly OutboxStore? _store;
    private readonly ILogger<MailOutbox> _log;
    private readonly string _messageIdDomain;
    private readonly SemaphoreSlim _signal = new(0, 1);

    public MailOutbox(IOptions<SmtpOptions> smtp, IOptions<HandbookOptions> handbook, ILogger<MailOutbox> log)
    {
        _log = log;
        Options = smtp.Value;
        _messageIdDomain = Options.Enabled ? Options.FromAddress.Domain : "localhost";
        // Without SMTP there is no outbox file: nothing would ever empty it.
        _store = Options.Enabled ? new OutboxStore(handbook.Value.DataFullPath) : null;
    }

    /// <summary>SMTP is configured (<c>Handbook:Smtp:Host</c> and <c>From</c>).</summary>
    public bool Enabled => _store is not null;

    public MailStatus Status => _store?.Status() ?? new MailStatus(false, 0, 0, null, null, null);

    internal SmtpOptions Options { get; }

    internal OutboxStore Store => _store ?? throw new InvalidOperationException("SMTP is not configured.");

    /// <summary>
    /// Queues a mail and returns at once; the mail is on disk when this returns and is sent, and retried, in the
    /// background. Returns false, dropping the mail, when SMTP is not configured (notifications then stay in the
    /// app). Delivery problems never throw here; an address that is not one address is a caller's bug
    /// (<see cref="ArgumentException"/>), and a full or broken disk an I/O fault.
    /// </summary>
    public bool Enqueue(OutgoingMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        ArgumentNullException.ThrowIfNull(mail.Subject);
        ArgumentNullException.ThrowIfNull(mail.TextBody);
        if (!SmtpOptions.TryParseMailbox(mail.To, out _))
        {
            throw new ArgumentException($"'{mail.To}' is not one e-mail address.", nameof(mail));
        }

        if (_store is null)
        {
            return false;
        }

        // The Message-Id is fixed now, so a try that reached the server but lost its answer is sent again under
        // the same id and mail clients show it once.
        var id = _store.Add(mail, MimeUtils.GenerateMessageId(_messageIdDomain), DateTimeOffset.UtcNow);
        _log.LogDebug("Mail {Event}: {Id}", "queued", id);
        Wake();
        return true;
    }

    /// <summary>Queues several mails at once, in one write to the outbox; see <see cref="Enqueue"/>. Returns how many were queued.</summary>
    public int EnqueueAll(IReadOnlyList<OutgoingMail> mails)
    {
        ArgumentNullException.ThrowIfNull(mails);
        foreach (var mail in mails)
        {
            if (!SmtpOptions.TryParseMailbox(mail.To, out _))
            {
                throw new ArgumentException($"'{mail.To}' is not one e-mail address.", nameof(mails));
            }
        }

        if (_store is null || mails.Count == 0)
        {
            return 0;
        }

        _store.AddAll(mails.Select(m => (m, MimeUtils.GenerateMessageId(_messageIdDomain))).ToList(), DateTimeOffset.UtcNow);
        _log.LogDebug("Mail {Event}: {Count}", "queued", mails.Count);
        Wake();
        return mails.Count;
    }

    /// <summary>Waits until a mail is queued or <paramref name="timeout"/> has passed (for <see cref="MailSender"/>).</summary>
    internal Task WaitForMailAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    private void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // The sender is already woken.
        }
    }

    public void Dispose() => _signal.Dispose();
}
