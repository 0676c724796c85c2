using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Handbook.GitStore;
using Handbook.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>
/// Two app instances, each with its own repository and one shared upstream, behind Debian's nginx on loopback with
/// the sticky-cookie routing and WebSocket settings of docs/deployment.md; real chromium sessions through it.
/// </summary>
public sealed class ReverseProxyTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-proxy-").FullName;
    private readonly Dictionary<string, HandbookFactory> _instances = [];
    private Process? _nginx;
    private IPlaywright? _playwright;
    private IBrowser _browser = null!;
    private string _proxy = "";

    public async Task InitializeAsync()
    {
        TestGit.Run(_root, "init -q --bare -b main upstream.git");
        // The first instance seeds the empty upstream; the second starts from its history.
        var a = Start("a");
        await TestGit.Eventually(() => TestGit.Head(Path.Combine(_root, "upstream.git")) == a.Services.GetRequiredService<PageStore>().Head);
        using (var client = a.CreateClient())
        {
            await client.GetStringAsync(new Uri("/signin", UriKind.Relative)); // creates the shared key ring
        }

        Start("b");
        _proxy = StartNginx();
        _playwright = await Playwright.CreateAsync();
        _browser = await BrowserFixture.LaunchChromiumAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }

        _nginx?.Dispose();
        await _browser.DisposeAsync();
        _playwright?.Dispose();
        foreach (var instance in _instances.Values)
        {
            await instance.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task BrowserSessions_StickToTheirInstance_KeepWorking_AndSeeEachOthersEdits()
    {
        var first = await SessionAsync();
        var second = await SessionAsync();
        // New visitors are spread over both instances; each then sticks to its own.
        Assert.NotEqual(first.Instance, second.Instance);

        // Many requests of all kinds, every one answered by the same instance.
        string[] pages = ["index", "procedures", "procedures/leefloon-aanvragen", "procedures/huurwaarborg", "doelgroepen/oekrainers"];
        for (var i = 0; i < 30; i++)
        {
            var path = pages[i % pages.Length];
            var url = (i % 3) switch
            {
                0 => $"/wiki/{path}",
                1 => $"/history/{path}",
                _ => $"/search?q={Uri.EscapeDataString(i % 2 == 0 ? "leefloon" : "huurwaarborg")}",
            };
            var response = await first.Page.GotoAsync(_proxy + url);
            Assert.Equal(200, response!.Status);
        }

        // The editor's circuit runs over a WebSocket through nginx: save a page in the first session.
        await first.Page.GotoAsync($"{_proxy}/edit/procedures/huurwaarborg");
        await Expect(first.Page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 20000 });
        Assert.Contains(first.Sockets, s => s.Contains("/_blazor", StringComparison.Ordinal));
        var editor = first.Page.Locator(".editor-host .hb-content");
        await editor.ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await first.Page.Keyboard.PressAsync("Control+End");
        await first.Page.Keyboard.PressAsync("Enter");
        await first.Page.Keyboard.TypeAsync("Bewaard via de proxy.");
        await first.Page.Locator("#save-summary").FillAsync("Via nginx");
        await first.Page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
        await Expect(first.Page).ToHaveURLAsync(new Regex("/wiki/procedures/huurwaarborg$"), new() { Timeout = 20000 });
        await Expect(first.Page.Locator(".page-body")).ToContainTextAsync("Bewaard via de proxy.");
        Assert.Equal("Via nginx", _instances[first.Instance].Services.GetRequiredService<PageStore>().LastChange(PagePath.Parse("procedures/huurwaarborg"))!.Summary);

        // The other session, on the other instance, sees the edit after the sync interval.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await second.Page.GotoAsync($"{_proxy}/wiki/procedures/huurwaarborg");
            if (await second.Page.Locator(".page-body", new() { HasText = "Bewaard via de proxy." }).CountAsync() > 0)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the edit did not reach the other instance within 30 s");
            await second.Page.WaitForTimeoutAsync(500);
        }

        Assert.All(first.Served, s => Assert.Equal(first.Instance, s));
        Assert.All(second.Served, s => Assert.Equal(second.Instance, s));
        Assert.True(first.Served.Count >= 30, $"only {first.Served.Count} answers seen");

        // Fail-over: sent to the other instance, the worker is still signed in (the instances share the key ring).
        var other = second.Instance;
        await first.Page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = HostingExtensions.AffinityCookie, Value = other, Url = _proxy }]);
        var moved = await first.Page.GotoAsync($"{_proxy}/history/procedures/huurwaarborg");
        Assert.Equal(other, await moved!.HeaderValueAsync("x-handbook-instance"));
        Assert.DoesNotContain("/signin", first.Page.Url, StringComparison.Ordinal);
        await Expect(first.Page.Locator("main")).ToContainTextAsync("Via nginx");
    }

    private sealed record Session(IPage Page, string Instance, List<string> Served, List<string> Sockets);

    /// <summary>A new visitor through the proxy, signed in with the development sign-in.</summary>
    private async Task<Session> SessionAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "nl-BE" });
        var page = await context.NewPageAsync();
        var served = new List<string>();
        var sockets = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "document" && response.Headers.TryGetValue("x-handbook-instance", out var instance))
            {
                lock (served)
                {
                    served.Add(instance);
                }
            }
        };
        // A WebSocket counts once the server has answered over it (not merely when the browser tried one).
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, _) =>
        {
            lock (sockets)
            {
                if (!sockets.Contains(socket.Url))
                {
                    sockets.Add(socket.Url);
                }
            }
        };
        await page.GotoAsync(_proxy + "/");
        await page.WaitForURLAsync("**/signin**");
        await page.ClickAsync("button[data-worker=ma]");
        await page.WaitForURLAsync(_proxy + "/");
        var cookies = await context.CookiesAsync();
        var instance = cookies.Single(c => c.Name == HostingExtensions.AffinityCookie).Value;
        return new Session(page, instance, served, sockets);
    }

    private HandbookFactory Start(string name)
    {
        var app = new HandbookFactory();
        app.Settings["Handbook:InstanceName"] = name;
        app.Settings["Handbook:KeysPath"] = Path.Combine(_root, "shared-keys");
        app.Settings["Handbook:Upstream:Url"] = "file://" + Path.Combine(_root, "upstream.git");
        app.Settings["Handbook:Upstream:IntervalSeconds"] = "1";
        app.UseKestrel(0);
        app.StartServer();
        _instances[name] = app;
        return app;
    }

    /// <summary>nginx with the routing of docs/deployment.md, on a free loopback port; returns its base URL.</summary>
    private string StartNginx()
    {
        var dir = Path.Combine(_root, "nginx");
        Directory.CreateDirectory(dir);
        var port = FreePort();
        var a = _instances["a"].ClientOptions.BaseAddress;
        var b = _instances["b"].ClientOptions.BaseAddress;
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 512; }
            http {
                access_log {{dir}}/access.log;
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;

                map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                upstream handbook_any {
                    server {{a.Authority}};
                    server {{b.Authority}};
                }
                map $cookie_handbook_node $handbook_backend {
                    a       {{a.Authority}};
                    b       {{b.Authority}};
                    default handbook_any;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://$handbook_backend;
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_read_timeout 1h;
                        proxy_buffering off;
                    }
                }
            }
            """);
        _nginx = Process.Start(new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx", ["-p", dir, "-c", Path.Combine(dir, "nginx.conf")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return $"http://127.0.0.1:{port}";
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_nginx.HasExited)
            {
                Thread.Sleep(50);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException("nginx did not start: " + _nginx.StandardError.ReadToEnd() + ReadOrEmpty(Path.Combine(dir, "error.log")));
            }
        }
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
