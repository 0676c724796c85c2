using Handbook.Partners;

namespace Handbook.Tests.Partners;

public sealed class PartnerFieldsReaderTests
{
    private static readonly IReadOnlyList<string> Themes = PartnerFieldsReader.DefaultThemes;

    private const string Complete = """
        title: Testpartner
        afkorting: TSTP
        themas: [wonen, schulden]
        doelgroepen: [Ouderen]
        adressen:
          - Teststraat 0, 0000 Nergens
          - Tweede adres 0
        telefoon: "+32 0 000 00 00"
        email: test@demo.handbook.invalid
        website: https://partner.handbook.invalid/onthaal
        openingsuren: ma–vr 9–12 u
        verwijzen: [telefonisch, warme-overdracht]
        zitdagen:
          - dag: dinsdag
            uren: "13:30-16:00"
            week: eerste
            lokaal: Testlokaal 1
            op_afspraak: ja
            vanaf: 2026-01-01
            tot: 2026-12-31
          - dag: Donderdag
            uren: 9-12
        """;

    [Fact]
    public void Read_EveryFieldValid_ReadsEachFieldAndNoIssues()
    {
        var p = PartnerFieldsReader.Read(Complete, Themes);

        Assert.Empty(p.Issues);
        Assert.Equal("TSTP", p.Acronym);
        Assert.Equal(["wonen", "schulden"], p.Themes);
        Assert.Equal(["Teststraat 0, 0000 Nergens", "Tweede adres 0"], p.Addresses);
        Assert.Equal("+32 0 000 00 00", p.Phone);
        Assert.Equal("test@demo.handbook.invalid", p.Email);
        Assert.Equal("https://partner.handbook.invalid/onthaal", p.Website!.AbsoluteUri);
        Assert.Equal("ma–vr 9–12 u", p.OpeningHours);
        Assert.Equal(["telefonisch", "warme-overdracht"], p.Referral);
        Assert.Equal(2, p.Zitdagen.Count);
        var first = p.Zitdagen[0];
        Assert.Equal(DayOfWeek.Tuesday, first.Day);
        Assert.Equal(new TimeOnly(13, 30), first.From);
        Assert.Equal(new TimeOnly(16, 0), first.Until);
        Assert.Equal(new WeekRule(WeekKind.OfMonth, [1]), first.Weeks);
        Assert.Equal("Testlokaal 1", first.Room);
        Assert.True(first.ByAppointment);
        Assert.Equal(new DateOnly(2026, 1, 1), first.StartDate);
        Assert.Equal(new DateOnly(2026, 12, 31), first.EndDate);
        var second = p.Zitdagen[1];
        Assert.Equal(DayOfWeek.Thursday, second.Day);
        Assert.Equal((new TimeOnly(9, 0), new TimeOnly(12, 0)), (second.From!.Value, second.Until!.Value));
        Assert.Equal(WeekRule.Every, second.Weeks);
        Assert.Null(second.ByAppointment);
        Assert.Null(second.Room);
    }

    [Theory]
    [InlineData("telefoon: +3200000000", "+3200000000")]
    [InlineData("telefoon: 000 00 00 00", "000 00 00 00")]
    [InlineData("telefoon: 0000/00.00.00", "0000/00.00.00")]
    public void Read_PhoneWrittenWithoutQuotes_IsText(string yaml, string phone) =>
        Assert.Equal(phone, PartnerFieldsReader.Read(yaml, Themes).Phone);

    [Fact]
    public void Read_NoPartnerFields_IsEmptyWithoutIssues()
    {
        var p = PartnerFieldsReader.Read("title: Gewone pagina\ntags: [x]\n", Themes);

        Assert.Empty(p.Issues);
        Assert.Null(p.Acronym);
        Assert.Empty(p.Themes);
        Assert.Empty(p.Zitdagen);
        Assert.False(p.HasContact);
        Assert.Same(PartnerProfile.Empty, PartnerFieldsReader.Read("", Themes));
    }

