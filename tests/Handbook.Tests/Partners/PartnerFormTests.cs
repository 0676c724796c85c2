using Handbook.Editing;
using Handbook.GitStore;
using Handbook.Partners;
using Handbook.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Partners;

/// <summary>The partner fields of the edit form: what the file becomes when a worker changes some of them, or none.</summary>
public sealed class PartnerFormTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    private const string Page = """
        ---
        title: Testpartner
        afkorting:   TSTP
        themas: [wonen]
        telefoon: "+32 0 000 00 00"
        website:  https://partner.handbook.invalid
        zitdagen:
          - dag: dinsdag
            uren: 13:30-16:00
            week: [eerste, derde]
          - dag: vrijdag
            uren: "25:00-26:00"
        owner: Testteam
        ---
        # Testpartner

        Tekst.

        """;

    private async Task<EditSession> OpenAsync(string name)
    {
        var path = PagePath.Parse("sociale-kaart/" + name);
        var store = factory.Services.GetRequiredService<PageStore>();
        await store.SaveAsync(new SaveRequest(path, Page, new Author("Test", "test@demo.handbook.invalid"), "test", null));
        return factory.Services.GetRequiredService<PageEditor>().Open(path, null, null, Handbook.Tests.Editing.ProtectionPropertyTests.Worker,
            factory.Services.GetRequiredService<SaveMessages>()).Session!;
    }

    [Fact]
    public async Task UnchangedPartnerFields_KeepTheFileByteForByte_EvenAnInvalidValue()
    {
        var session = await OpenAsync("ongewijzigd");

        Assert.Equal("TSTP", session.Fields.Partner.Acronym);
        Assert.Equal("eerste, derde", session.Fields.Partner.Zitdagen[0].Week);
        Assert.Equal("25:00-26:00", session.Fields.Partner.Zitdagen[1].Hours);
        Assert.Equal(Page, session.BuildText());
    }

    [Fact]
    public async Task AChangedPartnerField_RewritesOnlyItsLine()
    {
        var session = await OpenAsync("een-veld");
        session.Fields.Partner.Phone = "+32 0 000 00 01";
        session.Fields.Partner.Themes.Add("schulden");

        var before = session.OriginalText.Split('\n');
        var after = session.BuildText().Split('\n');
        Assert.Equal(before.Length, after.Length);
        var changed = before.Zip(after).Where(p => p.First != p.Second).Select(p => p.Second).ToList();
        Assert.Equal(["themas: [wonen, schulden]", "telefoon: +32 0 000 00 01"], changed);
    }

    [Fact]
    public async Task AChangedZitdag_RewritesTheZitdagenBlock_AndTheOtherFieldsStay()
    {
        var session = await OpenAsync("zitdag");
        session.Fields.Partner.Zitdagen[1].Hours = "09:00-12:00";
        session.Fields.Partner.Zitdagen.Add(new ZitdagForm { Day = "woensdag", Hours = "10-11", Room = "Testlokaal", Appointment = "nee", Start = "2026-01-01" });

        var text = session.BuildText();
        Assert.Contains("afkorting:   TSTP\n", text, StringComparison.Ordinal);
        Assert.Contains("website:  https://partner.handbook.invalid\n", text, StringComparison.Ordinal);
        Assert.Contains("""
            zitdagen:
              - dag: dinsdag
                uren: "13:30-16:00"
                week: "eerste, derde"
              - dag: vrijdag
                uren: "09:00-12:00"
              - dag: woensdag
                uren: 10-11
                lokaal: Testlokaal
                op_afspraak: nee
                vanaf: 2026-01-01
            owner: Testteam
            """, text, StringComparison.Ordinal);
        var profile = PartnerFieldsReader.Read(FrontMatterText.Split(text).Yaml, PartnerFieldsReader.DefaultThemes);
        Assert.Empty(profile.Issues);
        Assert.Equal(3, profile.Zitdagen.Count);
        Assert.Equal(new WeekRule(WeekKind.OfMonth, [1, 3]), profile.Zitdagen[0].Weeks);
        Assert.False(profile.Zitdagen[2].ByAppointment);
    }

    [Fact]
    public async Task EmptyingAField_RemovesIt_AndRemovingEveryZitdag_RemovesTheBlock()
    {
        var session = await OpenAsync("leeg");
        session.Fields.Partner.Website = "";
        session.Fields.Partner.Zitdagen.Clear();

        var text = session.BuildText();
        Assert.DoesNotContain("website", text, StringComparison.Ordinal);
        Assert.DoesNotContain("zitdagen", text, StringComparison.Ordinal);
        Assert.Contains("owner: Testteam\n---\n# Testpartner", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SaysWhatIsWrongWithTheValuesAsTyped()
    {
        var session = await OpenAsync("valideren");
        var form = session.Fields.Partner;
        form.Email = "geen-adres";
        form.Zitdagen[0].Start = "2026-06-01";
        form.Zitdagen[0].End = "2026-01-01";

        var issues = form.Validate(PartnerFieldsReader.DefaultThemes);
        Assert.Contains(new PartnerIssue("email", PartnerIssueKind.InvalidEmail, "geen-adres"), issues);
        Assert.Contains(new PartnerIssue("uren", PartnerIssueKind.InvalidHours, "25:00-26:00", 2), issues);
        Assert.Contains(new PartnerIssue("tot", PartnerIssueKind.EndBeforeStart, "2026-01-01", 1), issues);
        Assert.Equal(3, issues.Count);
    }

    [Fact]
    public void TheNewPartnerTemplate_HasEveryFieldEmpty_AndReadsWithoutIssues()
    {
        var text = PageTemplates.Create("partner", "Nieuwe partner");
        var yaml = FrontMatterText.Split(text).Yaml;
        foreach (var key in new[] { "afkorting", "themas", "doelgroepen", "adressen", "telefoon", "email", "website", "openingsuren", "verwijzen", "zitdagen" })
        {
            Assert.Contains("\n" + key + ":", "\n" + yaml, StringComparison.Ordinal);
        }

        var profile = PartnerFieldsReader.Read(yaml, PartnerFieldsReader.DefaultThemes);
        Assert.Empty(profile.Issues);
        Assert.False(profile.HasContact);
        Assert.Null(FrontMatter.Parse(yaml).Error);
    }
}
