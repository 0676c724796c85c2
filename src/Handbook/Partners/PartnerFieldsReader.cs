using System.Globalization;
using System.Text.RegularExpressions;
using Handbook.Rendering;

namespace Handbook.Partners;

/// <summary>
/// Reads a partner page's fields from its front matter (docs/partner-pages.md). Never throws: a value that cannot be
/// read becomes a <see cref="PartnerIssue"/> and the field stays empty, so the page shows a notice and the overview
/// still lists the partner.
/// </summary>
public static partial class PartnerFieldsReader
{
    /// <summary>The front matter keys of a partner page (besides the usual title, summary, doelgroepen…).</summary>
    public const string AcronymKey = "afkorting", ThemesKey = "themas", AddressesKey = "adressen", PhoneKey = "telefoon",
        EmailKey = "email", WebsiteKey = "website", OpeningHoursKey = "openingsuren", ReferralKey = "verwijzen", ZitdagenKey = "zitdagen";

    /// <summary>The keys of one zitdag.</summary>
    public const string DayKey = "dag", HoursKey = "uren", WeekKey = "week", RoomKey = "lokaal", AppointmentKey = "op_afspraak",
        StartKey = "vanaf", EndKey = "tot";

    /// <summary>The ways to refer a client, as written in the front matter.</summary>
    public static readonly IReadOnlyList<string> ReferralWays = ["telefonisch", "e-mail", "formulier", "warme-overdracht", "vrije-inloop"];

    /// <summary>Weekdays as written in the front matter (Dutch, lower case), Monday first.</summary>
    public static readonly IReadOnlyList<(string Name, DayOfWeek Day)> Days =
    [
        ("maandag", DayOfWeek.Monday), ("dinsdag", DayOfWeek.Tuesday), ("woensdag", DayOfWeek.Wednesday),
        ("donderdag", DayOfWeek.Thursday), ("vrijdag", DayOfWeek.Friday), ("zaterdag", DayOfWeek.Saturday), ("zondag", DayOfWeek.Sunday),
    ];

    /// <summary>The values of <c>week</c>: every week, the n-th or last weekday of the month, even or odd ISO weeks.</summary>
    public static readonly IReadOnlyList<string> WeekValues = ["elke", "eerste", "tweede", "derde", "vierde", "laatste", "even", "oneven"];

    /// <summary>The themes of the sociale kaart when its overview page lists none.</summary>
    public static readonly IReadOnlyList<string> DefaultThemes =
        ["wonen", "werk", "inkomen", "schulden", "gezondheid", "welzijn", "gezin", "juridisch", "verblijf", "beperking"];

    /// <summary>Reads the partner fields of a page's front matter YAML.</summary>
    /// <param name="themes">The themes a partner may have; a theme outside it is an issue.</param>
    public static PartnerProfile Read(string? yaml, IReadOnlyList<string> themes)
    {
        var fields = FrontMatter.ReadFields(yaml, out _, out _);
        return fields is null ? PartnerProfile.Empty : Read(fields, themes);
    }

    /// <summary>Reads the partner fields from front matter fields (as <see cref="FrontMatter.ReadFields"/> gives them).</summary>
    public static PartnerProfile Read(IReadOnlyDictionary<string, object?> fields, IReadOnlyList<string> themes)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(themes);
        var issues = new List<PartnerIssue>();
        var themeList = List(fields, ThemesKey, issues);
        foreach (var theme in themeList.Where(t => !themes.Contains(t, StringComparer.OrdinalIgnoreCase)))
        {
            issues.Add(new PartnerIssue(ThemesKey, PartnerIssueKind.UnknownTheme, theme));
        }

        var referral = List(fields, ReferralKey, issues);
        foreach (var way in referral.Where(w => !ReferralWays.Contains(w, StringComparer.OrdinalIgnoreCase)))
        {
            issues.Add(new PartnerIssue(ReferralKey, PartnerIssueKind.UnknownReferral, way));
        }

        var phone = Text(fields, PhoneKey, issues);
        if (phone is not null && !IsPhone(phone))
        {
            issues.Add(new PartnerIssue(PhoneKey, PartnerIssueKind.InvalidPhone, phone));
            phone = null;
        }

        var email = Text(fields, EmailKey, issues);
        if (email is not null && !EmailPattern().IsMatch(email))
        {
            issues.Add(new PartnerIssue(EmailKey, PartnerIssueKind.InvalidEmail, email));
            email = null;
        }

