using System.Text.Json;
using Handbook.Rendering.Glossary;
using Handbook.Search;

namespace Handbook.Tests.Search;

public sealed class AcronymAnswersTests
{
    private static readonly Glossary Glossary = Handbook.Rendering.Glossary.Glossary.Parse("afkortingen", """
        | Afkorting | Betekenis |
        |---|---|
        | GPMI | Geïndividualiseerd project voor maatschappelijke integratie |
        | K&G | Kind en Gezin |
        | MA | Maatschappelijk assistent |
        | OCMW | Openbaar centrum voor maatschappelijk welzijn |
        | XYZ | |
        """);

    [Theory]
    [InlineData("GPMI")]
    [InlineData("gpmi")]
    [InlineData(" Gpmi ")]
    [InlineData("Geïndividualiseerd project voor maatschappelijke integratie")]
    [InlineData("geindividualiseerd  project voor maatschappelijke integratie")]
    public void Find_AnswersTheAcronym_InAnyCase_AndItsExpansion(string query)
    {
        var answer = Assert.Single(AcronymAnswers.Find(query, Glossary));
        Assert.Equal("GPMI", answer.Acronym);
        Assert.Equal("Geïndividualiseerd project voor maatschappelijke integratie", answer.Expansion);
        Assert.Equal("/wiki/afkortingen#user-content-afk-gpmi", answer.Href);
    }

    [Fact]
    public void Find_AcronymWithPunctuation_AndATwoLetterOne()
    {
        Assert.Equal("K&G", Assert.Single(AcronymAnswers.Find("k&g", Glossary)).Acronym);
        Assert.Equal("/wiki/afkortingen#user-content-afk-k-g", Assert.Single(AcronymAnswers.Find("K&G", Glossary)).Href);
        Assert.Equal("MA", Assert.Single(AcronymAnswers.Find("ma", Glossary)).Acronym);
    }

    [Theory]
    [InlineData("leefloon")]
    [InlineData("GPM")]
    [InlineData("XYZ")] // no meaning filled in yet: nothing to answer
    [InlineData("maatschappelijk")]
    [InlineData("")]
    public void Find_AnswersNothing_ForOtherWords(string query) => Assert.Empty(AcronymAnswers.Find(query, Glossary));

    [Fact]
    public void Find_AsYouType_AnswersTheStartOfAnExpansion_OnlyFromEightCharacters()
    {
        Assert.Equal("GPMI", Assert.Single(AcronymAnswers.Find("geïndividualis", Glossary, asYouType: true)).Acronym);
        Assert.Empty(AcronymAnswers.Find("geïndividualis", Glossary));
        Assert.Empty(AcronymAnswers.Find("kind e", Glossary, asYouType: true));
        Assert.Equal("OCMW", Assert.Single(AcronymAnswers.Find("openbaar centrum", Glossary, asYouType: true)).Acronym);
    }
}

public sealed class AcronymAnswerHttpTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    [Theory]
    [InlineData("SVK")]
    [InlineData("svk")]
    [InlineData("sociaal verhuurkantoor")]
    public async Task Suggest_GivesTheMeaningFirst_ThenPages(string typed)
    {
        using var client = await factory.SignedInClientAsync();
        var json = await client.GetStringAsync(new Uri("/api/search/suggest?q=" + Uri.EscapeDataString(typed), UriKind.Relative));
        using var doc = JsonDocument.Parse(json);
        var first = doc.RootElement[0];
        Assert.Equal("acronym", first.GetProperty("kind").GetString());
        Assert.StartsWith("SVK — ", first.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("#user-content-afk-svk", first.GetProperty("href").GetString(), StringComparison.Ordinal);
        Assert.True(doc.RootElement.GetArrayLength() > 1, "pages follow the meaning");
        Assert.Null(doc.RootElement[1].GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("SVK")]
    [InlineData("svk")]
    [InlineData("sociaal verhuurkantoor")]
    public async Task SearchPage_ShowsTheMeaningOnTop(string typed)
    {
        using var client = await factory.SignedInClientAsync();
        var html = await client.GetStringAsync(new Uri("/search?q=" + Uri.EscapeDataString(typed), UriKind.Relative));
        var answer = html.IndexOf("class=\"acronym-answer\"", StringComparison.Ordinal);
        Assert.True(answer > 0, "no answer on the results page");
        Assert.True(answer < html.IndexOf("class=\"search-results\"", StringComparison.Ordinal), "the answer comes before the results");
        Assert.Contains("<abbr>SVK</abbr> — sociaal verhuurkantoor</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchPage_ShowsNoMeaning_ForAnOrdinaryWord()
    {
        using var client = await factory.SignedInClientAsync();
        var html = await client.GetStringAsync(new Uri("/search?q=leefloon", UriKind.Relative));
        Assert.DoesNotContain("class=\"acronym-answer\"", html, StringComparison.Ordinal);
    }
}
