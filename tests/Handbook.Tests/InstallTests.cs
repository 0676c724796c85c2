using System.Text.Json;

namespace Handbook.Tests;

/// <summary>The handbook can be put on a phone's home screen: a web app manifest with a Dutch name, icons and a theme colour.</summary>
public sealed class InstallTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    [Fact]
    public async Task EveryPage_LinksTheManifest_WhoseIconsAreServedInTheirSizes()
    {
        using var client = await factory.SignedInClientAsync();
        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<meta name=\"theme-color\" content=\"#0b5394\"", html, StringComparison.Ordinal);
        var href = System.Text.RegularExpressions.Regex.Match(html, "<link rel=\"manifest\" href=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(href);

        // The browser fetches the manifest without cookies: it must be served to anyone.
        using var anonymous = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await anonymous.GetAsync(new Uri(href.StartsWith('/') ? href : "/" + href, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{href}: {(int)response.StatusCode}");
        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType?.MediaType);
        using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = manifest.RootElement;
        Assert.Equal("Handboek Sociaal Huis", root.GetProperty("name").GetString());
        Assert.Equal("nl-BE", root.GetProperty("lang").GetString());
        Assert.Equal("standalone", root.GetProperty("display").GetString());
        Assert.Equal("/", root.GetProperty("start_url").GetString());

        var sizes = new List<string>();
        foreach (var icon in root.GetProperty("icons").EnumerateArray())
        {
            var src = "/" + icon.GetProperty("src").GetString();
            var bytes = await anonymous.GetByteArrayAsync(new Uri(src, UriKind.Relative));
            var size = icon.GetProperty("sizes").GetString()!;
            sizes.Add(size);
            if (icon.GetProperty("type").GetString() == "image/png")
            {
                // PNG: signature, then the IHDR chunk with width and height (big-endian) at bytes 16-23.
                Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
                var width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19];
                var height = (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23];
                Assert.Equal(size, $"{width}x{height}");
            }
            else
            {
                Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            }
        }

        Assert.Contains("192x192", sizes);
        Assert.Contains("512x512", sizes);
    }
}