    [Fact]
    public void Read_EmptyTemplateFields_AreMissingNotWrong()
    {
        var p = PartnerFieldsReader.Read("afkorting: \nthemas: []\nadressen: []\ntelefoon: \nemail: \nwebsite: \nverwijzen: []\nzitdagen: []\n", Themes);

        Assert.Empty(p.Issues);
        Assert.Null(p.Phone);
        Assert.Empty(p.Zitdagen);
    }

    [Fact]
    public void Read_ZitdagWithoutDayOrHours_IsKeptAsToBeCompleted()
    {
        var p = PartnerFieldsReader.Read("zitdagen:\n  - uren: \"13:30-16:00\"\n  - op_afspraak: nee\n", Themes);

        Assert.Empty(p.Issues);
        Assert.Null(p.Zitdagen[0].Day);
        Assert.Equal(new TimeOnly(13, 30), p.Zitdagen[0].From);
        Assert.Null(p.Zitdagen[1].From);
        Assert.False(p.Zitdagen[1].ByAppointment);
    }

    [Theory]
    [InlineData("13:30-16:00", 13, 30, 16, 0)]
    [InlineData("9-12", 9, 0, 12, 0)]
    [InlineData("13u30 – 16u", 13, 30, 16, 0)]
    [InlineData("13.30-16.00", 13, 30, 16, 0)]
    [InlineData(" 08:05 - 08:45 ", 8, 5, 8, 45)]
    public void TryParseHours_Valid(string text, int h1, int m1, int h2, int m2)
    {
        Assert.True(PartnerFieldsReader.TryParseHours(text, out var from, out var until));
        Assert.Equal(new TimeOnly(h1, m1), from);
        Assert.Equal(new TimeOnly(h2, m2), until);
    }

    [Theory]
    [InlineData("25:00-26:00")]
    [InlineData("13:60-14:00")]
    [InlineData("16:00-13:30")]
    [InlineData("13:30")]
    [InlineData("half twee")]
    [InlineData("13:30-16:00-18:00")]
    [InlineData("")]
    public void TryParseHours_Malformed(string text) => Assert.False(PartnerFieldsReader.TryParseHours(text, out _, out _));

    [Theory]
    [InlineData("zitdagen:\n  - dag: dinsdag\n    uren: \"25:00-26:00\"\n", "uren", PartnerIssueKind.InvalidHours, "25:00-26:00")]
    [InlineData("zitdagen:\n  - dag: dinsdag\n    uren: half twee\n", "uren", PartnerIssueKind.InvalidHours, "half twee")]
    [InlineData("zitdagen:\n  - dag: dinsdagg\n", "dag", PartnerIssueKind.InvalidDay, "dinsdagg")]
    [InlineData("zitdagen:\n  - dag: dinsdag\n    week: vijfde\n", "week", PartnerIssueKind.InvalidWeek, "vijfde")]
    [InlineData("zitdagen:\n  - dag: dinsdag\n    op_afspraak: soms\n", "op_afspraak", PartnerIssueKind.InvalidYesNo, "soms")]
    [InlineData("zitdagen:\n  - dag: dinsdag\n    vanaf: 2026-13-01\n", "vanaf", PartnerIssueKind.InvalidDate, "2026-13-01")]
    [InlineData("zitdagen:\n  - dag: dinsdag\n    tot: 31/12/2026\n", "tot", PartnerIssueKind.InvalidDate, "31/12/2026")]
    [InlineData("zitdagen:\n  - dag: dinsdag\n    vanaf: 2026-06-01\n    tot: 2026-01-01\n", "tot", PartnerIssueKind.EndBeforeStart, "2026-01-01")]
    public void Read_MalformedZitdagValue_IsAnIssueOfThatZitdag_AndTheRestStays(string yaml, string field, PartnerIssueKind kind, string value)
    {
        var p = PartnerFieldsReader.Read("afkorting: TSTP\n" + yaml, Themes);

        var issue = Assert.Single(p.Issues);
        Assert.Equal(new PartnerIssue(field, kind, value, 1), issue);
        Assert.Equal("TSTP", p.Acronym);
        var zitdag = Assert.Single(p.Zitdagen);
        Assert.Equal(field == "dag" ? null : DayOfWeek.Tuesday, zitdag.Day);
    }

