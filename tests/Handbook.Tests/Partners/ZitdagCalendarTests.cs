using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Partners;
using Handbook.Rendering;

namespace Handbook.Tests.Partners;

/// <summary>Which dates a zitdag falls on, on fixed clocks (December 2026: the 1st is a Tuesday, ISO week 49).</summary>
public sealed class ZitdagCalendarTests
{
    private static Zitdag Tuesday(WeekRule? weeks = null, string? from = null, string? until = null) => new()
    {
        Day = DayOfWeek.Tuesday, From = new TimeOnly(13, 30), Until = new TimeOnly(16, 0), Weeks = weeks ?? WeekRule.Every,
        StartDate = from is null ? null : DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
        EndDate = until is null ? null : DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static Partner PartnerWith(string name, params Zitdag[] zitdagen) =>
        new(new PageSummary(PagePath.Parse("sociale-kaart/" + name), "blob-" + name, new ParsedPage(FrontMatter.Empty, name, [], "")),
            new PartnerProfile { Zitdagen = zitdagen });

    private static DateOnly D(int month, int day, int year = 2026) => new(year, month, day);

    [Fact]
    public void EveryWeek_IsHeldOnEachOfItsWeekdays_AndNoOtherDay()
    {
        var z = Tuesday();
        Assert.True(ZitdagCalendar.IsHeldOn(z, D(12, 1)));
        Assert.True(ZitdagCalendar.IsHeldOn(z, D(12, 8)));
        Assert.True(ZitdagCalendar.IsHeldOn(z, D(12, 29)));
        Assert.False(ZitdagCalendar.IsHeldOn(z, D(12, 2)));
        Assert.False(ZitdagCalendar.IsHeldOn(z, D(11, 30)));
    }

    [Fact]
    public void FirstTuesdayOfTheMonth_IsOnlyTheFirst()
    {
        var z = Tuesday(new WeekRule(WeekKind.OfMonth, [1]));
        Assert.True(ZitdagCalendar.IsHeldOn(z, D(12, 1)));
        Assert.False(ZitdagCalendar.IsHeldOn(z, D(12, 8)));
        Assert.False(ZitdagCalendar.IsHeldOn(z, D(12, 29)));
        Assert.True(ZitdagCalendar.IsHeldOn(z, D(1, 5, 2027)));
        Assert.True(ZitdagCalendar.IsHeldOn(z, D(11, 3)));
        Assert.False(ZitdagCalendar.IsHeldOn(z, D(11, 10)));
    }

    [Fact]
    public void SecondAndFourth_AndLast_OfTheMonth()
    {
        var z = Tuesday(new WeekRule(WeekKind.OfMonth, [2, 4]));
        Assert.Equal([D(12, 8), D(12, 22)], Enumerable.Range(0, 31).Select(i => D(12, 1).AddDays(i)).Where(d => ZitdagCalendar.IsHeldOn(z, d)));
        var last = Tuesday(new WeekRule(WeekKind.OfMonth, [WeekRule.Last]));
        Assert.True(ZitdagCalendar.IsHeldOn(last, D(12, 29)));
        Assert.False(ZitdagCalendar.IsHeldOn(last, D(12, 22)));
        Assert.True(ZitdagCalendar.IsHeldOn(last, D(11, 24)));
    }

    [Fact]
    public void EvenAndOddIsoWeeks()
    {
        var odd = Tuesday(new WeekRule(WeekKind.OddWeeks, []));
        var even = Tuesday(new WeekRule(WeekKind.EvenWeeks, []));
        Assert.True(ZitdagCalendar.IsHeldOn(odd, D(12, 1)));   // week 49
        Assert.False(ZitdagCalendar.IsHeldOn(even, D(12, 1)));
        Assert.True(ZitdagCalendar.IsHeldOn(even, D(12, 8)));  // week 50
        Assert.True(ZitdagCalendar.IsHeldOn(odd, D(12, 29)));  // week 53
        Assert.True(ZitdagCalendar.IsHeldOn(odd, D(1, 5, 2027))); // week 1 of 2027
    }

    [Fact]
    public void FromAndUntilDates_AreInclusive()
    {
        var z = Tuesday(from: "2026-12-08", until: "2026-12-22");
        Assert.False(ZitdagCalendar.IsHeldOn(z, D(12, 1)));
        Assert.True(ZitdagCalendar.IsHeldOn(z, D(12, 8)));
        Assert.True(ZitdagCalendar.IsHeldOn(z, D(12, 22)));
        Assert.False(ZitdagCalendar.IsHeldOn(z, D(12, 29)));
    }

    [Fact]
    public void ZitdagWithoutDay_IsNeverPlacedInAWeek()
    {
        var z = new Zitdag { From = new TimeOnly(13, 30), Until = new TimeOnly(16, 0) };
        Assert.Empty(ZitdagCalendar.Week([PartnerWith("x", z)], D(11, 30)));
        Assert.Null(new ZitdagCalendar(FixedClock.AtBrussels(2026, 12, 1)).Next(PartnerWith("x", z)));
    }

    [Fact]
    public void ThisWeekAndNextWeek_FollowTheClock_MondayToSunday_SortedByDayAndHour()
    {
        var clock = FixedClock.AtBrussels(2026, 12, 2); // a Wednesday
        var calendar = new ZitdagCalendar(clock);
        var early = new Zitdag { Day = DayOfWeek.Tuesday, From = new TimeOnly(9, 0), Until = new TimeOnly(12, 0) };
        var partners = new[]
        {
            PartnerWith("a", Tuesday(new WeekRule(WeekKind.OfMonth, [1]))),
            PartnerWith("b", early, new Zitdag { Day = DayOfWeek.Sunday, From = new TimeOnly(10, 0), Until = new TimeOnly(11, 0) }),
        };

        var thisWeek = calendar.ThisWeek(partners);
        Assert.Equal([(D(12, 1), "b"), (D(12, 1), "a"), (D(12, 6), "b")], thisWeek.Select(o => (o.Date, o.Partner.Title)));
        var nextWeek = calendar.NextWeek(partners);
        Assert.Equal([(D(12, 8), "b"), (D(12, 13), "b")], nextWeek.Select(o => (o.Date, o.Partner.Title)));

        clock.Now = FixedClock.AtBrussels(2026, 12, 6, 23, 30).Now; // Sunday late: still the same week
        Assert.Equal(D(11, 30), ZitdagCalendar.Monday(calendar.Today));
        clock.Now = FixedClock.AtBrussels(2026, 12, 7, 0, 10).Now; // Monday just after midnight in Brussels (still Sunday in UTC)
        Assert.Equal(D(12, 7), ZitdagCalendar.Monday(calendar.Today));
    }

    [Fact]
    public void Next_IsTodayUntilItEnds_ThenTheNextHeldDate()
    {
        var clock = FixedClock.AtBrussels(2026, 12, 1, 15, 0);
        var calendar = new ZitdagCalendar(clock);
        var weekly = PartnerWith("w", Tuesday());
        var firstOfMonth = PartnerWith("f", Tuesday(new WeekRule(WeekKind.OfMonth, [1])));

        Assert.Equal(D(12, 1), calendar.Next(weekly)!.Date);
        clock.Now = FixedClock.AtBrussels(2026, 12, 1, 16, 30).Now;
        Assert.Equal(D(12, 8), calendar.Next(weekly)!.Date);
        Assert.Equal(D(1, 5, 2027), calendar.Next(firstOfMonth)!.Date);
    }

    [Fact]
    public void Next_IsNullAfterTheUntilDate_AndWaitsForTheFromDate()
    {
        var calendar = new ZitdagCalendar(FixedClock.AtBrussels(2026, 12, 2));
        Assert.Null(calendar.Next(PartnerWith("old", Tuesday(until: "2026-11-24"))));
        Assert.Equal(D(3, 2, 2027), calendar.Next(PartnerWith("later", Tuesday(from: "2027-03-01")))!.Date);
    }

    [Fact]
    public void Next_TakesTheEarliestOfSeveralZitdagen()
    {
        var calendar = new ZitdagCalendar(FixedClock.AtBrussels(2026, 12, 2, 8, 0));
        var partner = PartnerWith("two",
            new Zitdag { Day = DayOfWeek.Friday, From = new TimeOnly(9, 0), Until = new TimeOnly(12, 0) },
            new Zitdag { Day = DayOfWeek.Thursday, From = new TimeOnly(17, 0), Until = new TimeOnly(19, 0) });
        var next = calendar.Next(partner)!;
        Assert.Equal(D(12, 3), next.Date);
        Assert.Equal(new TimeOnly(17, 0), next.Zitdag.From);
    }
}
