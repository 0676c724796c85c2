using Handbook.Search;

namespace Handbook.Tests.Search;

public sealed class SearchAnalyzerTests : IDisposable
{
    private static readonly Dictionary<string, string> Glossary = new(StringComparer.Ordinal)
    {
        ["SVK"] = "sociaal verhuurkantoor",
        ["K&G"] = "Kind en Gezin",
        ["OCMW"] = "Openbaar Centrum voor Maatschappelijk Welzijn",
        ["XYZ"] = "",
    };

    private readonly HandbookAnalyzer _analyzer = new();

    public void Dispose() => _analyzer.Dispose();

    private string[] Terms(string text) => _analyzer.Terms(SearchFields.Query, text).Select(t => t.Term).ToArray();

    [Theory]
    [InlineData("leefloon", "leeflonen")]
    [InlineData("aanvragen", "aanvraag")]
    [InlineData("woning", "woningen")]
    [InlineData("Oekraïners", "Oekrainers")]
    [InlineData("cliënten", "client")]
    public void Analyzer_GivesBothFormsTheSameTerm(string one, string other) =>
        Assert.Equal(Terms(one), Terms(other));

    [Fact]
    public void Analyzer_RemovesDutchStopWordsAndKeepsContentWords()
    {
        var terms = Terms("De aanvraag van het leefloon en de huurwaarborg");
        Assert.DoesNotContain("de", terms);
        Assert.DoesNotContain("van", terms);
        Assert.DoesNotContain("het", terms);
        Assert.Equal(3, terms.Length);
    }

    [Fact]
    public void IndexedText_AddsTheKnownPartsOfACompoundAtTheSamePosition()
    {
        var terms = _analyzer.Terms(SearchFields.Body, "De huurwaarborg en de leefloonwet");
        Assert.Equal(Terms("huurwaarborg huur waarborg leefloonwet leefloon wet").Order(), terms.Select(t => t.Term).Order());
        Assert.Equal(3, terms.Count(t => t.Position == terms[0].Position));
        Assert.Equal(["huurwaarborg"], Terms("huurwaarborg"));
    }

    [Fact]
    public void Analyzer_DistinguishesDifferentWords() =>
        Assert.NotEqual(Terms("leefloon"), Terms("huurwaarborg"));

    [Fact]
    public void WordsField_KeepsWholeFoldedWordsForDidYouMean() =>
        Assert.Equal(["de", "oekrainers", "leeflonen"], _analyzer.Terms(SearchFields.Words, "De Oekraïners leeflonen").Select(t => t.Term));

    [Fact]
    public void Acronym_IsExpandedToItsMeaning()
    {
        var parts = SearchQueryBuilder.Parts("svk huurwoning", Glossary);
        Assert.Equal(2, parts.Count);
        Assert.Equal(["SVK", "sociaal verhuurkantoor"], parts[0].Alternatives);
        Assert.Equal(["huurwoning"], parts[1].Alternatives);
    }

    [Fact]
    public void Meaning_IsExpandedToItsAcronym_EvenWithOtherCaseAndWords()
    {
        var parts = SearchQueryBuilder.Parts("Wachtlijst Sociaal Verhuurkantoor", Glossary);
        Assert.Equal(2, parts.Count);
        Assert.Equal(["wachtlijst"], parts[0].Alternatives);
        Assert.Equal(["SVK", "sociaal verhuurkantoor"], parts[1].Alternatives);
    }

    [Fact]
    public void AcronymWithAmpersand_AndEmptyMeaning()
    {
        Assert.Equal(["K&G", "Kind en Gezin"], SearchQueryBuilder.Parts("K&G", Glossary).Single().Alternatives);
        Assert.Equal(["xyz"], SearchQueryBuilder.Parts("XYZ", Glossary).Single().Alternatives);
    }

    [Fact]
    public void Highlighter_MarksStemMatchesAndEscapesEverythingElse()
    {
        var highlighter = new SnippetHighlighter(_analyzer);
        var terms = Terms("leefloon").ToHashSet();
        var html = highlighter.Highlight("Twee <b>leeflonen</b> & één leefloon.", terms);
        Assert.Equal("Twee &lt;b&gt;<mark>leeflonen</mark>&lt;/b&gt; &amp; één <mark>leefloon</mark>.", html);
    }

    [Fact]
    public void Highlighter_CutsAroundTheMatches()
    {
        var highlighter = new SnippetHighlighter(_analyzer);
        var text = string.Concat(Enumerable.Repeat("vulwoord ", 100)) + "huurwaarborg " + string.Concat(Enumerable.Repeat("vulwoord ", 100));
        var html = highlighter.Highlight(text, Terms("huurwaarborg").ToHashSet());
        Assert.StartsWith("… ", html, StringComparison.Ordinal);
        Assert.EndsWith(" …", html, StringComparison.Ordinal);
        Assert.Contains("<mark>huurwaarborg</mark>", html, StringComparison.Ordinal);
        Assert.True(html.Length < 300);
    }

    [Fact]
    public void Highlighter_WhenTheLikelyPlaceHoldsNoRealMatch_StillFindsTheRealOne()
    {
        // "slopen" contains the letters of the stem "lop" (of "lopen") but is another word: the quick text scan
        // points at the start, the analyzer finds no match there, and the whole text is analysed instead.
        var highlighter = new SnippetHighlighter(_analyzer);
        var text = string.Concat(Enumerable.Repeat("slopen ", 40)) + string.Concat(Enumerable.Repeat("vulwoord ", 100)) + "wij lopen samen " + string.Concat(Enumerable.Repeat("vulwoord ", 20));
        var html = highlighter.Highlight(text, Terms("lopen").ToHashSet());
        Assert.Contains("wij <mark>lopen</mark> samen", html, StringComparison.Ordinal);
        Assert.DoesNotContain("slopen", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Highlighter_MarksDoubledVowelStemsAndCompoundPartsFoundByTheQuickScan()
    {
        // The stems drop a doubled vowel ("leefloon" → "leeflon"); the quick scan must still find the spot.
        var highlighter = new SnippetHighlighter(_analyzer);
        var text = string.Concat(Enumerable.Repeat("vulwoord ", 150)) + "Een leefloon en een huurwaarborg. " + string.Concat(Enumerable.Repeat("vulwoord ", 150));
        var html = highlighter.Highlight(text, Terms("leefloon waarborg").ToHashSet());
        Assert.Contains("Een <mark>leefloon</mark> en een <mark>huurwaarborg</mark>.", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("huurwaarborg", "huurwaarbrog", 1)]
    [InlineData("schuldbemiddeling", "schuldbemidelling", 2)]
    [InlineData("leefloon", "leefloon", 0)]
    [InlineData("kat", "hond", 4)]
    public void Distance_CountsASwapAsOneEdit(string a, string b, int expected) =>
        Assert.Equal(expected, SpellingSuggester.Distance(a, b));
}
