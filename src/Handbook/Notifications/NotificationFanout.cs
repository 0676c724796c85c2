using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Questions;

namespace Handbook.Notifications;

/// <summary>
/// Tells followers what happened, off the save's path: after every move of the branch (a save here, a commit
/// with the git CLI, a sync from upstream) it reads the page changes and question entries since the last tip it
/// handled, adds one notification per recipient, and queues the mails of those who want them at once.
/// Recipients of a page: who follows it or a section it is in, and the members of its owning team (unless they
/// unfollowed it); for an answer also the asker. Never the worker who did it.
/// </summary>
public sealed class NotificationFanout(PageStore store, QuestionBoard questions, HandbookCatalog catalog, NotificationStore notifications,
    NotificationMail mail, ILogger<NotificationFanout> log) : BackgroundService
{
    internal const string TipKey = "fanout:tip";

    private readonly SemaphoreSlim _signal = new(0);
    private readonly Lock _gate = new();

    /// <summary>Handles what happened since the last run, now (the background loop calls it after each commit).</summary>
    public void CatchUp()
    {
        lock (_gate)
        {
            var tip = store.Head;
            // While history is indexed in the background its changes are not known yet: wait for the build.
            if (tip is null || store.IndexStatus.Building)
            {
                return;
            }

            var last = notifications.State(TipKey);
            // On a first start (or a new data folder) the handbook's past is not news.
            if (last is not null && last != tip)
            {
                // The first import of a shared handbook brings its whole past: no news to its pages' teams.
                var firstImport = store.Region is not null && store.RegionState(last).Commit is null;
                foreach (var change in store.ChangesBetween(last, tip))
                {
                    if (!(firstImport && store.Region!.Contains(change.Path)))
                    {
                        Edit(change);
                    }
                }

                var set = questions.Current;
                foreach (var file in store.QuestionEntriesAdded(last, tip))
                {
                    if (set.Find(file.Page, file.EntryId) is { } thread)
                    {
                        Entry(thread.Question, thread);
                    }
                    else if (set.For(file.Page).FirstOrDefault(t => t.Replies.Any(r => r.Id == file.EntryId)) is { } answered)
                    {
                        Entry(answered.Replies.First(r => r.Id == file.EntryId), answered);
                    }
                }
            }

            notifications.SetState(TipKey, tip);
        }
    }

    /// <summary>Who hears of something on <paramref name="page"/>: its followers and its team's members, except <paramref name="actor"/>.</summary>
    public IReadOnlyList<string> Recipients(PagePath page, string actor, params string?[] also)
    {
        var targets = Targets(page);
        var recipients = new HashSet<string>(notifications.Followers(targets), StringComparer.OrdinalIgnoreCase);
        // The owner as the catalog last knew it: a save does not make the fan-out rebuild the catalog before the page view does.
        if (catalog.Latest.Pages.TryGetValue(page, out var summary) && summary.Meta.Owner is { } owner)
        {
            var unfollowed = notifications.UnfollowedBy(targets);
            recipients.UnionWith(notifications.TeamMembers(owner).Select(w => w.Email).Where(e => !unfollowed.Contains(e)));
        }

        // "Niet meer volgen" on the page itself wins over a followed section.
        recipients.ExceptWith(notifications.UnfollowedBy([page.Value]));
        recipients.UnionWith(also.OfType<string>().Where(a => a.Length > 0));
        recipients.Remove(actor);
        return recipients.ToList();
    }

    /// <summary>A page and every section it is in, as follows are kept: "procedures/leefloon", "procedures/".</summary>
    public static IReadOnlyList<string> Targets(PagePath page)
    {
        var parts = page.Value.Split('/');
        var targets = new List<string> { page.Value };
        for (var i = 1; i < parts.Length; i++)
        {
            targets.Add(string.Join('/', parts[..i]) + "/");
        }

        return targets;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Committed += OnCommitted;
        // On a first start the tip is recorded before anything else can commit (a save right after the start is
        // news); the rest runs after the host has started: catching up may take a while after a long stop.
        lock (_gate)
        {
            if (notifications.State(TipKey) is null && store.Head is { } head)
            {
                notifications.SetState(TipKey, head);
            }
        }

        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    CatchUp();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Notifications could not be sent for the latest changes; trying again after the next one");
                }

                // A commit wakes it at once; commits made with the git CLI are noticed within a minute.
                await _signal.WaitAsync(TimeSpan.FromMinutes(1), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            store.Committed -= OnCommitted;
        }
    }

    private void OnCommitted(string revision) => _signal.Release();

    private void Edit(PageChange change)
    {
        var recipients = Recipients(change.Path, change.Author.Email);
        if (recipients.Count == 0)
        {
            return;
        }

        // "Show the changes" compares with the page's previous version (also across a rename).
        var previous = store.History(change.Path, 0, 200).SkipWhile(c => c.Revision != change.Revision).Skip(1).FirstOrDefault();
        Deliver(recipients, NotificationKind.Edit, change.Path, change.Author.Name, change.Summary, change.Revision, previous?.Revision, null, change.When);
    }

    private void Entry(QuestionEntry entry, QuestionThread thread)
    {
        NotificationKind kind;
        switch (entry.Kind)
        {
            case EntryKind.Question:
                kind = NotificationKind.Question;
                break;
            case EntryKind.Answer:
                kind = NotificationKind.Answer;
                break;
            case EntryKind.Resolved:
                kind = NotificationKind.Resolved;
                break;
            default:
                return;
        }

        // The asker hears of what follows her question, whether or not she follows the page.
        string?[] also = entry.Kind == EntryKind.Question ? [] : [thread.Question.AuthorEmail];
        var text = entry.Text.ReplaceLineEndings(" ");
        var summary = text.Length <= 200 ? text : text[..200] + "…";
        Deliver(Recipients(entry.Page, entry.AuthorEmail, also), kind, entry.Page, entry.AuthorName, summary, entry.Change, null, thread.Question.Id, entry.At);
    }

    private void Deliver(IReadOnlyList<string> recipients, NotificationKind kind, PagePath page, string actor, string summary,
        string? revision, string? baseRevision, string? questionId, DateTimeOffset at)
    {
        if (recipients.Count == 0)
        {
            return;
        }

        var ids = notifications.Add(recipients, kind, page.Value, actor, summary, revision, baseRevision, questionId, at);
        var done = new List<long>();
        var now = new List<Worker>();
        var deliveries = notifications.DeliveriesOf(ids.Keys.ToList(), kind);
        var workers = mail.Enabled ? notifications.FindWorkers(ids.Keys.ToList()) : new Dictionary<string, Worker>();
        foreach (var (email, id) in ids)
        {
            switch (deliveries[email])
            {
                case Delivery.Immediately when mail.Enabled:
                    now.Add(workers.GetValueOrDefault(email) ?? new Worker(email, email, null));
                    done.Add(id);
                    break;
                case Delivery.Never:
                case Delivery.Immediately:
                    // No mail server: in the app only. Digests pick up the rest.
                    done.Add(id);
                    break;
            }
        }

        // One mail text for all who want it at once (it names no recipient), queued in one write.
        mail.SendNow(now, new Notification(0, kind, page.Value, actor, summary, revision, baseRevision, questionId, at, false));
        notifications.MarkMailed(done);
    }
}
