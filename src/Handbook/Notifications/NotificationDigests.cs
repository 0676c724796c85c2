using System.Globalization;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Questions;
using Microsoft.Extensions.Options;

namespace Handbook.Notifications;

/// <summary>
/// What is mailed on a schedule: the daily digest (each day from <see cref="HandbookOptions.DigestHour"/>), the weekly
/// digest and the managers' overview (Mondays from that hour), and "review due" notifications for pages whose
/// review date passed. Notifications nobody will mail (no SMTP, or "never") are marked done.
/// </summary>
public sealed class NotificationDigests(NotificationStore notifications, NotificationMail mail, NotificationFanout fanout, PageStore store,
    QuestionBoard questions, HandbookCatalog catalog, TimeProvider clock, IOptions<HandbookOptions> options, ILogger<NotificationDigests> log)
    : BackgroundService
{
    /// <summary>Does what is due at <paramref name="now"/>; the background loop calls it every few minutes.</summary>
    public void Run(DateTimeOffset now)
    {
        // One run at a time: the timer's and an explicit one never send the same digest twice.
        lock (_gate)
        {
            ReviewsDue(now);
            Digests(now);
            Overview(now);
        }
    }

    private readonly Lock _gate = new();

    /// <summary>The last moment a daily (or weekly) digest became due at or before <paramref name="now"/>, in the server's time zone.</summary>
    public DateTimeOffset DueSince(DateTimeOffset now, Delivery period)
    {
        var local = TimeZoneInfo.ConvertTime(now, clock.LocalTimeZone);
        var moment = new DateTimeOffset(local.Date.AddHours(options.Value.DigestHour), local.Offset);
        if (moment > local)
        {
            moment = moment.AddDays(-1);
        }

        if (period == Delivery.Weekly)
        {
            moment = moment.AddDays(-(((int)moment.DayOfWeek + 6) % 7));
        }

        return moment;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not during the host's start: the first run reads the whole catalog.
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5), clock);
        do
        {
            try
            {
                Run(clock.GetUtcNow());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Scheduled notifications failed; trying again in five minutes");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void ReviewsDue(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, clock.LocalTimeZone).Date);
        foreach (var page in catalog.Current.Pages.Values)
        {
            if (page.Meta.ReviewBy is not { } due || due >= today)
            {
                continue;
            }

            var key = "review:" + page.Path.Value;
            var date = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (notifications.State(key) == date)
            {
                continue;
            }

            var recipients = fanout.Recipients(page.Path, actor: "");
            if (recipients.Count == 0)
            {
                // Nobody to tell yet (a first start, before anyone followed it): asked again at the next run.
                continue;
            }

            var ids = notifications.Add(recipients, NotificationKind.ReviewDue, page.Path.Value, "", date, null, null, null, now);
            foreach (var (email, id) in ids)
            {
                if (notifications.DeliveryOf(email, NotificationKind.ReviewDue) == Delivery.Immediately && mail.Enabled)
                {
                    mail.SendNow(notifications.FindWorker(email) ?? new Worker(email, email, null),
                        new Notification(id, NotificationKind.ReviewDue, page.Path.Value, "", date, null, null, null, now, false));
                    notifications.MarkMailed([id]);
                }
            }

            notifications.SetState(key, date);
        }
    }

    private void Digests(DateTimeOffset now)
    {
        var done = new List<long>();
        foreach (var group in notifications.Unmailed().GroupBy(u => u.Email, StringComparer.OrdinalIgnoreCase))
        {
            var email = group.Key;
            var worker = notifications.FindWorker(email) ?? new Worker(email, email, null);
            var byDelivery = group.Select(g => g.Notification).GroupBy(n => notifications.DeliveryOf(email, n.Kind));
            foreach (var items in byDelivery)
            {
                var period = items.Key;
                if (!mail.Enabled || period == Delivery.Never)
                {
                    done.AddRange(items.Select(n => n.Id));
                    continue;
                }

                if (period == Delivery.Immediately)
                {
                    // Asked for "at once" after these were kept for a digest.
                    foreach (var n in items)
                    {
                        mail.SendNow(worker, n);
                        done.Add(n.Id);
                    }

                    continue;
                }

                var key = $"digest:{period}:{email.ToLowerInvariant()}";
                var since = DueSince(now, period);
                if (notifications.State(key) is { } last && long.Parse(last, CultureInfo.InvariantCulture) >= since.ToUnixTimeMilliseconds())
                {
                    continue;
                }

                mail.SendDigest(worker, period, items.ToList());
                done.AddRange(items.Select(n => n.Id));
                notifications.SetState(key, now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            }
        }

        notifications.MarkMailed(done);
    }

    private void Overview(DateTimeOffset now)
    {
        if (!mail.Enabled)
        {
            return;
        }

        var since = DueSince(now, Delivery.Weekly);
        foreach (var email in notifications.OverviewSubscribers())
        {
            var key = "overview:" + email.ToLowerInvariant();
            if (notifications.State(key) is { } last && long.Parse(last, CultureInfo.InvariantCulture) >= since.ToUnixTimeMilliseconds())
            {
                continue;
            }

            var sections = store.Activity(now.AddDays(-7), now);
            mail.SendOverview(notifications.FindWorker(email) ?? new Worker(email, email, null), sections, questions.Current.Open);
            notifications.SetState(key, now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }
    }
}
