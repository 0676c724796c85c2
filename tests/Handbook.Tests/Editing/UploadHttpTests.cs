using System.Net;
using System.Net.Http.Headers;
using Handbook.Editing;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

public sealed class UploadHttpTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    [Fact]
    public async Task Upload_StoresImageBesideThePage_AndRefusesSvgAndMissingToken()
    {
        using var client = await factory.SignedInClientAsync();
        var html = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        using var ok = Form(png, "Schema Leefloon.PNG", token);
        var response = await client.PostAsync(new Uri("/api/files/procedures/leefloon-aanvragen", UriKind.Relative), ok);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/files/procedures/leefloon-aanvragen/schema-leefloon.png", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var store = factory.Services.GetRequiredService<PageStore>();
        Assert.True(AttachmentPath.TryParse("procedures/leefloon-aanvragen/schema-leefloon.png", out var stored, out _));
        Assert.Equal(png, store.ReadAttachment(stored));
        var log = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "log -1 --format=%an|%s main")
        {
            WorkingDirectory = store.RepositoryPath, RedirectStandardOutput = true,
        })!;
        Assert.Equal("Demo Maatschappelijk Assistent|Bijlage schema-leefloon.png toegevoegd bij procedures/leefloon-aanvragen", (await log.StandardOutput.ReadToEndAsync()).Trim());

        using var svg = Form("<svg onload=\"alert(1)\"/>"u8.ToArray(), "teken.svg", token);
        var refused = await client.PostAsync(new Uri("/api/files/procedures/leefloon-aanvragen", UriKind.Relative), svg);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("SVG", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var huge = new byte[21 * 1024 * 1024];
        png.CopyTo(huge, 0);
        using var tooLarge = Form(huge, "groot.png", token);
        var refusedLarge = await client.PostAsync(new Uri("/api/files/procedures/leefloon-aanvragen", UriKind.Relative), tooLarge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refusedLarge.StatusCode);
        Assert.Contains("groter dan 20 MB", await refusedLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var noToken = Form(png, "x.png", null);
        var forged = await client.PostAsync(new Uri("/api/files/procedures/leefloon-aanvragen", UriKind.Relative), noToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    private static MultipartFormDataContent Form(byte[] bytes, string name, string? token)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        if (token is not null)
        {
            form.Headers.Add("RequestVerificationToken", token);
        }

        return form;
    }
}