        Uri? website = null;
        if (Text(fields, WebsiteKey, issues) is { } site)
        {
            if (Uri.TryCreate(site, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Contains('.', StringComparison.Ordinal))
            {
                website = uri;
            }
            else
            {
                issues.Add(new PartnerIssue(WebsiteKey, PartnerIssueKind.InvalidWebsite, site));
            }
        }

        return new PartnerProfile
        {
            Acronym = Text(fields, AcronymKey, issues),
            Themes = themeList.Where(t => themes.Contains(t, StringComparer.OrdinalIgnoreCase))
                .Select(t => themes.First(k => string.Equals(k, t, StringComparison.OrdinalIgnoreCase))).Distinct().ToList(),
            Addresses = List(fields, AddressesKey, issues),
            Phone = phone,
            Email = email,
            Website = website,
            OpeningHours = Text(fields, OpeningHoursKey, issues),
            Referral = referral.Where(w => ReferralWays.Contains(w, StringComparer.OrdinalIgnoreCase)).Select(w => w.ToLowerInvariant()).Distinct().ToList(),
            Zitdagen = Zitdagen(fields, issues),
            Issues = issues,
        };
    }

    /// <summary>"13:30-16:00", "9-12", "13u30 – 16u": two times, the first before the second.</summary>
    public static bool TryParseHours(string text, out TimeOnly from, out TimeOnly until)
    {
        from = until = default;
        var match = HoursPattern().Match(text ?? "");
        return match.Success
            && TryTime(match.Groups[1].Value, match.Groups[2].Value, out from)
            && TryTime(match.Groups[3].Value, match.Groups[4].Value, out until)
            && from < until;
    }

    /// <summary>"2026-01-31": a date as the front matter writes it.</summary>
    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact((text ?? "").Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>"maandag" → Monday (case-insensitive).</summary>
    public static DayOfWeek? ParseDay(string text) =>
        Days.Where(d => string.Equals(d.Name, (text ?? "").Trim(), StringComparison.OrdinalIgnoreCase)).Select(d => (DayOfWeek?)d.Day).FirstOrDefault();

    /// <summary>The front matter name of a weekday.</summary>
    public static string DayName(DayOfWeek day) => Days.First(d => d.Day == day).Name;

    /// <summary>"elke", "eerste", "[eerste, derde]", "laatste", "even", "oneven".</summary>
    public static WeekRule? ParseWeek(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return WeekRule.Every;
        }

        var ordinals = new List<int>();
        foreach (var raw in values)
        {
            var value = raw.Trim().ToLowerInvariant();
            switch (value)
            {
                case "elke" when values.Count == 1:
                    return WeekRule.Every;
                case "even" when values.Count == 1:
                    return new WeekRule(WeekKind.EvenWeeks, []);
                case "oneven" when values.Count == 1:
                    return new WeekRule(WeekKind.OddWeeks, []);
                case "eerste" or "1":
                    ordinals.Add(1);
                    break;
                case "tweede" or "2":
                    ordinals.Add(2);
                    break;
                case "derde" or "3":
                    ordinals.Add(3);
                    break;
                case "vierde" or "4":
                    ordinals.Add(4);
                    break;
                case "laatste":
                    ordinals.Add(WeekRule.Last);
                    break;
                default:
                    return null;
            }
        }

        return new WeekRule(WeekKind.OfMonth, ordinals.Distinct().ToList());
    }

    /// <summary>A week rule as the front matter writes it: "elke", "eerste", "eerste, derde".</summary>
    public static string WeekText(WeekRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Kind switch
        {
            WeekKind.EvenWeeks => "even",
            WeekKind.OddWeeks => "oneven",
            WeekKind.OfMonth => string.Join(", ", rule.Ordinals.Select(n => n == WeekRule.Last ? "laatste" : WeekValues[n])),
            _ => "elke",
        };
    }