    [Theory]
    [InlineData("themas: [wonen, ruimtevaart]", "themas", PartnerIssueKind.UnknownTheme, "ruimtevaart")]
    [InlineData("verwijzen: [telefonisch, duif]", "verwijzen", PartnerIssueKind.UnknownReferral, "duif")]
    [InlineData("telefoon: bel maar", "telefoon", PartnerIssueKind.InvalidPhone, "bel maar")]
    [InlineData("telefoon: \"12\"", "telefoon", PartnerIssueKind.InvalidPhone, "12")]
    [InlineData("email: geen-adres", "email", PartnerIssueKind.InvalidEmail, "geen-adres")]
    [InlineData("website: www.zonder-schema.invalid", "website", PartnerIssueKind.InvalidWebsite, "www.zonder-schema.invalid")]
    [InlineData("website: javascript:alert(1)", "website", PartnerIssueKind.InvalidWebsite, "javascript:alert(1)")]
    [InlineData("zitdagen: elke dinsdag", "zitdagen", PartnerIssueKind.WrongShape, "elke dinsdag")]
    [InlineData("afkorting: [A, B]", "afkorting", PartnerIssueKind.WrongShape, "[A, B]")]
    [InlineData("adressen: {straat: x}", "adressen", PartnerIssueKind.WrongShape, "{…}")]
    public void Read_MalformedField_IsAnIssue_AndTheFieldStaysEmpty(string yaml, string field, PartnerIssueKind kind, string value)
    {
        var p = PartnerFieldsReader.Read("title: T\n" + yaml + "\n", Themes);

        Assert.Equal(new PartnerIssue(field, kind, value), Assert.Single(p.Issues));
        Assert.DoesNotContain("ruimtevaart", p.Themes);
        Assert.DoesNotContain("duif", p.Referral);
        if (field is "telefoon" or "email" or "website")
        {
            Assert.False(p.HasContact);
        }
    }

    [Fact]
    public void Read_AZitdagThatIsNoMap_IsAnIssue_TheOthersAreRead()
    {
        var p = PartnerFieldsReader.Read("zitdagen:\n  - dinsdag\n  - dag: woensdag\n", Themes);

        Assert.Equal(new PartnerIssue("zitdagen", PartnerIssueKind.WrongShape, "dinsdag", 1), Assert.Single(p.Issues));
        Assert.Equal(DayOfWeek.Wednesday, Assert.Single(p.Zitdagen).Day);
    }

    [Fact]
    public void Read_BrokenYaml_NeverThrows()
    {
        Assert.Same(PartnerProfile.Empty, PartnerFieldsReader.Read("zitdagen: [\n  - dag: : :", Themes));
        Assert.Same(PartnerProfile.Empty, PartnerFieldsReader.Read("a: &x 1\nb: *x\n", Themes));
    }

    [Theory]
    [InlineData("elke", WeekKind.Every, new int[0])]
    [InlineData("eerste", WeekKind.OfMonth, new[] { 1 })]
    [InlineData("eerste, derde", WeekKind.OfMonth, new[] { 1, 3 })]
    [InlineData("laatste", WeekKind.OfMonth, new[] { WeekRule.Last })]
    [InlineData("even", WeekKind.EvenWeeks, new int[0])]
    [InlineData("oneven", WeekKind.OddWeeks, new int[0])]
    public void ParseWeek_ReadsEachForm_AndWritesItBack(string text, WeekKind kind, int[] ordinals)
    {
        var rule = PartnerFieldsReader.ParseWeek(text.Split(',').Select(t => t.Trim()).ToList());
        Assert.Equal(new WeekRule(kind, ordinals), rule);
        Assert.Equal(text, PartnerFieldsReader.WeekText(rule!));
    }

    [Fact]
    public void Read_ThemesComeFromTheGivenList_CaseInsensitive()
    {
        var p = PartnerFieldsReader.Read("themas: [Wonen, maan]\n", ["wonen", "maan"]);
        Assert.Equal(["wonen", "maan"], p.Themes);
        Assert.Empty(p.Issues);
    }
}
