using System.Net;
using System.Net.Http.Headers;
using Handbook.Editing;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

public sealed class PrivacyGuardTests
{
    private readonly PrivacyGuard _guard = new(["stad.example"]);

    [Theory]
    [InlineData("85073012335")]          // born in the 1900s
    [InlineData("85.07.30-123.35")]
    [InlineData("85 07 30 123 35")]
    [InlineData("00010100105")]          // born from 2000: 2 in front before mod 97
    [InlineData("00.01.01-001.05")]
    public void NationalRegisterNumber_ValidChecksums_AreFound(string number)
    {
        Assert.True(PrivacyGuard.IsNationalRegisterNumber(number));
        var finding = Assert.Single(_guard.Check($"Tekst\nHet nummer {number} staat hier.\n"));
        Assert.Equal(PrivacyKind.NationalRegisterNumber, finding.Kind);
        Assert.Equal(2, finding.Line);
    }

    [Theory]
    [InlineData("85073012336")]          // checksum off by one
    [InlineData("00010100104")]
    [InlineData("8507301233")]           // ten digits
    [InlineData("850730123355")]         // twelve digits
    public void NationalRegisterNumber_NearMisses_AreNotFound(string number)
    {
        Assert.False(PrivacyGuard.IsNationalRegisterNumber(number) && number.Count(char.IsDigit) == 11);
        Assert.Empty(_guard.Check($"Het nummer {number} staat hier."));
    }

    [Theory]
    [InlineData("BE68539007547034", true)]
    [InlineData("BE68 5390 0754 7034", true)]
    [InlineData("be68 5390 0754 7034", true)]
    [InlineData("BE69539007547034", false)]
    [InlineData("BE6853900754703", false)]
    public void Iban_Mod97(string iban, bool valid)
    {
        Assert.Equal(valid, PrivacyGuard.IsBelgianIban(iban));
        Assert.Equal(valid, _guard.Check($"Rekening {iban}.").Any(f => f.Kind == PrivacyKind.Iban));
    }

    [Fact]
    public void Email_OutsideTheOrganisation_IsFound()
    {
        var findings = _guard.Check("Mail jan@gmail.com of info@stad.example of team@ocmw.stad.example.");
        var finding = Assert.Single(findings);
        Assert.Equal("jan@gmail.com", finding.Text);
    }
}

public sealed class UploadPolicyTests
{
    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "foto.jpg", "png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "foto.png", "jpg")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "brief.docx", "pdf")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, "brief.docx", "docx")]
    public void TypeIsDecidedByContent(byte[] head, string name, string expected) =>
        Assert.Equal(expected, UploadPolicy.Inspect(head, name).Extension);

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>", "teken.png", "svg")]
    [InlineData("<?xml version=\"1.0\"?><svg></svg>", "teken.txt", "svg")]
    [InlineData("MZ\u0090\u0000", "programma.pdf", "unknown")]
    [InlineData("<html><script>alert(1)</script>", "pagina.png", "unknown")]
    public void DangerousOrUnknown_IsRefused(string content, string name, string refusal)
    {
        var verdict = UploadPolicy.Inspect(System.Text.Encoding.UTF8.GetBytes(content), name);
        Assert.Null(verdict.Extension);
        Assert.Equal(refusal, verdict.Refusal);
    }
}

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
