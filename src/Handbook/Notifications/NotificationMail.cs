using System.Globalization;
using System.Text;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Notifications.Mail;
using Handbook.Pages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Handbook.Notifications;

/// <summary>
/// Turns notifications into e-mails: one at a time (immediately) or several in a digest. A mail names the page,
/// who and what, shows an edit as the words that changed, and links back. Mails are written in Dutch, the
/// handbook's language.
/// </summary>
public sealed class NotificationMail(PageStore store, HandbookCatalog catalog, MailOutbox outbox, IStringLocalizer<SharedResource> localizer,
    IOptions<HandbookOptions> options)
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-BE");

    public bool Enabled => outbox.Enabled;

    /// <summary>Queues one mail for one notification; false when mail is off.</summary>
    public bool SendNow(Worker recipient, Notification notification) => SendNow([recipient], notification) == 1;

    /// <summary>Queues the same notification's mail to several workers: written once, queued in one go. Returns how many.</summary>
    public int SendNow(IReadOnlyList<Worker> recipients, Notification notification)
    {
        if (!outbox.Enabled || recipients.Count == 0)
        {
            return 0;
        }

        var (subject, body) = InDutch(() =>
        {
            var text = new StringBuilder();
            Describe(text, notification, withChange: true);
            text.Append('\n').Append(localizer["MailFooter", Absolute("/meldingen/instellingen")]).Append('\n');
            return (Subject(notification), text.ToString());
        });
        return outbox.EnqueueAll(recipients.Select(r => new OutgoingMail(r.Email, r.Name, subject, body)).ToList());
    }

    /// <summary>Queues a digest of several notifications ("daily" or "weekly"); false when mail is off or there is nothing.</summary>
    public bool SendDigest(Worker recipient, Delivery period, IReadOnlyList<Notification> notifications)
    {
        if (!outbox.Enabled || notifications.Count == 0)
        {
            return false;
        }

        return outbox.Enqueue(InDutch(() =>
        {
            var text = new StringBuilder();
            text.Append(localizer[period == Delivery.Weekly ? "MailWeeklyIntro" : "MailDailyIntro", notifications.Count]).Append("\n\n");
            foreach (var notification in notifications)
            {
                Describe(text, notification, withChange: notifications.Count <= 10);
                text.Append('\n');
            }

            text.Append(localizer["MailFooter", Absolute("/meldingen/instellingen")]).Append('\n');
            var subject = localizer[period == Delivery.Weekly ? "MailWeeklySubject" : "MailDailySubject", notifications.Count];
            return new OutgoingMail(recipient.Email, recipient.Name, $"[{localizer["AppName"]}] {subject}", text.ToString());
        }));
    }

    /// <summary>The managers' weekly overview: changes per section and the questions open longest.</summary>
    public bool SendOverview(Worker recipient, IReadOnlyList<SectionActivity> sections, IReadOnlyList<Questions.QuestionThread> open)
    {
        if (!outbox.Enabled)
        {
            return false;
        }

        return outbox.Enqueue(InDutch(() =>
        {
            var snapshot = catalog.Current;
            var text = new StringBuilder(localizer["MailOverviewIntro"]).Append("\n\n");
            foreach (var section in sections)
            {
                text.Append("- ").Append(section.Section.Length == 0 ? localizer["RootSection"] : snapshot.TitleOf(section.Section))
                    .Append(": ").Append(localizer["MailOverviewSection", section.Changes, section.Pages, section.People]).Append('\n');
            }

            if (sections.Count == 0)
            {
                text.Append(localizer["MailOverviewNoChanges"]).Append('\n');
            }

            text.Append('\n').Append(localizer["MailOverviewQuestions"]).Append('\n');
            foreach (var thread in open.Take(10))
            {
                text.Append("- ").Append(snapshot.TitleOf(thread.Question.Page)).Append(" (")
                    .Append(thread.Question.At.ToString("d MMMM yyyy", Dutch)).Append("): ").Append(Short(thread.Question.Text)).Append('\n')
                    .Append("  ").Append(Absolute(CatalogSnapshot.Href(thread.Question.Page) + "#vraag-" + thread.Question.Id)).Append('\n');
            }

            if (open.Count == 0)
            {
                text.Append(localizer["MailOverviewNoQuestions"]).Append('\n');
            }

            text.Append('\n').Append(localizer["MailFooter", Absolute("/meldingen/instellingen")]).Append('\n');
            return new OutgoingMail(recipient.Email, recipient.Name, $"[{localizer["AppName"]}] {localizer["MailOverviewSubject"]}", text.ToString());
        }));
    }

    private string Subject(Notification n) =>
        $"[{localizer["AppName"]}] {Title(n.Page)}: {localizer["MailSubject." + n.Kind, n.Actor]}";

    private void Describe(StringBuilder text, Notification n, bool withChange)
    {
        text.Append(localizer["Notification." + n.Kind, n.Actor, Title(n.Page)]).Append('\n');
        if (n.Summary.Length > 0)
        {
            text.Append("„").Append(n.Summary).Append("”\n");
        }

        if (withChange && n.Kind == NotificationKind.Edit && n.Revision is { } revision && PagePath.TryParse(n.Page, out var path, out _))
        {
            var before = n.BaseRevision is { } from ? store.Read(path, from) : null;
            var after = store.Read(path, revision);
            var lines = ChangeText.Describe(before is { TooLarge: false } b ? b.Text : null, after is { TooLarge: false } a ? a.Text : null,
                target => catalog.Latest.TitleOf(target));
            if (lines.Count > 0)
            {
                text.Append('\n').Append(localizer["MailWhatChanged"]).Append('\n');
                foreach (var line in lines)
                {
                    text.Append("  ").Append(line).Append('\n');
                }
            }
        }

        text.Append(Absolute(Link(n))).Append('\n');
    }

    /// <summary>Where a notification leads: the comparison for an edit, the question on the page for the others.</summary>
    public static string Link(Notification n)
    {
        if (!PagePath.TryParse(n.Page, out var path, out _))
        {
            return "/";
        }

        return n switch
        {
            { Kind: NotificationKind.Edit, Revision: { } to, BaseRevision: { } from } => PageLinks.Diff(path, from, to),
            { QuestionId: { } question } => CatalogSnapshot.Href(path) + "#vraag-" + question,
            _ => CatalogSnapshot.Href(path),
        };
    }

    // Titles as the catalog last knew them (see HandbookCatalog.Latest); a page new in this very save is named by its path.
    private string Title(string page) => PagePath.TryParse(page, out var path, out _) ? catalog.Latest.TitleOf(path) : page;

    private string Absolute(string relative) =>
        new Uri(options.Value.PublicBaseUri ?? new Uri("http://localhost:5000/"), relative.TrimStart('/')).AbsoluteUri;

    private static string Short(string text) => text.Length <= 140 ? text.ReplaceLineEndings(" ") : text[..140].ReplaceLineEndings(" ") + "…";

    private static T InDutch<T>(Func<T> compose)
    {
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Dutch;
        try
        {
            return compose();
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }
}
