using System.Net;
using System.Text.Json;
using Handbook.Offline;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Handbook.Tests.Offline;

/// <summary>The offline manifest: what a device may take, for whom, and for how long.</summary>
public sealed class OfflineManifestTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    private static List<string> Paths(JsonDocument doc) =>
        doc.RootElement.GetProperty("pages").EnumerateArray().Select(p => p.GetProperty("path").GetString()!).ToList();

    [Fact]
    public async Task Manifest_ListsThePagesWithBlobIds_ButNotProtectedOnes_ForTheSignedInWorker()
    {
        using var client = await factory.SignedInClientAsync("ma");
        var response = await client.GetAsync(new Uri(OfflineEndpoints.ManifestPath, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = Paths(doc);
        Assert.Contains("procedures/huurwaarborg", paths);
        Assert.Contains("afkortingen", paths);
        Assert.DoesNotContain("werking/beleid", paths); // protected: online only
        var page = doc.RootElement.GetProperty("pages").EnumerateArray().First(p => p.GetProperty("path").GetString() == "procedures/huurwaarborg");
        Assert.Matches("^[0-9a-f]{40}$", page.GetProperty("blob").GetString());
        Assert.Equal("/wiki/procedures/huurwaarborg", page.GetProperty("href").GetString());
        Assert.Equal(14, doc.RootElement.GetProperty("days").GetInt32());
        Assert.Equal(OfflineEndpoints.UserKey("ma@demo.handbook.invalid"), doc.RootElement.GetProperty("user").GetString());
        Assert.Contains(doc.RootElement.GetProperty("glossary").EnumerateArray(), g => g.GetProperty("acronym").GetString() == "SVK");
    }

    [Fact]
    public async Task Manifest_ForChosenSections_HoldsThoseAndThePagesOutsideSections()
    {
        using var client = await factory.SignedInClientAsync("ma");
        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri(OfflineEndpoints.ManifestPath + "?sections=doelgroepen", UriKind.Relative)));
        var paths = Paths(doc);
        Assert.Contains("doelgroepen/oekrainers", paths);
        Assert.Contains("afkortingen", paths);
        Assert.Contains("index", paths);
        Assert.DoesNotContain("procedures/huurwaarborg", paths);
        Assert.DoesNotContain("procedures/leefloon-aanvragen", paths);
    }

    [Fact]
    public async Task Manifest_IsRefusedWithoutSignIn_AndOwnersDiffer()
    {
        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await anonymous.GetAsync(new Uri(OfflineEndpoints.ManifestPath, UriKind.Relative));
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, response.StatusCode.ToString());
        Assert.NotEqual(OfflineEndpoints.UserKey("ma@demo.handbook.invalid"), OfflineEndpoints.UserKey("jurist@demo.handbook.invalid"));
        Assert.Equal(OfflineEndpoints.UserKey("MA@demo.handbook.invalid "), OfflineEndpoints.UserKey("ma@demo.handbook.invalid"));
    }

    [Fact]
    public async Task SignOut_TellsTheBrowserToDeleteTheSiteStorage()
    {
        using var client = await factory.SignedInClientAsync("ma");
        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        var response = await client.PostAsync(new Uri("/signout", UriKind.Relative),
            new FormUrlEncodedContent([new KeyValuePair<string, string>("__RequestVerificationToken", token)]));
        Assert.Contains("\"storage\"", string.Join(",", response.Headers.TryGetValues("Clear-Site-Data", out var v) ? v : []), StringComparison.Ordinal);
    }
}
