using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Handbook.GitStore;
using Handbook.Tests;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Handbook.EndToEnd;

/// <summary>
/// The hostile inputs of the fault list at full size, against the app on a real socket (Kestrel's limits apply):
/// pages that arrive through git (a power user's push) and a 1 GB upload. Each gets a clear answer; the app stays up.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly HandbookFactory _app = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app.UseKestrel(0);
        _app.StartServer();
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        _client = new HttpClient(handler) { BaseAddress = _app.ClientOptions.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        await HandbookFactory.SignInAsync(_client, "ma");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task HostilePagesFromGit_AreShownSafelyOrRefusedClearly_AndTheAppStaysUp()
    {
        var links = new StringBuilder("# Links\n\n");
        for (var i = 0; i < 100_000; i++)
        {
            links.Append("[[werking/p").Append(i).Append("]] ");
        }

        var big = new StringBuilder("# Groot\n\n");
        while (big.Length < 10 * 1024 * 1024)
        {
            big.Append("Een lange alinea over het leefloon en de huurwaarborg, keer op keer herhaald. ");
        }

        var bomb = new StringBuilder("---\ntitle: Bom\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for (var level = 'b'; level <= 'k'; level++)
        {
            var previous = (char)(level - 1);
            bomb.Append(level).Append(": &").Append(level).Append(" [*").Append(previous).Append(string.Concat(Enumerable.Repeat(",*" + previous, 8))).Append("]\n");
        }

        bomb.Append("---\n# Bom\n\nTekst onder de bom.\n");
        var pages = new Dictionary<string, string>
        {
            ["werking/links"] = links.ToString(),
            ["werking/groot"] = big.ToString(),
            ["werking/citaten"] = new string('>', 10_000) + " diep\n",
            ["werking/lijsten"] = string.Concat(Enumerable.Repeat("- ", 10_000)) + "x\n",
            ["werking/bom"] = bomb.ToString(),
        };
        PushWithGit(pages);

        foreach (var (path, expected) in new (string, string)[]
        {
            ("werking/links", "te veel onderdelen"),
            ("werking/groot", "te groot"),
            ("werking/citaten", "te diep genest"),
            ("werking/lijsten", "te diep genest"),
            ("werking/bom", "Tekst onder de bom."),
        })
        {
            var watch = Stopwatch.StartNew();
            using var response = await _client.GetAsync(new Uri("/wiki/" + path, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();
            output.WriteLine($"{path}: {(int)response.StatusCode}, {html.Length / 1024} KB of HTML in {watch.ElapsedMilliseconds} ms");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(expected, html, StringComparison.Ordinal);
        }

        // The bomb's front matter is refused with a notice, not expanded.
        var bombHtml = await _client.GetStringAsync(new Uri("/wiki/werking/bom", UriKind.Relative));
        Assert.Contains("anchors and aliases", bombHtml, StringComparison.Ordinal);

        // Search, history and the rest still answer.
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri("/search?q=leefloon", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri("/history/werking/groot", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task TenMegabytePageSave_IsRefusedWithAClearReason()
    {
        var store = _app.Services.GetRequiredService<PageStore>();
        var result = await store.SaveAsync(new SaveRequest(PagePath.Parse("werking/groot"), new string('x', 10 * 1024 * 1024), new Author("T", "t@stad.example"), "groot", null));
        var rejected = Assert.IsType<SaveResult.Rejected>(result);
        Assert.Equal(SaveError.TooLarge, rejected.Error);
        Assert.False(store.Exists(PagePath.Parse("werking/groot")));
    }

    [Fact]
    public async Task OneGigabyteUpload_IsRefusedBeforeItIsRead_AndTheAppStaysUp()
    {
        var form = await _client.GetStringAsync(new Uri("/signin", UriKind.Relative)); // a token for this worker
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var body = new EndlessStream(1L << 30);
        using var content = new MultipartFormDataContent();
        var file = new StreamContent(body);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        file.Headers.ContentLength = body.Length;
        content.Add(file, "file", "groot.png");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/files/procedures/huurwaarborg", UriKind.Relative)) { Content = content };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.ExpectContinue = true; // the client waits for the server's word before sending the body

        using var response = await _client.SendAsync(request);
        var status = response.StatusCode;
        var answer = await response.Content.ReadAsStringAsync();
        output.WriteLine($"1 GB upload: status {status} {answer}, {body.Sent / 1024 / 1024} MB sent");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("groter dan 20 MB", answer, StringComparison.Ordinal);
        Assert.True(body.Sent < 1024 * 1024, $"{body.Sent} bytes were sent: the upload was not refused before its body");
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        Assert.True(AttachmentPath.TryParse("procedures/huurwaarborg/groot.png", out var attachment, out _));
        Assert.Null(_app.Services.GetRequiredService<PageStore>().ReadAttachment(attachment));
    }

    private void PushWithGit(Dictionary<string, string> pages)
    {
        var repository = _app.Services.GetRequiredService<PageStore>().RepositoryPath;
        var clone = Path.Combine(_app.Root, "power");
        TestGit.Run(_app.Root, $"clone -q \"{repository}\" power");
        foreach (var (path, text) in pages)
        {
            var file = Path.Combine(clone, path + ".md");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        TestGit.Run(clone, "add -A");
        TestGit.Run(clone, "-c user.name=Power -c user.email=power@stad.example commit -q -m \"Vijandige pagina's\"");
        TestGit.Run(clone, "push -q origin HEAD:main");
    }

    /// <summary>
    /// A long body made up on the fly (nothing held in memory), counting what the client actually sent. Seekable so
    /// that the multipart body has a Content-Length, as a browser's upload has.
    /// </summary>
    private sealed class EndlessStream(long length) : Stream
    {
        private long _position;

        public long Sent => Interlocked.Read(ref _position);

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => _position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill(0x42);
            Interlocked.Add(ref _position, n);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
