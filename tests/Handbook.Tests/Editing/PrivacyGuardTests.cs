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
