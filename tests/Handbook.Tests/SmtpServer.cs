using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Handbook.Tests;

/// <summary>
/// A real SMTP server on loopback for tests: Debian's aiosmtpd (<c>python3-aiosmtpd</c>, installed by test.sh) as its
/// own process, storing every mail it accepts in a temporary Maildir. No TLS and no authentication, so the app is
/// configured with <c>Security=None</c>. Self-contained, so other test projects can use or link it.
/// </summary>
public sealed class SmtpServer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SmtpServer(int port, string maildir, Process process)
    {
        Port = port;
        Maildir = maildir;
        _process = process;
    }

    public int Port { get; }

    /// <summary>The Maildir the server writes to (<c>new/</c>, <c>cur/</c>, <c>tmp/</c>); deleted on <see cref="Dispose"/>.</summary>
    public string Maildir { get; }

    /// <summary>A loopback port that was free a moment ago, for a server that is to be started later.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server on <paramref name="port"/> (a free one when null) and waits until it accepts connections.</summary>
    public static async Task<SmtpServer> StartAsync(int? port = null, TimeSpan? timeout = null)
    {
        var chosen = port ?? FreePort();
        var maildir = Directory.CreateTempSubdirectory("handbook-smtp-").FullName;
        foreach (var folder in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, folder));
        }

        // Debian's python3 is the one python3-aiosmtpd installs for; a python3 earlier on PATH (pyenv, venv) may lack it.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{chosen}", "-c", "aiosmtpd.handlers.Mailbox", maildir })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONUNBUFFERED"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        var server = new SmtpServer(chosen, maildir, process);
        process.OutputDataReceived += (_, e) => server.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => server.Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilListeningAsync(timeout ?? TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> mails have arrived or <paramref name="timeout"/> has passed, and
    /// returns the mails there are then (fewer on a timeout; the caller asserts), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMailAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var files = MailFiles();
            if (files.Count >= count || DateTime.UtcNow >= deadline)
            {
                return files.Select(f => MimeMessage.Load(f)).ToList();
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>What the server printed (its log goes to standard error), for failure messages.</summary>
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

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Maildir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // A mail is moved into new/ (or by a reader into cur/) only once it is complete.
    private List<string> MailFiles() =>
        new[] { "new", "cur" }
            .SelectMany(folder => new DirectoryInfo(Path.Combine(Maildir, folder)).GetFiles())
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => f.FullName).ToList();

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"aiosmtpd exited with {_process.ExitCode} (is python3-aiosmtpd installed? test.sh installs it): {Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"aiosmtpd did not accept connections on port {Port} within {timeout}: {Output}", e);
            }
        }
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
