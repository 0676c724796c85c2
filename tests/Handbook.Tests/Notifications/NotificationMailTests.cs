using Handbook.Editing;
using Handbook.GitStore;
using Handbook.Notifications;
using Handbook.Notifications.Mail;
using Handbook.Questions;
using Handbook.Tests.Questions;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Notifications;

/// <summary>Notifications by e-mail, through the real app and a real SMTP server on loopback.</summary>
public sealed class NotificationMailTests : IAsyncLifetime
{
    private const string Ma = "ma@demo.handbook.invalid";
    // A page without owner or review date: nothing but what a test does reaches the follower.
    private static readonly PagePath Huurwaarborg = PagePath.Parse("doelgroepen/oekrainers");
    private readonly HandbookFactory _factory = new();
    private SmtpServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SmtpServer.StartAsync();
        _factory.Settings["Handbook:Smtp:Host"] = "127.0.0.1";
        _factory.Settings["Handbook:Smtp:Port"] = _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _factory.Settings["Handbook:Smtp:Security"] = "None";
        _factory.Settings["Handbook:Smtp:From"] = "Handboek <handboek@stad.example>";
        _factory.Settings["Handbook:PublicUrl"] = "https://handboek.stad.example";
        // A worker the app has seen signed in, following the page.
        var notifications = _factory.Services.GetRequiredService<NotificationStore>();
        notifications.SeeWorker(new Worker(Ma, "Demo Maatschappelijk Assistent", "Frontoffice"));
        notifications.Follow(Ma, Huurwaarborg.Value);
    }

    public Task DisposeAsync()
    {
        _factory.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AnotherWorkersSave_OfAFollowedPage_SendsOneMail_WithPageAuthorSummaryAndTheChangedWords()
    {
        _factory.Services.GetRequiredService<NotificationStore>().SetDelivery(Ma, NotificationKind.Edit, Delivery.Immediately);
        var (before, saved) = await SaveAsync("jurist", "Tijdelijke bescherming.", "Tijdelijke bescherming of opvang.", "Opvang toegevoegd");

        var mail = Assert.Single(await _server.WaitForMailAsync(1, TimeSpan.FromSeconds(20)));
        Assert.Equal(Ma, Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("[Handboek Sociaal Huis] Oekraïners: gewijzigd door Demo Jurist Backoffice", mail.Subject);
        var text = mail.TextBody!;
        Assert.Contains("Demo Jurist Backoffice wijzigde Oekraïners", text, StringComparison.Ordinal);
        Assert.Contains("„Opvang toegevoegd”", text, StringComparison.Ordinal);
        Assert.Contains("Tijdelijke bescherming {+of opvang+}. Terug naar Leefloon aanvragen.", text, StringComparison.Ordinal);
        // Words, not Markdown: the front matter is not in the mail.
        Assert.DoesNotContain("review_by", text, StringComparison.Ordinal);
        Assert.Contains($"https://handboek.stad.example/diff/doelgroepen/oekrainers?from={before}&to={saved}", text, StringComparison.Ordinal);

        // Still one mail once everything is handled (no second copy, none for the author).
        await TestGit.Eventually(() => _factory.Services.GetRequiredService<MailOutbox>().Status.Pending == 0);
        Assert.Single(await _server.WaitForMailAsync(1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task AWorkersOwnSave_SendsHerNothing()
    {
        var notifications = _factory.Services.GetRequiredService<NotificationStore>();
        notifications.SetDelivery(Ma, NotificationKind.Edit, Delivery.Immediately);
        await SaveAsync("ma", "Tijdelijke bescherming.", "Tijdelijke bescherming, zie ook opvang.", "Eigen wijziging");

        var store = _factory.Services.GetRequiredService<PageStore>();
        await TestGit.Eventually(() => notifications.State(NotificationFanout.TipKey) == store.Head);
        Assert.Empty(notifications.List(Ma));
        _factory.Services.GetRequiredService<NotificationDigests>().Run(DateTimeOffset.UtcNow);
        Assert.Empty(await _server.WaitForMailAsync(1, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task TheDailyDigest_GathersTheDaysEdits_InOneMail_OnceADay()
    {
        // Edits come once a day by default.
        var notifications = _factory.Services.GetRequiredService<NotificationStore>();
        Assert.Equal(Delivery.Daily, notifications.DeliveryOf(Ma, NotificationKind.Edit));
        await SaveAsync("jurist", "Tijdelijke bescherming.", "Tijdelijke bescherming of opvang.", "Eerste wijziging");
        await SaveAsync("manager", "of opvang", "of een opvang", "Tweede wijziging");
        var store = _factory.Services.GetRequiredService<PageStore>();
        await TestGit.Eventually(() => notifications.State(NotificationFanout.TipKey) == store.Head);
        Assert.Equal(2, notifications.List(Ma).Count);
        Assert.Empty(await _server.WaitForMailAsync(1, TimeSpan.FromSeconds(1)));

        var digests = _factory.Services.GetRequiredService<NotificationDigests>();
        var now = DateTimeOffset.UtcNow;
        digests.Run(now);
        var mail = Assert.Single(await _server.WaitForMailAsync(1, TimeSpan.FromSeconds(20)));
        Assert.Equal("[Handboek Sociaal Huis] 2 melding(en) van vandaag", mail.Subject);
        Assert.Contains("„Eerste wijziging”", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("„Tweede wijziging”", mail.TextBody, StringComparison.Ordinal);

        // Later the same day: nothing new is sent, also not what came in meanwhile.
        await SaveAsync("jurist", "een opvang", "een andere opvang", "Derde wijziging");
        await TestGit.Eventually(() => notifications.State(NotificationFanout.TipKey) == store.Head);
        digests.Run(now.AddMinutes(10));
        await TestGit.Eventually(() => _factory.Services.GetRequiredService<MailOutbox>().Status.Pending == 0);
        Assert.Single(await _server.WaitForMailAsync(2, TimeSpan.FromSeconds(2)));

        // The next day it is.
        digests.Run(digests.DueSince(now, Delivery.Daily).AddDays(1).AddMinutes(1));
        var mails = await _server.WaitForMailAsync(2, TimeSpan.FromSeconds(20));
        Assert.Equal(2, mails.Count);
        Assert.Contains(mails, m => m.Subject == "[Handboek Sociaal Huis] 1 melding(en) van vandaag" && m.TextBody!.Contains("„Derde wijziging”", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AQuestionOnAFollowedPage_IsMailedAtOnce_AndNeverMeansNoMail()
    {
        var commands = _factory.Services.GetRequiredService<PageCommands>();
        Assert.True((await commands.AddQuestionEntryAsync(QuestionTests.Principal("jurist"), new QuestionCommand(Huurwaarborg, EntryKind.Question, "Wat als de verhuurder weigert?"))).Succeeded);
        var mail = Assert.Single(await _server.WaitForMailAsync(1, TimeSpan.FromSeconds(20)));
        Assert.Equal("[Handboek Sociaal Huis] Oekraïners: vraag van Demo Jurist Backoffice", mail.Subject);
        Assert.Contains("Wat als de verhuurder weigert?", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://handboek.stad.example/wiki/doelgroepen/oekrainers#vraag-", mail.TextBody, StringComparison.Ordinal);

        var notifications = _factory.Services.GetRequiredService<NotificationStore>();
        notifications.SetDelivery(Ma, NotificationKind.Question, Delivery.Never);
        Assert.True((await commands.AddQuestionEntryAsync(QuestionTests.Principal("jurist"), new QuestionCommand(Huurwaarborg, EntryKind.Question, "Nog een vraag"))).Succeeded);
        var store = _factory.Services.GetRequiredService<PageStore>();
        await TestGit.Eventually(() => notifications.State(NotificationFanout.TipKey) == store.Head);
        _factory.Services.GetRequiredService<NotificationDigests>().Run(DateTimeOffset.UtcNow);
        Assert.Equal(2, notifications.List(Ma).Count);
        Assert.Single(await _server.WaitForMailAsync(2, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task AManagerWhoAsksForIt_GetsTheWeeklyOverview_OfChangesPerSectionAndTheOldestOpenQuestions()
    {
        var notifications = _factory.Services.GetRequiredService<NotificationStore>();
        const string manager = "manager@demo.handbook.invalid";
        notifications.SeeWorker(new Worker(manager, "Demo Teamverantwoordelijke", "Management"));
        await SaveAsync("jurist", "Tijdelijke bescherming.", "Tijdelijke bescherming of opvang.", "Opvang toegevoegd");
        Assert.True((await _factory.Services.GetRequiredService<PageCommands>().AddQuestionEntryAsync(QuestionTests.Principal("ma"),
            new QuestionCommand(PagePath.Parse("procedures/leefloon-aanvragen"), EntryKind.Question, "Wie tekent het verslag?"))).Succeeded);
        // Asked for after the change and the question: the app's own digest run may come first, and must find them too.
        notifications.SetDelivery(manager, NotificationKind.Overview, Delivery.Weekly);

        var digests = _factory.Services.GetRequiredService<NotificationDigests>();
        var now = DateTimeOffset.UtcNow;
        digests.Run(now);
        // The follower's daily digest goes out in the same run; the overview is the manager's.
        IReadOnlyList<MimeKit.MimeMessage> mails = [];
        await TestGit.EventuallyAsync(async () => (mails = await _server.WaitForMailAsync(2, TimeSpan.FromSeconds(1))).Any(m => m.To.Mailboxes.Single().Address == manager));
        var overview = Assert.Single(mails, m => m.To.Mailboxes.Single().Address == manager);
        Assert.Equal("[Handboek Sociaal Huis] Overzicht van de week", overview.Subject);
        Assert.Matches(@"- Doelgroepen: \d+ wijziging\(en\) aan 1 pagina\('s\) door \d+ collega", overview.TextBody);
        Assert.Contains("Leefloon aanvragen (", overview.TextBody, StringComparison.Ordinal);
        Assert.Contains("Wie tekent het verslag?", overview.TextBody, StringComparison.Ordinal);

        // Once a week.
        digests.Run(now.AddHours(1));
        await TestGit.Eventually(() => _factory.Services.GetRequiredService<MailOutbox>().Status.Pending == 0);
        Assert.Single(await _server.WaitForMailAsync(mails.Count + 1, TimeSpan.FromSeconds(2)), m => m.To.Mailboxes.Single().Address == manager);
    }

    private async Task<(string Before, string Saved)> SaveAsync(string worker, string from, string to, string summary)
    {
        var store = _factory.Services.GetRequiredService<PageStore>();
        var page = store.Read(Huurwaarborg)!;
        var outcome = await _factory.Services.GetRequiredService<PageCommands>().SaveAsync(QuestionTests.Principal(worker),
            new SaveCommand(Huurwaarborg, page.Text.Replace(from, to, StringComparison.Ordinal), summary, page.Revision, page.Text));
        Assert.True(outcome.Succeeded, outcome.Message);
        return (page.Revision, outcome.Revision!);
    }
}

public sealed class ChangeTextTests
{
    [Fact]
    public void AChangedWord_IsShownInItsSentence_WithoutMarkdown()
    {
        var before = "---\ntitle: T\n---\n# Kop\n\nDe **MA** start de [[procedures/leefloon|aanvraag]].\n\n- een punt\n";
        var after = "---\ntitle: T2\n---\n# Kop\n\nDe **MA** start de [[procedures/leefloon|aanvraag]] meteen.\n\n- een punt\n- nieuw punt\n";
        Assert.Equal(["De MA start de aanvraag {+meteen+}.", "{+nieuw punt+}"], ChangeText.Describe(before, after));
    }

    [Fact]
    public void OnlyFrontMatterChanged_ShowsNoWords() =>
        Assert.Empty(ChangeText.Describe("---\nreview_by: 2026-01-01\n---\nTekst.\n", "---\nreview_by: 2027-01-01\n---\nTekst.\n"));

    [Fact]
    public void ARemovedWord_IsMarkedRemoved() =>
        Assert.Equal(["Bel [-altijd-] eerst."], ChangeText.Describe("Bel altijd eerst.\n", "Bel eerst.\n"));
}
