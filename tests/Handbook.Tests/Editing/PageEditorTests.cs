using Handbook.Editing;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Editing;

/// <summary>The editing use case without a browser: what the file becomes, what is checked, what a conflict keeps.</summary>
public sealed class PageEditorTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    private PageStore Store => factory.Services.GetRequiredService<PageStore>();

    private EditSession Open(string path, System.Security.Claims.ClaimsPrincipal? user = null) =>
        factory.Services.GetRequiredService<PageEditor>().Open(PagePath.Parse(path), null, null, user ?? ProtectionPropertyTests.Worker,
            factory.Services.GetRequiredService<SaveMessages>()).Session!;

    [Fact]
    public void UnchangedSession_BuildsTheFileByteForByte()
    {
        var session = Open("procedures/leefloon-aanvragen");
        Assert.Equal(Store.Read(PagePath.Parse("procedures/leefloon-aanvragen"))!.Text, session.BuildText());
    }

    [Fact]
    public void AChangedField_RewritesOnlyItsLine()
    {
        var session = Open("procedures/leefloon-aanvragen");
        session.Fields.Owner = "Backoffice budgethulp";
        session.Fields.Tags = "leefloon, inkomen, dringend";
        var before = session.OriginalText.Split('\n');
        var after = session.BuildText().Split('\n');
        Assert.Equal(before.Length, after.Length);
        var changed = before.Zip(after).Where(p => p.First != p.Second).ToList();
        Assert.Equal(2, changed.Count);
        Assert.Equal("owner: Backoffice budgethulp", changed[0].Second);
        Assert.Equal("tags: [leefloon, inkomen, dringend]", changed[1].Second);
    }

    [Fact]
    public async Task OnlyAddedLines_GoPastThePrivacyGuard()
    {
        var path = PagePath.Parse("werking/voorbeeld-nummer");
        var confirmed = await factory.Services.GetRequiredService<PageCommands>().SaveAsync(ProtectionPropertyTests.Worker,
            new SaveCommand(path, "Voorbeeld: 85.07.30-123.35\n", "voorbeeld", null, "", PrivacyReason: "fictief voorbeeld"));
        Assert.True(confirmed.Succeeded);

        var session = Open(path.Value);
        session.Body += "Een nieuwe regel zonder nummers.\n";
        Assert.True((await session.SaveAsync(ProtectionPropertyTests.Worker, "aanvulling", null)).Succeeded);

        session = Open(path.Value);
        session.Body += "Nog een: 85.07.30-123.35 in een nieuwe regel.\n";
        var blocked = await session.SaveAsync(ProtectionPropertyTests.Worker, "nummer", null);
        Assert.Null(blocked.Result);
        Assert.Single(blocked.PrivacyFindings);
        Assert.Equal(3, blocked.PrivacyFindings[0].Line);
    }

    [Fact]
    public async Task KeepMine_PutsMyBodyAndFieldsOnTheirFrontMatter_AndKeepsTheirProtectedFlag()
    {
        var path = PagePath.Parse("procedures/huurwaarborg");
        var mine = Open(path.Value);
        // An administrator changes the same line, and the owner, and protects the page.
        var theirs = Store.Read(path)!;
        var text = Handbook.Rendering.FrontMatterText.SetField(theirs.Text, "owner", "Team wonen")
            .Replace("Huurwaarborg via het OCMW.", "Huurwaarborg via het OCMW of de bank.", StringComparison.Ordinal);
        Assert.IsType<SaveResult.Saved>((await factory.Services.GetRequiredService<PageCommands>().SaveAsync(ProtectionPropertyTests.Admin,
            new SaveCommand(path, text, "beheer", theirs.Revision, theirs.Text))).Result);

        mine.Body = mine.Body.Replace("Huurwaarborg via het OCMW.", "Huurwaarborg via het OCMW (vraag raad).", StringComparison.Ordinal);
        mine.Fields.Summary = "Hoe je een huurwaarborg regelt.";
        var conflict = Assert.IsType<SaveResult.Conflict>((await mine.SaveAsync(ProtectionPropertyTests.Admin, "mijn versie", null)).Result);

        var kept = await mine.KeepMineAsync(ProtectionPropertyTests.Admin, conflict, "toch mijn versie", null);
        Assert.IsType<SaveResult.Saved>(kept.Result);
        var saved = Store.Read(path)!.Text;
        Assert.Contains("Huurwaarborg via het OCMW (vraag raad).", saved, StringComparison.Ordinal);
        Assert.Contains("summary: Hoe je een huurwaarborg regelt.", saved, StringComparison.Ordinal);
        Assert.Contains("owner: Team wonen", saved, StringComparison.Ordinal); // their field change, which I did not touch

        // And when they protected it meanwhile, a worker's "keep mine" is refused and the flag stays.
        var worker = Open(path.Value);
        var tip = Store.Read(path)!;
        Assert.IsType<SaveResult.Saved>((await factory.Services.GetRequiredService<PageCommands>().SaveAsync(ProtectionPropertyTests.Admin,
            new SaveCommand(path, Handbook.Rendering.FrontMatterText.SetField(tip.Text, "protected", "true").Replace("(vraag raad)", "(beheer)", StringComparison.Ordinal), "beschermd", tip.Revision, tip.Text))).Result);
        worker.Body = worker.Body.Replace("(vraag raad)", "(werker)", StringComparison.Ordinal);
        var refused = await worker.SaveAsync(ProtectionPropertyTests.Worker, "werker", null);
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(refused.Result).Error);
        Assert.True(worker.ReadOnly);
        Assert.Contains("protected: true", Store.Read(path)!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ANewPage_StartsFromItsTemplate()
    {
        var session = factory.Services.GetRequiredService<PageEditor>().Open(PagePath.Parse("werking/nieuw-sjabloon"), "procedure", "Nieuwe procedure",
            ProtectionPropertyTests.Worker, factory.Services.GetRequiredService<SaveMessages>()).Session!;
        Assert.True(session.IsNew);
        Assert.Null(session.BaseRevision);
        Assert.Equal("Nieuwe procedure", session.Fields.Title);
    }
}
