using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Identity;
using Handbook.Notifications;
using Handbook.Notifications.Mail;
using Handbook.Questions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Handbook.Bench;

/// <summary>
/// What questions and notifications cost, with the app's own services on a generated handbook of 10,000 pages:
/// the work a page view adds (the bell's count, the page's open questions, whether the worker follows it) and the
/// fan-out of one save to 200 followers (in the background, after the save). Writes its section of docs/benchmarks.md.
/// </summary>
public static class NotificationsBench
{
    private const string Start = "<!-- notifications-bench -->";
    private const string End = "<!-- /notifications-bench -->";

    public static async Task<int> RunAsync(string output, int pages, int runs)
    {
        return await BenchApp.InTempFolderAsync("notifications-bench", async data =>
        {
            var repository = Path.Combine(data, "handbook.git");
            Console.WriteLine($"Generating {pages:N0} pages");
            Corpus.Generate(repository, pages, pages);
            using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = repository, IndexPath = Path.Combine(data, "history.idx") });
            var options = Options.Create(new HandbookOptions { DataPath = data });
            var catalog = new HandbookCatalog(store, options);
            _ = catalog.Current;
            var board = new QuestionBoard(store, NullLogger<QuestionBoard>.Instance);
            var notifications = new NotificationStore(options);
            var center = new NotificationCenter(notifications, catalog);

            // 2,000 questions (a third answered) on 500 pages; the reader has 300 notifications and follows 20 pages.
            Console.WriteLine("Writing 2,000 questions");
            var random = new Random(11);
            var asker = new Author("Bench Vraagsteller", "vraag@demo.handbook.invalid");
            for (var i = 0; i < 2000; i++)
            {
                var page = PagePath.Parse(Corpus.PagePath(random.Next(500)));
                var at = DateTimeOffset.UtcNow.AddMinutes(-i);
                var id = PageStore.NewEntryId(at);
                var entry = new QuestionEntry(id, page, EntryKind.Question, null, asker.Name, asker.Email, at, $"Vraag {i} over deze pagina?");
                await store.AddQuestionEntryAsync(page, id, entry.Format(), asker, "Vraag");
                if (i % 3 == 0)
                {
                    var answer = new QuestionEntry(PageStore.NewEntryId(at), page, EntryKind.Resolved, id, asker.Name, asker.Email, at, "");
                    await store.AddQuestionEntryAsync(page, answer.Id, answer.Format(), asker, "Beantwoord");
                }
            }

            var reader = new ClaimsPrincipal(new ClaimsIdentity([new("name", "Bench Lezer"), new("email", "lezer@demo.handbook.invalid"),
                new(CurrentUser.TeamClaim, "Frontoffice")], "bench"));
            var readerEmail = CurrentUser.Email(reader);
            for (var i = 0; i < 300; i++)
            {
                notifications.Add([readerEmail], NotificationKind.Edit, Corpus.PagePath(i), "Iemand", "wijziging", null, null, null, DateTimeOffset.UtcNow);
            }

            for (var i = 0; i < 20; i++)
            {
                notifications.Follow(readerEmail, Corpus.PagePath(i * 7));
            }

            _ = board.Current;
            var sample = Enumerable.Range(0, runs).Select(_ => PagePath.Parse(Corpus.PagePath(random.Next(pages)))).ToList();
            var bell = Measure(sample, _ => center.Unread(reader));
            var open = Measure(sample, p => board.Current.OpenCount(p));
            var follow = Measure(sample, p => center.Following(reader, p));
            var all = Measure(sample, p => (center.Unread(reader), board.Current.OpenCount(p), center.Following(reader, p)));

            // Fan-out: 200 workers follow one page; another worker saves it 30 times. Once with mail off, once with
            // every follower wanting each change by e-mail at once (composed and put in the outbox; sending is the
            // outbox's own background work).
            var target = PagePath.Parse(Corpus.PagePath(3));
            var followers = Enumerable.Range(0, 200).Select(i => $"volger{i:D3}@demo.handbook.invalid").ToList();
            foreach (var follower in followers)
            {
                notifications.SeeWorker(new Worker(follower, "Volger " + follower[6..9], "Frontoffice"));
                notifications.Follow(follower, target.Value);
            }

            var localizer = new StringLocalizer<SharedResource>(new ResourceManagerStringLocalizerFactory(
                Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance));
            var fanoutOff = await FanOutAsync(store, board, catalog, notifications, options, localizer, target, smtpHost: null, followers, runs: 30);
            var fanoutMail = await FanOutAsync(store, board, catalog, notifications, options, localizer, target, smtpHost: "127.0.0.1", followers, runs: 30);

            var section = new StringBuilder();
            section.AppendLine(Start);
            section.AppendLine("## Questions and notifications").AppendLine();
            section.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench -- notifications --pages {pages} --runs {runs}`. Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, load average before: {BenchApp.LoadAverage()}.");
            section.AppendLine(CultureInfo.InvariantCulture, $"A generated handbook of {pages:N0} pages with 2,000 questions on 500 of them (a third answered); the reader has 300 notifications and follows 20 pages. The app's own services, in process; milliseconds.").AppendLine();
            section.AppendLine("| what a page view adds | p50 | p95 | n | target |").AppendLine("|---|---|---|---|---|");
            Row(section, "the bell's unread count (and recording the worker)", bell, "");
            Row(section, "the page's open questions (count near the title)", open, "");
            Row(section, "whether the worker follows the page (the Volgen button)", follow, "");
            Row(section, "all three together", all, "≤ 1 ms p95");
            section.AppendLine();
            section.AppendLine("| fan-out of one save to 200 followers (background, after the save) | p50 | p95 | n | target |").AppendLine("|---|---|---|---|---|");
            Row(section, "200 notifications, no mail server", fanoutOff, "≤ 50 ms p95");
            Row(section, "200 notifications and 200 mails composed with the changed words and queued", fanoutMail, "≤ 50 ms p95");
            section.AppendLine();
            section.AppendLine("The fan-out runs in NotificationFanout, a background service woken by the commit: a save returns before it starts.");
            section.AppendLine(End);
            Console.WriteLine(section.ToString());
            await BenchApp.WriteSectionAsync(Path.GetFullPath(output), Start, End, section.ToString());
            return 0;
        });
    }

    private static async Task<Stat> FanOutAsync(PageStore store, QuestionBoard board, HandbookCatalog catalog, NotificationStore notifications,
        IOptions<HandbookOptions> options, IStringLocalizer<SharedResource> localizer, PagePath target, string? smtpHost, List<string> followers, int runs)
    {
        using var outbox = new MailOutbox(Options.Create(new SmtpOptions { Host = smtpHost, From = "handboek@demo.handbook.invalid" }), options, NullLogger<MailOutbox>.Instance);
        var mail = new NotificationMail(store, catalog, outbox, localizer, options);
        var fanout = new NotificationFanout(store, board, catalog, notifications, mail, NullLogger<NotificationFanout>.Instance);
        foreach (var follower in followers)
        {
            notifications.SetDelivery(follower, NotificationKind.Edit, smtpHost is null ? Delivery.Daily : Delivery.Immediately);
        }

        fanout.CatchUp();
        var author = new Author("Bench Auteur", "auteur@demo.handbook.invalid");
        var samples = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var page = store.Read(target)!;
            var saved = await store.SaveAsync(new SaveRequest(target, page.Text + $"\nRegel {i} erbij.\n", author, $"Wijziging {i}", page.Revision));
            if (saved is not SaveResult.Saved)
            {
                throw new InvalidOperationException("The bench's save was not made: " + saved);
            }

            var watch = Stopwatch.StartNew();
            fanout.CatchUp();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        if (notifications.List(followers[0], 1000).Count(n => n.Kind == NotificationKind.Edit) is var count && count < runs)
        {
            throw new InvalidOperationException($"The fan-out did not notify every follower: {count} of {runs}.");
        }

        return Stat.Of(samples);
    }

    private static Stat Measure<T>(IEnumerable<PagePath> sample, Func<PagePath, T> work)
    {
        var list = sample.ToList();
        foreach (var p in list.Take(200))
        {
            work(p);
        }

        var samples = new List<double>(list.Count);
        foreach (var p in list)
        {
            var watch = Stopwatch.StartNew();
            work(p);
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        return Stat.Of(samples);
    }

    private static void Row(StringBuilder section, string name, Stat stat, string target) =>
        section.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {stat.P50:0.000} | {stat.P95:0.000} | {stat.N} | {target} |");
}
