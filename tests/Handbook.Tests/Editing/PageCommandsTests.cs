using System.Net;
using System.Text.RegularExpressions;
using Handbook.Editing;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Editing;

/// <summary>The one door for writes, through the app's own services and its HTTP endpoint.</summary>
public sealed class PageCommandsTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    private PageStore Store => factory.Services.GetRequiredService<PageStore>();

    private PageCommands Commands => factory.Services.GetRequiredService<PageCommands>();

    [Fact]
    public async Task Rename_WithLinkUpdates_LeavesProtectedPagesAlone_AndNamesThem()
    {
        var beleid = PagePath.Parse("werking/beleid");
        var before = Store.Read(beleid)!;
        Assert.Contains("[[procedures/huurwaarborg]]", before.Text, StringComparison.Ordinal);

        var outcome = await Commands.RenameAsync(ProtectionPropertyTests.Worker, PagePath.Parse("procedures/huurwaarborg"), "procedures/waarborg", "Kortere naam", updateLinks: true);

        Assert.IsType<SaveResult.Saved>(outcome.Result);
        Assert.Equal([beleid], outcome.LinksNotUpdated);
        Assert.Contains("werking/beleid", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(before.BlobId, Store.Read(beleid)!.BlobId);
        Assert.True(Store.Exists(PagePath.Parse("procedures/waarborg")));
    }

    [Fact]
    public async Task Commands_OnAProtectedPage_AreRefusedInWords_ForAWorker()
    {
        var beleid = PagePath.Parse("werking/beleid");
        var head = Store.Head;
        var page = Store.Read(beleid)!;
        foreach (var outcome in new[]
        {
            await Commands.SaveAsync(ProtectionPropertyTests.Worker, new SaveCommand(beleid, page.Text + "x\n", "x", page.Revision, page.Text)),
            await Commands.DeleteAsync(ProtectionPropertyTests.Worker, beleid, "weg"),
            await Commands.RestoreAsync(ProtectionPropertyTests.Worker, beleid, page.Revision, "terug"),
            await Commands.MarkReviewedAsync(ProtectionPropertyTests.Worker, beleid, new DateOnly(2030, 1, 1)),
            await Commands.AttachAsync(ProtectionPropertyTests.Worker, beleid, "plan.png", ProtectionPropertyTests.Png),
        })
        {
            Assert.False(outcome.Succeeded);
            Assert.Contains("beschermd", outcome.Message, StringComparison.Ordinal);
        }

        Assert.Equal(head, Store.Head);
    }

    [Fact]
    public async Task Upload_ToAProtectedPageOrOneThatDoesNotExist_IsRefused_AndUploadsAreRateLimited()
    {
        using var worker = await factory.SignedInClientAsync("ma");
        var token = await TokenAsync(worker);
        var head = Store.Head;

        using (var refused = await UploadAsync(worker, token, "werking/beleid", "plan.png"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("beschermd", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var missing = await UploadAsync(worker, token, "procedures/bestaat-niet", "plan.png"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Contains("Bewaar de pagina eerst", System.Text.Json.JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(head, Store.Head);
    }

    [Fact]
    public async Task Uploads_PastTheLimitOfAMinute_GetAClear429()
    {
        using var limited = new HandbookFactory { Settings = { ["Handbook:UploadsPerMinute"] = "3" } };
        using var worker = await limited.SignedInClientAsync("ma");
        var token = await TokenAsync(worker);
        for (var i = 0; i < 3; i++)
        {
            using var ok = await UploadAsync(worker, token, "procedures/leefloon-aanvragen", $"plan-{i}.png");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var tooMany = await UploadAsync(worker, token, "procedures/leefloon-aanvragen", "plan-4.png");
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.StatusCode);
        Assert.Contains("Wacht een minuut", System.Text.Json.JsonDocument.Parse(await tooMany.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        // Another worker is not held back by her.
        using var other = await limited.SignedInClientAsync("jurist");
        using var fine = await UploadAsync(other, await TokenAsync(other), "procedures/leefloon-aanvragen", "ander.png");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync(new Uri("/wiki/procedures/leefloon-aanvragen", UriKind.Relative));
        return Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string token, string page, string name)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(ProtectionPropertyTests.Png), "file", name },
        };
        return client.PostAsync(new Uri("/api/files/" + page, UriKind.Relative), form);
    }
}
