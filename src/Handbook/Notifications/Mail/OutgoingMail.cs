namespace Handbook.Notifications.Mail;

/// <summary>An e-mail to one worker: plain text always, HTML optional (already sanitised/escaped by the caller).</summary>
/// <param name="To">The worker's address.</param>
/// <param name="ToName">The worker's name as the mail client shows it; null for the address alone.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="TextBody">The plain text, which every mail has.</param>
/// <param name="HtmlBody">An HTML alternative of the same text; null for plain text only.</param>
public sealed record OutgoingMail(string To, string? ToName, string Subject, string TextBody, string? HtmlBody = null);
