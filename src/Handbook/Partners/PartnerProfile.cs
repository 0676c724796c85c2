namespace Handbook.Partners;

/// <summary>
/// The structured fields of a partner page (front matter; names and shapes in docs/partner-pages.md). Every field is
/// optional: null or empty means "nog aan te vullen". Values that could not be read are left out here and described in
/// <see cref="Issues"/>, so one wrong value never hides the rest of the partner.
/// </summary>
public sealed record PartnerProfile
{
    public static readonly PartnerProfile Empty = new();

    /// <summary>The acronym the partner is known by (<c>afkorting</c>), tied to the glossary.</summary>
    public string? Acronym { get; init; }

    /// <summary>What they help with (<c>themas</c>), from the list of the sociale kaart.</summary>
    public IReadOnlyList<string> Themes { get; init; } = [];

    public IReadOnlyList<string> Addresses { get; init; } = [];

    public string? Phone { get; init; }

    public string? Email { get; init; }

    /// <summary>An absolute http(s) address.</summary>
    public Uri? Website { get; init; }

    /// <summary>Free text: "ma–vr 9–12 u".</summary>
    public string? OpeningHours { get; init; }

    /// <summary>How to refer (<c>verwijzen</c>): keys of <see cref="PartnerFieldsReader.ReferralWays"/>.</summary>
    public IReadOnlyList<string> Referral { get; init; } = [];

    /// <summary>Consultation hours in the Sociaal Huis.</summary>
    public IReadOnlyList<Zitdag> Zitdagen { get; init; } = [];

    /// <summary>What could not be read, one entry per wrong value.</summary>
    public IReadOnlyList<PartnerIssue> Issues { get; init; } = [];

    /// <summary>Phone, e-mail or website: something to contact them with.</summary>
    public bool HasContact => Phone is not null || Email is not null || Website is not null;
}

/// <summary>
/// One consultation hour of a partner in the Sociaal Huis. A missing day or hours means "nog aan te vullen": such a
/// zitdag is listed, but cannot be placed in a week.
/// </summary>
public sealed record Zitdag
{
    public DayOfWeek? Day { get; init; }

    public TimeOnly? From { get; init; }

    public TimeOnly? Until { get; init; }

    /// <summary>Which weeks: every week unless said otherwise.</summary>
    public WeekRule Weeks { get; init; } = WeekRule.Every;

    public string? Room { get; init; }

    /// <summary>By appointment (true), walk-in (false), or not known (null).</summary>
    public bool? ByAppointment { get; init; }

    /// <summary>First day the zitdag is held (<c>vanaf</c>), inclusive.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>Last day the zitdag is held (<c>tot</c>), inclusive.</summary>
    public DateOnly? EndDate { get; init; }
}

/// <summary>
/// Which weeks a zitdag is held: every week, the n-th (1–4) or last such weekday of the month, or even/odd ISO weeks.
/// </summary>
public sealed record WeekRule(WeekKind Kind, IReadOnlyList<int> Ordinals)
{
    public static readonly WeekRule Every = new(WeekKind.Every, []);

    /// <summary>Whether a date (already on the zitdag's weekday) is in one of these weeks.</summary>
    public bool Matches(DateOnly date) => Kind switch
    {
        WeekKind.Every => true,
        WeekKind.OfMonth => Ordinals.Any(n => n == Last ? date.AddDays(7).Month != date.Month : (date.Day - 1) / 7 + 1 == n),
        WeekKind.EvenWeeks => System.Globalization.ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)) % 2 == 0,
        WeekKind.OddWeeks => System.Globalization.ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)) % 2 == 1,
        _ => false,
    };

    /// <summary>The ordinal that means "the last one of the month".</summary>
    public const int Last = -1;

    public bool Equals(WeekRule? other) => other is not null && Kind == other.Kind && Ordinals.SequenceEqual(other.Ordinals);

    public override int GetHashCode() => HashCode.Combine(Kind, Ordinals.Count);
}

public enum WeekKind
{
    Every,
    OfMonth,
    EvenWeeks,
    OddWeeks,
}

/// <summary>A partner field whose value could not be read: which field (and which zitdag, 1-based), and what it held.</summary>
public sealed record PartnerIssue(string Field, PartnerIssueKind Kind, string? Value = null, int? Zitdag = null);

public enum PartnerIssueKind
{
    /// <summary>A list or a text was expected and something else was there.</summary>
    WrongShape,
    UnknownTheme,
    UnknownReferral,
    InvalidPhone,
    InvalidEmail,
    InvalidWebsite,
    InvalidDay,
    InvalidHours,
    InvalidWeek,
    InvalidYesNo,
    InvalidDate,
    EndBeforeStart,
}
