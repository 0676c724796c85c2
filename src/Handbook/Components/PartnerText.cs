using System.Globalization;
using Handbook.Partners;
using Microsoft.Extensions.Localization;

namespace Handbook.Components;

/// <summary>Partner fields and zitdagen in the reader's language: the one place that words them.</summary>
public static class PartnerText
{
    /// <summary>What is wrong with one partner field, naming the field, the zitdag and the value.</summary>
    public static string Describe(IStringLocalizer<SharedResource> l, PartnerIssue issue)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(issue);
        var field = l["PartnerField." + issue.Field].Value;
        var where = issue.Zitdag is { } n ? l["PartnerIssueInZitdag", n, field].Value : field;
        return l["PartnerIssue." + issue.Kind, where, issue.Value ?? ""];
    }

    /// <summary>"13:30–16:00", or "nog aan te vullen".</summary>
    public static string Hours(IStringLocalizer<SharedResource> l, Zitdag zitdag)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(zitdag);
        return zitdag is { From: { } from, Until: { } until }
            ? from.ToString("HH:mm", CultureInfo.InvariantCulture) + "–" + until.ToString("HH:mm", CultureInfo.InvariantCulture)
            : l["PartnerHoursMissing"];
    }

    /// <summary>"dinsdag", in the UI culture, or "dag nog aan te vullen".</summary>
    public static string Day(IStringLocalizer<SharedResource> l, Zitdag zitdag)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(zitdag);
        return zitdag.Day is { } day ? CultureInfo.CurrentCulture.DateTimeFormat.GetDayName(day) : l["PartnerDayMissing"];
    }

    /// <summary>"elke week", "eerste en derde dinsdag van de maand", "even weken".</summary>
    public static string Weeks(IStringLocalizer<SharedResource> l, Zitdag zitdag)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(zitdag);
        var rule = zitdag.Weeks;
        return rule.Kind switch
        {
            WeekKind.EvenWeeks => l["ZitdagWeeksEven"],
            WeekKind.OddWeeks => l["ZitdagWeeksOdd"],
            WeekKind.OfMonth => l["ZitdagWeeksOfMonth",
                string.Join(" " + l["ZitdagAnd"] + " ", rule.Ordinals.Select(n => l["ZitdagOrdinal." + (n == WeekRule.Last ? "last" : n.ToString(CultureInfo.InvariantCulture))].Value)),
                zitdag.Day is { } d ? CultureInfo.CurrentCulture.DateTimeFormat.GetDayName(d) : l["ZitdagDayOfWeek"].Value],
            _ => l["ZitdagWeeksEvery"],
        };
    }

    /// <summary>The rest of a zitdag in one line: weeks, room, appointment, from/until.</summary>
    public static string Details(IStringLocalizer<SharedResource> l, Zitdag zitdag, bool withWeeks = true)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(zitdag);
        var parts = new List<string>();
        // Without a day there is nothing to say about which weeks (and "every week" would be a claim nobody made).
        if (withWeeks && zitdag.Day is not null)
        {
            parts.Add(Weeks(l, zitdag));
        }

        parts.Add(zitdag.Room is { } room ? l["ZitdagRoom", room].Value : l["ZitdagRoomMissing"].Value);
        parts.Add(zitdag.ByAppointment switch
        {
            true => l["ZitdagByAppointment"].Value,
            false => l["ZitdagWalkIn"].Value,
            null => l["ZitdagAppointmentMissing"].Value,
        });
        if (zitdag.StartDate is { } start)
        {
            parts.Add(l["ZitdagFrom", Formatting.Date(start)].Value);
        }

        if (zitdag.EndDate is { } end)
        {
            parts.Add(l["ZitdagUntil", Formatting.Date(end)].Value);
        }

        return string.Join(" · ", parts);
    }

    /// <summary>"dinsdag 8 december, 13:30–16:00": a zitdag on a date.</summary>
    public static string Occurrence(IStringLocalizer<SharedResource> l, ZitdagOccurrence occurrence)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        return occurrence.Date.ToString("dddd d MMMM", CultureInfo.CurrentCulture) + ", " + Hours(l, occurrence.Zitdag);
    }

    /// <summary>A referral way ("warme-overdracht") in words.</summary>
    public static string Referral(IStringLocalizer<SharedResource> l, string way)
    {
        ArgumentNullException.ThrowIfNull(l);
        return l["PartnerReferral." + way];
    }

    /// <summary>"tel:+3200000000" for a phone number as written.</summary>
    public static string TelHref(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        return "tel:" + new string(phone.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
    }
}
