using System.Net;
using System.Net.Http.Headers;
using Handbook.Editing;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

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
