using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Handbook.Tests;

/// <summary>The real app in process, on a fresh repository seeded from <see cref="TestHandbook"/>.</summary>
public sealed class HandbookFactory : WebApplicationFactory<Program>
{
    public HandbookFactory()
    {
        Root = Directory.CreateTempSubdirectory("handbook-app-").FullName;
        SeedPath = TestHandbook.Create(Root);
    }

    public string Root { get; }

    public string SeedPath { get; }

    public string DataPath => Path.Combine(Root, "data");

    /// <summary>More configuration (e.g. <c>Handbook:InstanceName</c>), applied when the app starts.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Services added to the app's own (registered last, so they win), applied when the app starts.</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? TestServices { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (TestServices is { } add)
        {
            builder.ConfigureServices(add);
        }

        builder.UseEnvironment("Development");
        builder.UseSetting("Handbook:DataPath", DataPath);
        builder.UseSetting("Handbook:SeedPath", SeedPath);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client signed in through the development sign-in form, as a worker would.</summary>
    public async Task<HttpClient> SignedInClientAsync(string worker = "ma")
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await SignInAsync(client, worker);
        return client;
    }

    /// <summary>Signs <paramref name="client"/> in through the development sign-in form, antiforgery token and all.</summary>
    public static async Task SignInAsync(HttpClient client, string worker)
    {
        var form = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["worker"] = worker, ["returnUrl"] = "/",
        });
        var response = await client.PostAsync(new Uri("/signin/dev", UriKind.Relative), content);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in failed: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
