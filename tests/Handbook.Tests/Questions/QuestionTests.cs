using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Handbook.Editing;
using Handbook.GitStore;
using Handbook.Identity;
using Handbook.Notifications;
using Handbook.Questions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Questions;

/// <summary>Questions on pages through the real app: forms, the store's commits, the git CLI, notifications, sync.</summary>
public sealed partial class QuestionTests : IDisposable
{
    private static readonly PagePath Leefloon = PagePath.Parse("procedures/leefloon-aanvragen");
    private readonly HandbookFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    internal static ClaimsPrincipal Principal(string id)
    {
        var w = DemoWorkers.Find(id)!;
        List<Claim> claims = [new("name", w.Name), new("email", w.Email), new(CurrentUser.TeamClaim, w.Team)];
        if (w.IsAdministrator)
        {
            claims.Add(new Claim(ClaimTypes.Role, CurrentUser.AdministratorRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test", "name", ClaimTypes.Role));
    }

    [Fact]
    public async Task AQuestionAskedOnThePage_IsACommitByTheAsker_AndReachesTheOwningTeam_ThenTheAnswerReachesTheAsker()
    {
        // The jurist has signed in once: the app knows her team (Backoffice juristen owns the page).
        using var jurist = await _factory.SignedInClientAsync("jurist");
        Assert.Equal(HttpStatusCode.OK, (await jurist.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        using var ma = await _factory.SignedInClientAsync("ma");

        // The worker asks through the page's own form, quoting a passage.
        var page = await ma.GetStringAsync(new Uri("/wiki/procedures/leefloon-aanvragen", UriKind.Relative));
        Assert.Contains(">Vraag of opmerking over deze pagina<", page, StringComparison.Ordinal);
        var response = await PostFormAsync(ma, "/wiki/procedures/leefloon-aanvragen", page, "question-ask", new()
        {
            ["Ask.Text"] = "Geldt dit ook voor een student?",
            ["Ask.Quote"] = "De MA start de aanvraag.",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var board = _factory.Services.GetRequiredService<QuestionBoard>();
        var thread = Assert.Single(board.Current.For(Leefloon));
        Assert.Equal("Geldt dit ook voor een student?", thread.Question.Text);
        Assert.Equal("De MA start de aanvraag.", thread.Question.Quote);
        Assert.True(thread.IsOpen);

        // The git CLI sees an ordinary commit by the asker, touching only her question's file.
        var repository = Path.Combine(_factory.DataPath, "handbook.git");
        var log = TestGit.Run(repository, $"log --format=%an%x09%ae --name-only -1 main");
        Assert.Contains("Demo Maatschappelijk Assistent\tma@demo.handbook.invalid", log, StringComparison.Ordinal);
        Assert.Contains($".handbook/questions/procedures/leefloon-aanvragen/{thread.Question.Id}.md", log, StringComparison.Ordinal);
        Assert.Single(log.Trim().Split('\n'), l => l.StartsWith(".handbook/", StringComparison.Ordinal));

        // The page shows it: the count near the title and the thread with its quote.
        page = await ma.GetStringAsync(new Uri("/wiki/procedures/leefloon-aanvragen", UriKind.Relative));
        Assert.Contains("1 open vraag over deze pagina", page, StringComparison.Ordinal);
        Assert.Contains($"id=\"vraag-{thread.Question.Id}\"", page, StringComparison.Ordinal);

        // The owning team hears of it; the asker does not hear of her own question.
        var notifications = _factory.Services.GetRequiredService<NotificationStore>();
        await TestGit.Eventually(() => notifications.List("jurist@demo.handbook.invalid").Any(n => n.Kind == NotificationKind.Question));
        Assert.DoesNotContain(notifications.List("ma@demo.handbook.invalid"), n => n.Kind == NotificationKind.Question);
        var bell = await jurist.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("Meldingen: 1 ongelezen", bell, StringComparison.Ordinal);
        Assert.Contains("Geldt dit ook voor een student?", await jurist.GetStringAsync(new Uri("/vragen", UriKind.Relative)), StringComparison.Ordinal);

        // The jurist improves the page, answers and marks the question answered with that change.
        var commands = _factory.Services.GetRequiredService<PageCommands>();
        var store = _factory.Services.GetRequiredService<PageStore>();
        var text = store.Read(Leefloon)!;
        var saved = await commands.SaveAsync(Principal("jurist"), new SaveCommand(Leefloon, text.Text.Replace("De MA start de aanvraag.", "De MA start de aanvraag, ook voor studenten.", StringComparison.Ordinal),
            "Studenten vermeld", text.Revision, text.Text));
        Assert.True(saved.Succeeded);
        Assert.True((await commands.AddQuestionEntryAsync(Principal("jurist"), new QuestionCommand(Leefloon, EntryKind.Answer, "Ja, zie de aangepaste tekst.", thread.Question.Id))).Succeeded);
        Assert.True((await commands.AddQuestionEntryAsync(Principal("jurist"), new QuestionCommand(Leefloon, EntryKind.Resolved, null, thread.Question.Id, Change: saved.Revision))).Succeeded);

        thread = Assert.Single(board.Current.For(Leefloon));
        Assert.False(thread.IsOpen);
        Assert.Equal(saved.Revision, thread.Resolution!.Change);
        await TestGit.Eventually(() => notifications.List("ma@demo.handbook.invalid").Any(n => n.Kind == NotificationKind.Resolved));
        Assert.Contains(notifications.List("ma@demo.handbook.invalid"), n => n.Kind == NotificationKind.Answer && n.Actor == "Demo Jurist Backoffice");
        Assert.DoesNotContain(notifications.List("jurist@demo.handbook.invalid"), n => n.Kind is NotificationKind.Answer or NotificationKind.Resolved or NotificationKind.Edit);

        // The asker sees the answer and the link to the change that solved it.
        page = await ma.GetStringAsync(new Uri("/wiki/procedures/leefloon-aanvragen", UriKind.Relative));
        Assert.Contains("Ja, zie de aangepaste tekst.", page, StringComparison.Ordinal);
        Assert.Contains($"opgelost in wijziging {saved.Revision![..7]}", page, StringComparison.Ordinal);
        Assert.Contains($"to={saved.Revision}", page, StringComparison.Ordinal);
        Assert.DoesNotContain("open vraag over deze pagina", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheAsker_TheOwningTeam_OrAnAdministrator_MayMarkAQuestionAnswered()
    {
        var commands = _factory.Services.GetRequiredService<PageCommands>();
        var huurwaarborg = PagePath.Parse("procedures/huurwaarborg");
        Assert.True((await commands.AddQuestionEntryAsync(Principal("manager"), new QuestionCommand(huurwaarborg, EntryKind.Question, "Wie betaalt de waarborg terug?"))).Succeeded);
        var id = Assert.Single(_factory.Services.GetRequiredService<QuestionBoard>().Current.For(huurwaarborg)).Question.Id;

        // The page's owner is a person, not the jurist's team: the jurist may answer, not resolve.
        var refused = await commands.AddQuestionEntryAsync(Principal("jurist"), new QuestionCommand(huurwaarborg, EntryKind.Resolved, null, id));
        Assert.False(refused.Succeeded);
        Assert.Contains("Alleen wie de vraag stelde", refused.Message, StringComparison.Ordinal);
        Assert.True((await commands.AddQuestionEntryAsync(Principal("jurist"), new QuestionCommand(huurwaarborg, EntryKind.Answer, "Het OCMW, na de huur."))).Succeeded == false);
        Assert.True((await commands.AddQuestionEntryAsync(Principal("jurist"), new QuestionCommand(huurwaarborg, EntryKind.Answer, "Het OCMW, na de huur.", id))).Succeeded);
        Assert.True((await commands.AddQuestionEntryAsync(Principal("manager"), new QuestionCommand(huurwaarborg, EntryKind.Resolved, null, id))).Succeeded);
        Assert.False(Assert.Single(_factory.Services.GetRequiredService<QuestionBoard>().Current.For(huurwaarborg)).IsOpen);

        // Asking on a protected page is allowed; its text stays as it is.
        var beleid = PagePath.Parse("werking/beleid");
        var before = _factory.Services.GetRequiredService<PageStore>().Read(beleid)!.BlobId;
        Assert.True((await commands.AddQuestionEntryAsync(Principal("ma"), new QuestionCommand(beleid, EntryKind.Question, "Sinds wanneer geldt dit?"))).Succeeded);
        Assert.Equal(before, _factory.Services.GetRequiredService<PageStore>().Read(beleid)!.BlobId);
    }

    [Fact]
    public async Task ThePrivacyGuard_StopsAValidNationalRegisterNumberInAQuestion_AndLetsAnInvalidOnePass()
    {
        var commands = _factory.Services.GetRequiredService<PageCommands>();
        var store = _factory.Services.GetRequiredService<PageStore>();
        var head = store.Head;

        var blocked = await commands.AddQuestionEntryAsync(Principal("ma"), new QuestionCommand(Leefloon, EntryKind.Question, "Dossier van 85.07.30-123.35: mag dat?"));
        Assert.False(blocked.Succeeded);
        Assert.Equal(PrivacyKind.NationalRegisterNumber, Assert.Single(blocked.PrivacyFindings).Kind);
        Assert.Equal(head, store.Head);

        // In the quote too.
        Assert.False((await commands.AddQuestionEntryAsync(Principal("ma"), new QuestionCommand(Leefloon, EntryKind.Question, "Klopt dit?", Quote: "85073012335"))).Succeeded);

        // A number whose checksum is wrong is no national register number.
        Assert.True((await commands.AddQuestionEntryAsync(Principal("ma"), new QuestionCommand(Leefloon, EntryKind.Question, "Wat met nummer 85.07.30-123.36?"))).Succeeded);

        // Confirmed with a reason, as for pages: saved, and the reason is in the commit.
        Assert.True((await commands.AddQuestionEntryAsync(Principal("ma"), new QuestionCommand(Leefloon, EntryKind.Question, "Voorbeeld 85.07.30-123.35 uit de omzendbrief?",
            PrivacyReason: "voorbeeldnummer uit de omzendbrief"))).Succeeded);
        Assert.Contains("Privacy-Confirmed: voorbeeldnummer uit de omzendbrief", TestGit.Run(Path.Combine(_factory.DataPath, "handbook.git"), "log -1 --format=%B main"), StringComparison.Ordinal);

        // Through the page's form: the worker's text stays in the form, with what was found.
        using var ma = await _factory.SignedInClientAsync("ma");
        var page = await ma.GetStringAsync(new Uri("/wiki/procedures/leefloon-aanvragen", UriKind.Relative));
        var response = await PostFormAsync(ma, "/wiki/procedures/leefloon-aanvragen", page, "question-ask", new() { ["Ask.Text"] = "Dossier 00.01.01-001.05 vraagt dit" });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Niet bewaard", html, StringComparison.Ordinal);
        Assert.Contains("Dossier 00.01.01-001.05 vraagt dit</textarea>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQuestionsText_IsRenderedThroughTheSanitisedPagePipeline()
    {
        var commands = _factory.Services.GetRequiredService<PageCommands>();
        Assert.True((await commands.AddQuestionEntryAsync(Principal("ma"), new QuestionCommand(Leefloon, EntryKind.Question,
            "Zie **dit**: <script>alert('vraag')</script><img src=x onerror=alert(1)> en [[procedures/huurwaarborg]]",
            Quote: "<b onclick=alert(2)>citaat</b>"))).Succeeded);
        using var ma = await _factory.SignedInClientAsync("ma");
        var html = await ma.GetStringAsync(new Uri("/wiki/procedures/leefloon-aanvragen", UriKind.Relative));
        var section = html[html.IndexOf("id=\"vragen\"", StringComparison.Ordinal)..];
        Assert.Contains("<strong>dit</strong>", section, StringComparison.Ordinal);
        Assert.Contains("href=\"/wiki/procedures/huurwaarborg\"", section, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert('vraag')", section, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", section, StringComparison.Ordinal);
        // The quote is text, shown as written.
        Assert.Contains("&lt;b onclick=alert(2)&gt;citaat&lt;/b&gt;", section, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARenamedPage_KeepsItsQuestions_AndTheMoveIsNoNewQuestion()
    {
        var notifications = _factory.Services.GetRequiredService<NotificationStore>();
        var store = _factory.Services.GetRequiredService<PageStore>();
        notifications.Follow("jurist@demo.handbook.invalid", "procedures/");
        var commands = _factory.Services.GetRequiredService<PageCommands>();
        Assert.True((await commands.AddQuestionEntryAsync(Principal("ma"), new QuestionCommand(Leefloon, EntryKind.Question, "Waar vind ik het formulier?"))).Succeeded);
        await TestGit.Eventually(() => notifications.List("jurist@demo.handbook.invalid").Any(n => n.Kind == NotificationKind.Question));
        Assert.True((await commands.RenameAsync(Principal("manager"), Leefloon, "procedures/leefloon", "Kortere naam", updateLinks: false)).Succeeded);
        await TestGit.Eventually(() => notifications.State(NotificationFanout.TipKey) == store.Head);
        Assert.Single(notifications.List("jurist@demo.handbook.invalid"), n => n.Kind == NotificationKind.Question);

        var board = _factory.Services.GetRequiredService<QuestionBoard>();
        Assert.Empty(board.Current.For(Leefloon));
        Assert.Equal("Waar vind ik het formulier?", Assert.Single(board.Current.For(PagePath.Parse("procedures/leefloon"))).Question.Text);
    }

    [Fact]
    public async Task FollowingAPage_BringsItsEditsToTheBell_WithTheComparison_AndUnfollowingStopsThem()
    {
        using var ma = await _factory.SignedInClientAsync("ma");
        var page = await ma.GetStringAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative));
        Assert.Contains("<span class=\"follow-label\">Volgen</span>", page, StringComparison.Ordinal);
        var followed = await PostAsync(ma, "/volgen", page, new() { ["target"] = "procedures/huurwaarborg", ["action"] = "follow", ["returnUrl"] = "/wiki/procedures/huurwaarborg" });
        Assert.Equal(HttpStatusCode.Redirect, followed.StatusCode);
        Assert.Contains("<span class=\"follow-label\">Niet meer volgen</span>", await ma.GetStringAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative)), StringComparison.Ordinal);

        var store = _factory.Services.GetRequiredService<PageStore>();
        var commands = _factory.Services.GetRequiredService<PageCommands>();
        var path = PagePath.Parse("procedures/huurwaarborg");
        var before = store.Read(path)!;
        var saved = await commands.SaveAsync(Principal("jurist"), new SaveCommand(path, before.Text.Replace("via het OCMW", "via het OCMW of de bank", StringComparison.Ordinal),
            "Bank toegevoegd", before.Revision, before.Text));
        var notifications = _factory.Services.GetRequiredService<NotificationStore>();
        await TestGit.Eventually(() => notifications.List("ma@demo.handbook.invalid").Any(n => n.Kind == NotificationKind.Edit));
        var edit = notifications.List("ma@demo.handbook.invalid").Single(n => n.Kind == NotificationKind.Edit);
        Assert.Equal(("Bank toegevoegd", saved.Revision, before.Revision), (edit.Summary, edit.Revision, edit.BaseRevision));

        // The list names who and what; opening it marks it read and leads to the comparison.
        var list = await ma.GetStringAsync(new Uri("/meldingen", UriKind.Relative));
        Assert.Contains("Demo Jurist Backoffice wijzigde Huurwaarborg", list, StringComparison.Ordinal);
        var open = await ma.GetAsync(new Uri($"/meldingen/{edit.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal($"/diff/procedures/huurwaarborg?from={before.Revision}&to={saved.Revision}", open.Headers.Location!.OriginalString);
        Assert.Equal(0, notifications.UnreadCount("ma@demo.handbook.invalid"));
        // Nobody opens another worker's notification.
        using var other = await _factory.SignedInClientAsync("manager");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(new Uri($"/meldingen/{edit.Id}", UriKind.Relative))).StatusCode);

        // Unfollowed: the next edit does not reach her.
        page = await ma.GetStringAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative));
        await PostAsync(ma, "/volgen", page, new() { ["target"] = "procedures/huurwaarborg", ["action"] = "unfollow", ["returnUrl"] = "/" });
        var current = store.Read(path)!;
        await commands.SaveAsync(Principal("jurist"), new SaveCommand(path, current.Text + "\nNog een regel.\n", "Nog een regel", current.Revision, current.Text));
        await TestGit.Eventually(() => notifications.State(NotificationFanout.TipKey) == store.Head);
        Assert.Single(notifications.List("ma@demo.handbook.invalid"), n => n.Kind == NotificationKind.Edit);
    }

    [Fact]
    public void APageDueForReview_IsNotifiedOnceToItsFollowers()
    {
        var notifications = _factory.Services.GetRequiredService<NotificationStore>();
        notifications.Follow("ma@demo.handbook.invalid", "procedures/huurwaarborg");
        var digests = _factory.Services.GetRequiredService<NotificationDigests>();
        digests.Run(DateTimeOffset.UtcNow);
        digests.Run(DateTimeOffset.UtcNow.AddHours(1));
        var due = Assert.Single(notifications.List("ma@demo.handbook.invalid"), n => n.Kind == NotificationKind.ReviewDue);
        Assert.Equal(("procedures/huurwaarborg", "2020-05-01"), (due.Page, due.Summary));
    }

    [Fact]
    public async Task NotificationRoutes_AskForSignIn_AndForms_NeedTheirToken()
    {
        using var anonymous = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var route in new[] { "/meldingen", "/meldingen/instellingen", "/vragen", "/meldingen/1" })
        {
            var response = await anonymous.GetAsync(new Uri(route, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using var ma = await _factory.SignedInClientAsync("ma");
        using var noToken = new FormUrlEncodedContent(new Dictionary<string, string> { ["target"] = "procedures/huurwaarborg", ["action"] = "follow" });
        Assert.Equal(HttpStatusCode.BadRequest, (await ma.PostAsync(new Uri("/volgen", UriKind.Relative), noToken)).StatusCode);
        Assert.Empty(_factory.Services.GetRequiredService<NotificationStore>().Following("ma@demo.handbook.invalid"));
    }

    [Fact]
    public async Task AQuestionAskedOnOneInstance_AppearsOnTheOther_ThroughTheUpstream()
    {
        // A's repository is the upstream's first state; B starts from the upstream.
        var upstream = Path.Combine(_factory.Root, "upstream.git");
        PageStore.Open(new PageStoreOptions { RepositoryPath = Path.Combine(_factory.DataPath, "handbook.git"), SeedPath = _factory.SeedPath }).Dispose();
        TestGit.Run(_factory.Root, $"clone -q --bare \"{Path.Combine(_factory.DataPath, "handbook.git")}\" upstream.git");
        using var a = _factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Handbook:Upstream:Url", "file://" + upstream);
            b.UseSetting("Handbook:Upstream:IntervalSeconds", "1");
        });
        using var bFactory = new HandbookFactory();
        bFactory.Settings["Handbook:Upstream:Url"] = "file://" + upstream;
        bFactory.Settings["Handbook:Upstream:IntervalSeconds"] = "1";
        var b = bFactory.Services.GetRequiredService<QuestionBoard>();

        var outcome = await a.Services.GetRequiredService<PageCommands>().AddQuestionEntryAsync(Principal("ma"),
            new QuestionCommand(Leefloon, EntryKind.Question, "Vraag van instantie A"));
        Assert.True(outcome.Succeeded);
        await TestGit.Eventually(() => b.Current.For(Leefloon).Any(t => t.Question.Text == "Vraag van instantie A"), 60);
        Assert.Equal("ma@demo.handbook.invalid", b.Current.For(Leefloon).Single().Question.AuthorEmail);
    }

    [Fact]
    public void AnEntryFile_ReadsBackAsWritten_AndAFileThatIsNoEntryIsLeftOut()
    {
        var entry = new QuestionEntry(PageStore.NewEntryId(DateTimeOffset.UnixEpoch), Leefloon, EntryKind.Resolved, PageStore.NewEntryId(DateTimeOffset.UnixEpoch),
            "Naam: met dubbele punt", "a@b.example", new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), "Tekst\nop twee regels", "citaat\nmet regel", new string('a', 40));
        var read = QuestionEntry.Parse(Leefloon, entry.Id, entry.Format())!;
        // One line per field: the quote's line break became a space; the text keeps its lines.
        Assert.Equal(entry with { Quote = "citaat met regel" }, read);
        Assert.Null(QuestionEntry.Parse(Leefloon, entry.Id, "geen voorwerk\n"));
        Assert.Null(QuestionEntry.Parse(Leefloon, entry.Id, "---\nkind: later-soort\nat: 2026-12-02T10:00:00Z\n---\nx\n"));
        Assert.Null(QuestionEntry.Parse(Leefloon, entry.Id, "---\nkind: answer\nat: 2026-12-02T10:00:00Z\n---\nzonder vraag\n"));
    }

    /// <summary>Posts a Blazor form of <paramref name="page"/> (found by its handler name) with its antiforgery token.</summary>
    internal static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string page, string handler, Dictionary<string, string> fields)
    {
        var form = Regex.Match(page, $"<form[^>]*>(?:(?!</form>).)*name=\"_handler\" value=\"{Regex.Escape(handler)}\"(?:(?!</form>).)*</form>", RegexOptions.Singleline).Value;
        Assert.False(string.IsNullOrEmpty(form), $"no form '{handler}' on the page");
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = Token(form);
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(url, UriKind.Relative), content);
    }

    /// <summary>Posts to an endpoint with the antiforgery token of any form on <paramref name="page"/>.</summary>
    internal static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = Token(page);
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(url, UriKind.Relative), content);
    }

    private static string Token(string html) => WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
