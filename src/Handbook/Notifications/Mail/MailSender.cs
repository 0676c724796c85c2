using MailKit.Net.Smtp;

namespace Handbook.Notifications.Mail;

/// <summary>
/// Empties the outbox: sends the mails that are due over one SMTP connection per batch, as soon as one is queued.
/// A failed try is retried after <see cref="SmtpOptions.RetrySeconds"/>, doubling up to an hour, and after
/// <see cref="SmtpOptions.MaxAttempts"/> tries the mail is counted as failed. The only sender, so a mail is never
/// sent by two at once.
/// </summary>
internal sealed class MailSender(MailOutbox outbox, ILogger<MailSender> log) : BackgroundService
{
    private const int BatchSize = 50;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    // Wakes up at least this often: a change of the clock or a lost signal then costs at most this.
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(5);

    private SmtpOptions Options => outbox.Options;

    /// <summary>The wait after the <paramref name="attempts"/>-th failed try: the base, doubled for each further failure, at most an hour.</summary>
    internal static TimeSpan Backoff(int attempts, TimeSpan retryBase)
    {
        var seconds = retryBase.TotalSeconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxBackoff.TotalSeconds));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!outbox.Enabled)
        {
            return;
        }

        var store = outbox.Store;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    var due = store.Due(DateTimeOffset.UtcNow, BatchSize);
                    if (due.Count > 0)
                    {
                        await SendBatchAsync(store, due, stoppingToken).ConfigureAwait(false);
                        continue;
                    }

                    wait = store.NextDueAt() is { } next ? next - DateTimeOffset.UtcNow : MaxSleep;
                    wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxSleep ? MaxSleep : wait;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A fault of the outbox file (disk full, I/O error) must not stop the host, which a background
                    // service that throws does: the wiki goes on without mail and the outbox is tried again later.
                    log.LogError("Mail {Event}: the outbox could not be read or updated, trying again in {Wait}: {Error}", "outbox-fault", MaxSleep, Options.Redact(e.Message));
                    wait = MaxSleep;
                }

                await outbox.WaitForMailAsync(wait, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendBatchAsync(OutboxStore store, IReadOnlyList<QueuedMail> due, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(Options.Host!, Options.Port, Options.SocketOptions, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(Options.Username))
            {
                await client.AuthenticateAsync(Options.Username, Options.Password ?? "", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The server could not be reached or refused us: every mail of the batch waits for its next try.
            foreach (var mail in due)
            {
                Failed(store, mail, e);
            }

            return;
        }

        var sent = 0;
        foreach (var mail in due)
        {
            try
            {
                await client.SendAsync(MailComposer.Compose(mail, Options.FromAddress), cancellationToken).ConfigureAwait(false);
                store.MarkSent(mail.Id, DateTimeOffset.UtcNow);
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Failed(store, mail, e);
                if (!client.IsConnected)
                {
                    // The rest are still due: the next round opens a new connection for them.
                    break;
                }
            }
        }

        log.LogInformation("Mail {Event}: {Sent} of {Due} sent through {Server}", "batch", sent, due.Count, Options.Server);
        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The mails are sent; a server that hangs up rudely changes nothing.
                log.LogDebug("Mail {Event}: {Error}", "quit-failed", Options.Redact(e.Message));
            }
        }
    }

    private void Failed(OutboxStore store, QueuedMail mail, Exception e)
    {
        var attempts = mail.Attempts + 1;
        // MailKit's messages name the server and its reply, not the credentials; the password is taken out anyway,
        // and only the message is logged and kept, never the exception with its data.
        var error = Options.Redact($"{e.GetType().Name}: {e.Message}");
        var now = DateTimeOffset.UtcNow;
        if (attempts >= Options.MaxAttempts)
        {
            store.MarkFailed(mail.Id, attempts, error, retryAt: null, now);
            log.LogError("Mail {Event}: {Id} given up after {Attempts} tries through {Server}: {Error}", "failed", mail.Id, attempts, Options.Server, error);
            return;
        }

        var backoff = Backoff(attempts, Options.RetryBase);
        store.MarkFailed(mail.Id, attempts, error, now + backoff, now);
        log.LogWarning("Mail {Event}: {Id} try {Attempts} of {MaxAttempts} through {Server} failed, retrying in {Backoff}: {Error}",
            "retry", mail.Id, attempts, Options.MaxAttempts, Options.Server, backoff, error);
    }
}
