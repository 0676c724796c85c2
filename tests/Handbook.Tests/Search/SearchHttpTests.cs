using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Handbook.Tests.Search;

public sealed class SearchHttpTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    [Fact]
    public async Task Suggest_AnswersUnauthorizedWhenAnonymous()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(new Uri("/api/search/suggest?q=leefloon", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("leeflonen")]
    [InlineData("leeflo")]
    public async Task Suggest_GivesTheBestPagesAsJson_AlsoForAnUnfinishedWord(string typed)
    {
        using var client = await factory.SignedInClientAsync();
        var json = await client.GetStringAsync(new Uri("/api/search/suggest?q=" + typed, UriKind.Relative));
        using var doc = JsonDocument.Parse(json);
        var first = doc.RootElement[0];
        Assert.Equal("Leefloon aanvragen", first.GetProperty("title").GetString());
        Assert.Equal("/wiki/procedures/leefloon-aanvragen", first.GetProperty("href").GetString());
    }

    [Fact]
    public async Task SearchPage_ShowsResultsWithHighlightsFiltersAndLastChange()
    {
        using var client = await factory.SignedInClientAsync();
        var html = await client.GetStringAsync(new Uri("/search?q=leefloon", UriKind.Relative));
        Assert.Contains("&amp;pad=procedures%2Fleefloon-aanvragen\"", html, StringComparison.Ordinal);
        Assert.Contains("<mark>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"filter-doelgroep\"", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Oekra", html, StringComparison.Ordinal);
        Assert.Contains("Laatst gewijzigd door", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchPage_OffersDidYouMean()
    {
        using var client = await factory.SignedInClientAsync();
        var html = await client.GetStringAsync(new Uri("/search?q=huurwaarbrog", UriKind.Relative));
        Assert.Contains("Bedoelde je:", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/search?q=huurwaarborg\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchPage_IsInEnglishWhenAsked()
    {
        using var client = await factory.SignedInClientAsync();
        var html = await client.GetStringAsync(new Uri("/search?q=leefloon&culture=en", UriKind.Relative));
        Assert.Contains("Search results for", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexAdministration_IsForAdministratorsOnly()
    {
        using var worker = await factory.SignedInClientAsync("ma");
        var denied = await worker.GetAsync(new Uri("/beheer/zoekindex", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);

        using var admin = await factory.SignedInClientAsync("manager");
        var html = await admin.GetStringAsync(new Uri("/beheer/zoekindex", UriKind.Relative));
        Assert.Contains("Zoekindex opnieuw opbouwen", html, StringComparison.Ordinal);
    }
}
