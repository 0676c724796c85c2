using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Handbook.EndToEnd;

/// <summary>
/// The app as its own operating-system process (<c>dotnet Handbook.dll</c>, as systemd runs it), so that a test can
/// kill it with SIGKILL and start it again on the same data folder.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>What the app wrote to stdout and stderr, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the app built next to this test (same configuration) and waits until /health answers.</summary>
    public static async Task<AppProcess> StartAsync(string dataPath, string seedPath, int port = 0)
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var bin = Path.Combine(Handbook.Tests.StarterContentTests.RepositoryRoot, "src", "Handbook", "bin", configuration, "net10.0");
        port = port == 0 ? FreePort() : port;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(bin, "Handbook.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = bin, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Handbook__DataPath"] = dataPath;
        start.Environment["Handbook__SeedPath"] = seedPath;
        var app = new AppProcess(Process.Start(start)!, $"http://127.0.0.1:{port}");
        app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await client.GetAsync(new Uri(app.BaseUrl + "/health"))).IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (app._process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = app.Output;
                app.Dispose();
                throw new InvalidOperationException("The app did not start: " + output);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown, no finally blocks, no flush.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
