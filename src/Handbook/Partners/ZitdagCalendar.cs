namespace Handbook.Partners;

/// <summary>
/// When the zitdagen fall: which dates of a week a zitdag is held, this week's and next week's zitdagen of all
/// partners, and a partner's next one. Today is Brussels' today on the given clock, so tests fix the clock.
/// </summary>
public sealed class ZitdagCalendar(TimeProvider clock)
{
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    /// <summary>How far ahead a partner's next zitdag is looked for.</summary>
    public const int LookAheadDays = 400;

    /// <summary>The date and time in Brussels now.</summary>
    public DateTime Now => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Brussels).DateTime;

    public DateOnly Today => DateOnly.FromDateTime(Now);

    /// <summary>The Monday of the week <paramref name="day"/> is in.</summary>
    public static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>Whether a zitdag is held on a date: its weekday, in its weeks, between its from and until dates.</summary>
    public static bool IsHeldOn(Zitdag zitdag, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(zitdag);
        return zitdag.Day == date.DayOfWeek
            && (zitdag.StartDate is not { } start || date >= start)
            && (zitdag.EndDate is not { } end || date <= end)
            && zitdag.Weeks.Matches(date);
    }

    /// <summary>The zitdagen of all partners in the seven days from <paramref name="monday"/>, by date then hour.</summary>
    public static IReadOnlyList<ZitdagOccurrence> Week(IEnumerable<Partner> partners, DateOnly monday)
    {
        ArgumentNullException.ThrowIfNull(partners);
        var list = new List<ZitdagOccurrence>();
        foreach (var partner in partners)
        {
            foreach (var zitdag in partner.Profile.Zitdagen)
            {
                for (var i = 0; i < 7; i++)
                {
                    var date = monday.AddDays(i);
                    if (IsHeldOn(zitdag, date))
                    {
                        list.Add(new ZitdagOccurrence(date, partner, zitdag));
                    }
                }
            }
        }

        return list.OrderBy(o => o.Date).ThenBy(o => o.Zitdag.From ?? TimeOnly.MaxValue).ThenBy(o => o.Partner.Title, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>This week's zitdagen (Monday to Sunday) on the clock.</summary>
    public IReadOnlyList<ZitdagOccurrence> ThisWeek(IEnumerable<Partner> partners) => Week(partners, Monday(Today));

    /// <summary>Next week's zitdagen on the clock.</summary>
    public IReadOnlyList<ZitdagOccurrence> NextWeek(IEnumerable<Partner> partners) => Week(partners, Monday(Today).AddDays(7));

    /// <summary>
    /// A partner's next zitdag from now: today's if it has not ended yet (one without hours counts all day), else the
    /// first one after today; null when none is known within <see cref="LookAheadDays"/>.
    /// </summary>
    public ZitdagOccurrence? Next(Partner partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        var now = Now;
        var today = DateOnly.FromDateTime(now);
        var time = TimeOnly.FromDateTime(now);
        ZitdagOccurrence? best = null;
        foreach (var zitdag in partner.Profile.Zitdagen.Where(z => z.Day is not null))
        {
            for (var i = 0; i < LookAheadDays; i++)
            {
                var date = today.AddDays(i);
                if (zitdag.EndDate is { } end && date > end)
                {
                    break;
                }

                if (!IsHeldOn(zitdag, date) || (i == 0 && zitdag.Until is { } until && until <= time))
                {
                    continue;
                }

                var found = new ZitdagOccurrence(date, partner, zitdag);
                if (best is null || found.Date < best.Date || (found.Date == best.Date && (zitdag.From ?? TimeOnly.MinValue) < (best.Zitdag.From ?? TimeOnly.MinValue)))
                {
                    best = found;
                }

                break;
            }
        }

        return best;
    }
}

/// <summary>A zitdag on one date.</summary>
public sealed record ZitdagOccurrence(DateOnly Date, Partner Partner, Zitdag Zitdag);
