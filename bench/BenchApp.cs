using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;

namespace Handbook.Bench;

/// <summary>
/// The app as a separate process, as the systemd unit in docs/deployment.md runs it, signed in as a demo worker, with
/// its CPU time and memory read from /proc. Every bench that measures the real app starts it here.
/// </summary>
internal sealed class BenchApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClientHandler _handler;
    private readonly TextWriter? _log;

    private BenchApp(Process process, HttpClientHandler handler, HttpClient client, Uri baseAddress, TextWriter? log)
    {
        _process = process;
        _handler = handler;
        _log = log;
        Client = client;
        BaseAddress = baseAddress;
    }

    public HttpClient Client { get; }

    public Uri BaseAddress { get; }

    /// <summary>From the process start until /health answered.</summary>
    public TimeSpan StartUp { get; private set; }

    /// <summary>
    /// Starts the app on <paramref name="data"/> (seeded from <paramref name="seedPath"/> when it has no repository yet);
    /// its output goes to <paramref name="logPath"/> when given.
    /// </summary>
    /// <exception cref="InvalidOperationException">The app did not answer /health within 3 minutes.</exception>
    public static async Task<BenchApp> StartAsync(string data, string? logPath = null, string? seedPath = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Handbook.dll");
        var port = 5900 + Random.Shared.Next(99);
        string[] seed = seedPath is null ? [] : ["--Handbook:SeedPath", seedPath];
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}", "--Handbook:DataPath", data, .. seed])
        {
            WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // As the systemd unit in docs/deployment.md runs it: two malloc arenas instead of one per core and thread.
        psi.Environment["MALLOC_ARENA_MAX"] = "2";
        var watch = Stopwatch.StartNew();
        var process = Process.Start(psi)!;
        // The app's own log: what it said when a run goes wrong.
        var log = logPath is null ? null : TextWriter.Synchronized(new StreamWriter(logPath, append: false) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => log?.WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => log?.WriteLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, MaxConnectionsPerServer = 200 };
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var app = new BenchApp(process, handler, client, baseAddress, log);
        while (true)
        {
            try
            {
                if ((await client.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(3) || process.HasExited)
            {
                await app.DisposeAsync();
                throw new InvalidOperationException("The app did not start within 3 minutes.");
            }

            await Task.Delay(25);
        }

        app.StartUp = watch.Elapsed;
        try
        {
            await AppRun.SignInAsync(client);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>The machine's load averages over 1, 5 and 15 minutes, as the report states them ("?" off Linux).</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>The checkout this bench runs from (where Handbook.sln is).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Handbook.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// Runs <paramref name="run"/> with a new folder under the temp directory (named after <paramref name="name"/>),
    /// deleted afterwards, whatever happens.
    /// </summary>
    public static async Task<T> InTempFolderAsync<T>(string name, Func<string, Task<T>> run)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"handbook-{name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(folder);
        try
        {
            return await run(folder);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Writes <paramref name="section"/> (which starts with <paramref name="start"/> and ends with <paramref name="end"/>)
    /// into the report at <paramref name="path"/>: in place of the old section, or appended.</summary>
    public static async Task WriteSectionAsync(string path, string start, string end, string section)
    {
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "# Benchmarks\n";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        text = from >= 0 && to > from
            ? text[..from] + section.TrimEnd('\n', '\r') + text[(to + end.Length)..]
            : text.TrimEnd('\n') + "\n\n" + section;
        await File.WriteAllTextAsync(path, text);
    }

    /// <summary>Debian's chromium (never a downloaded browser), headless, with no background network traffic.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("HANDBOOK_CHROMIUM") is { Length: > 0 } chromium ? chromium : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });

    /// <summary>Another client with the same sign-in (its own connections), for the hostile load.</summary>
    public HttpClient NewClient()
    {
        var handler = new HttpClientHandler { CookieContainer = _handler.CookieContainer, AllowAutoRedirect = false, MaxConnectionsPerServer = 20 };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
    }

    /// <summary>The app's resident set now, in bytes.</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>How long until the app uses under 10 % of a core over half a second; null when not within <paramref name="limit"/>.</summary>
    public async Task<TimeSpan?> TimeToIdleAsync(TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            _process.Refresh();
            var before = _process.TotalProcessorTime;
            var t = Stopwatch.GetTimestamp();
            await Task.Delay(500);
            _process.Refresh();
            var used = (_process.TotalProcessorTime - before).TotalMilliseconds / Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (used < 0.10)
            {
                return watch.Elapsed;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _handler.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _log?.Dispose();
    }
}
