using MimeKit;

namespace Handbook.Notifications.Mail;

/// <summary>Turns a queued mail into the MIME message that is sent: plain text, or text and HTML as alternatives.</summary>
internal static class MailComposer
{
    public static MimeMessage Compose(QueuedMail queued, MailboxAddress from)
    {
        var mail = queued.Mail;
        var message = new MimeMessage { Subject = mail.Subject, MessageId = queued.MessageId };
        message.From.Add(from);
        message.To.Add(SmtpOptions.TryParseMailbox(mail.To, out var to)
            ? new MailboxAddress(mail.ToName ?? to.Name, to.Address)
            : throw new InvalidOperationException($"Queued mail {queued.Id} has no valid recipient."));
        // Automatic mail: out-of-office replies and mail loops stay away (RFC 3834).
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var body = new BodyBuilder { TextBody = mail.TextBody };
        if (mail.HtmlBody is not null)
        {
            body.HtmlBody = mail.HtmlBody;
        }

        message.Body = body.ToMessageBody();
        return message;
    }
}
