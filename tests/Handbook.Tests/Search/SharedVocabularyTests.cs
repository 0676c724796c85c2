using Handbook.Rendering.Glossary;
using Handbook.Search;

namespace Handbook.Tests.Search;

/// <summary>A city's glossary and synonyms combined with the shared (regional) handbook's: the city's rows win.</summary>
public sealed class SharedVocabularyTests
{
    [Fact]
    public void Synonyms_TheCitysRowForAWord_ReplacesTheSharedOne_TheOtherSharedRowsCome()
    {
        var local = Synonyms.Parse("synoniemen", "| Woord of uitdrukking | Betekent ook |\n|---|---|\n| schulden | budgethulp |\n");
        var shared = Synonyms.Parse("regio/synoniemen", "| Woord of uitdrukking | Betekent ook |\n|---|---|\n| Schulden | regionale schuldhulp |\n| werkwinkel | VDAB |\n");

        var combined = Synonyms.Combine(local, shared);

        Assert.Equal("synoniemen", combined.PagePath);
        Assert.Equal(["budgethulp"], combined.Lookup["schulden"]);
        Assert.Equal(["VDAB"], combined.Lookup["werkwinkel"]);
        Assert.DoesNotContain("regionale schuldhulp", combined.Lookup.Values.SelectMany(v => v));
        Assert.Same(local, Synonyms.Combine(local, Synonyms.Empty));
    }

    [Fact]
    public void Glossary_TheCitysExpansionWins_AnEmptyOneTakesTheShared_EachLinksToItsPage()
    {
        var local = Glossary.Parse("afkortingen", "| Afkorting | Betekenis |\n|---|---|\n| OCMW | Zoals de stad het zegt |\n| GBO |  |\n");
        var shared = Glossary.Parse("regio/afkortingen", "| Afkorting | Betekenis |\n|---|---|\n| OCMW | Zoals de regio het zegt |\n| GBO | Geïntegreerd breed onthaal |\n| RTA | Regionale testafspraak |\n");

        var combined = Glossary.Combine(local, shared);

        Assert.Equal("Zoals de stad het zegt", combined.Entries["OCMW"]);
        Assert.Equal("afkortingen", combined.PageOf("OCMW"));
        Assert.Equal("Geïntegreerd breed onthaal", combined.Entries["GBO"]);
        Assert.Equal("regio/afkortingen", combined.PageOf("GBO"));
        Assert.Equal("regio/afkortingen", combined.PageOf("RTA"));
        Assert.True(combined.IsPage("regio/afkortingen") && combined.IsPage("afkortingen"));
        Assert.Matches(combined.Pattern!, "de RTA geldt");
    }
}