    private static IReadOnlyList<Zitdag> Zitdagen(IReadOnlyDictionary<string, object?> fields, List<PartnerIssue> issues)
    {
        if (!fields.TryGetValue(ZitdagenKey, out var value) || value is null || value is string { Length: 0 })
        {
            return [];
        }

        if (value is not IEnumerable<object?> items || value is string)
        {
            issues.Add(new PartnerIssue(ZitdagenKey, PartnerIssueKind.WrongShape, Show(value)));
            return [];
        }

        var zitdagen = new List<Zitdag>();
        var number = 0;
        foreach (var item in items)
        {
            number++;
            if (item is not IDictionary<object, object?> map)
            {
                issues.Add(new PartnerIssue(ZitdagenKey, PartnerIssueKind.WrongShape, Show(item), number));
                continue;
            }

            var entry = map.Where(kv => kv.Key is string).GroupBy(kv => ((string)kv.Key).Trim(), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
            zitdagen.Add(ReadZitdag(entry, number, issues));
        }

        return zitdagen;
    }

    /// <summary>One zitdag's fields; each wrong value is an issue and stays empty.</summary>
    public static Zitdag ReadZitdag(IReadOnlyDictionary<string, object?> entry, int number, List<PartnerIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(issues);
        DayOfWeek? day = null;
        if (Text(entry, DayKey, issues, number) is { } dayText)
        {
            day = ParseDay(dayText);
            if (day is null)
            {
                issues.Add(new PartnerIssue(DayKey, PartnerIssueKind.InvalidDay, dayText, number));
            }
        }

        TimeOnly? from = null, until = null;
        if (Text(entry, HoursKey, issues, number) is { } hours)
        {
            if (TryParseHours(hours, out var f, out var u))
            {
                (from, until) = (f, u);
            }
            else
            {
                issues.Add(new PartnerIssue(HoursKey, PartnerIssueKind.InvalidHours, hours, number));
            }
        }

        var weeks = WeekRule.Every;
        var weekValues = List(entry, WeekKey, issues, number);
        if (ParseWeek(weekValues) is { } rule)
        {
            weeks = rule;
        }
        else
        {
            issues.Add(new PartnerIssue(WeekKey, PartnerIssueKind.InvalidWeek, string.Join(", ", weekValues), number));
        }

        bool? appointment = null;
        if (Text(entry, AppointmentKey, issues, number) is { } yesNo)
        {
            appointment = yesNo.ToLowerInvariant() switch
            {
                "ja" or "true" or "yes" => true,
                "nee" or "false" or "no" => false,
                _ => null,
            };
            if (appointment is null)
            {
                issues.Add(new PartnerIssue(AppointmentKey, PartnerIssueKind.InvalidYesNo, yesNo, number));
            }
        }

        var start = Date(entry, StartKey, issues, number);
        var end = Date(entry, EndKey, issues, number);
        if (start is { } s && end is { } e && e < s)
        {
            issues.Add(new PartnerIssue(EndKey, PartnerIssueKind.EndBeforeStart, e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), number));
            end = null;
        }

        return new Zitdag
        {
            Day = day,
            From = from,
            Until = until,
            Weeks = weeks,
            Room = Text(entry, RoomKey, issues, number),
            ByAppointment = appointment,
            StartDate = start,
            EndDate = end,
        };
    }

    private static DateOnly? Date(IReadOnlyDictionary<string, object?> fields, string key, List<PartnerIssue> issues, int? number)
    {
        if (Text(fields, key, issues, number) is not { } text)
        {
            return null;
        }

        if (TryParseDate(text, out var date))
        {
            return date;
        }

        issues.Add(new PartnerIssue(key, PartnerIssueKind.InvalidDate, text, number));
        return null;
    }

    private static string? Text(IReadOnlyDictionary<string, object?> fields, string key, List<PartnerIssue> issues, int? number = null)
    {
        if (!fields.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        if (value is string s)
        {
            return s.Trim().Length > 0 ? s.Trim() : null;
        }

        issues.Add(new PartnerIssue(key, PartnerIssueKind.WrongShape, Show(value), number));
        return null;
    }

    private static IReadOnlyList<string> List(IReadOnlyDictionary<string, object?> fields, string key, List<PartnerIssue> issues, int? number = null)
    {
        if (!fields.TryGetValue(key, out var value) || value is null)
        {
            return [];
        }

        switch (value)
        {
            case string s:
                return s.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
            case IEnumerable<object?> items when items.All(i => i is string or null):
                return items.OfType<string>().Select(i => i.Trim()).Where(i => i.Length > 0).ToList();
            default:
                issues.Add(new PartnerIssue(key, PartnerIssueKind.WrongShape, Show(value), number));
                return [];
        }
    }

    private static bool IsPhone(string phone) =>
        PhonePattern().IsMatch(phone) && phone.Count(char.IsAsciiDigit) is >= 6 and <= 15;

    private static bool TryTime(string hours, string minutes, out TimeOnly time)
    {
        time = default;
        var h = int.Parse(hours, CultureInfo.InvariantCulture);
        var m = minutes.Length == 0 ? 0 : int.Parse(minutes, CultureInfo.InvariantCulture);
        if (h > 23 || m > 59)
        {
            return false;
        }

        time = new TimeOnly(h, m);
        return true;
    }

    /// <summary>A value that is not what the field wants, shortened for a message.</summary>
    private static string Show(object? value)
    {
        var text = value switch
        {
            null => "",
            string s => s,
            IDictionary<object, object?> => "{…}",
            IEnumerable<object?> list => "[" + string.Join(", ", list.Select(Show)) + "]",
            _ => value.ToString() ?? "",
        };
        return text.Length > 60 ? text[..60] + "…" : text;
    }

    [GeneratedRegex(@"^\s*(\d{1,2})(?:[:.hu](\d{2})?)?\s*u?\s*[-–]\s*(\d{1,2})(?:[:.hu](\d{2})?)?\s*u?\s*$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex HoursPattern();

    [GeneratedRegex(@"^\+?[0-9 ./()-]+$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex EmailPattern();
}
