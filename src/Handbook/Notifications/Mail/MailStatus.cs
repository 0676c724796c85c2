namespace Handbook.Notifications.Mail;

/// <summary>What administrators see of the mail delivery (<c>/beheer/e-mail</c>).</summary>
/// <param name="Enabled">SMTP is configured; without it notifications stay in the app.</param>
/// <param name="Pending">Mails waiting for their first or next try.</param>
/// <param name="Failed">Mails given up on after the configured number of tries.</param>
/// <param name="LastSentAt">When the server last accepted a mail.</param>
/// <param name="LastError">The last delivery error (never with the password); kept after later successes, compare its time.</param>
/// <param name="LastErrorAt">When that error happened.</param>
public sealed record MailStatus(bool Enabled, int Pending, int Failed, DateTimeOffset? LastSentAt, string? LastError, DateTimeOffset? LastErrorAt);
