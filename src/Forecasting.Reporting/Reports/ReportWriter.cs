using System.Text;
using Forecasting.Core.Planning;

namespace Forecasting.Reporting.Reports;

/// <summary>
/// Writes <c>report.md</c> and a self-contained <c>report.html</c> (charts embedded as data URIs, and
/// also beside it under <c>charts/</c>), both rendered from one <see cref="ReportDocument"/>: summary,
/// recommendations, per-series tables, accuracy against seasonal naive, model versions. Files are
/// written to a temporary folder and moved into place.
/// </summary>
public static class ReportWriter
{
    public static ReportFiles Write(ReportInput input, string folder, int topSeries = 4)
    {
        ArgumentNullException.ThrowIfNull(input);
        var target = Path.GetFullPath(folder);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // One writer of a report folder at a time (the CLI and the service's job may both write it);
        // the OS releases the lock if the process dies.
        using var writing = LockWriting(target);
        RecoverInterruptedWrite(target);
        var staging = target + $".tmp-{Guid.NewGuid():N}";
        var charts = Path.Combine(staging, "charts");
        Directory.CreateDirectory(charts);
        try
        {
            var images = ReportCharts.Render(input, charts, topSeries);
            var document = ReportDocument.Build(input, images);
            File.WriteAllText(Path.Combine(staging, "report.md"), MarkdownRenderer.Render(document));
            File.WriteAllText(Path.Combine(staging, "report.html"), HtmlRenderer.Render(document, charts));
            if (Directory.Exists(target))
            {
                // Replace, keeping the old report until the new one is complete.
                var old = target + $".old-{Guid.NewGuid():N}";
                Directory.Move(target, old);
                Directory.Move(staging, target);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                Directory.Move(staging, target);
            }

            return new ReportFiles(Path.Combine(target, "report.html"), Path.Combine(target, "report.md"), [.. images.Select(i => Path.Combine(target, "charts", i.File))]);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>
    /// Clears what a write killed part way left beside the report: staging folders, and a replaced
    /// report not yet deleted. If the kill fell between the two renames (no report in place), the
    /// replaced one is put back first, so a complete report is always there to read.
    /// </summary>
    private static FileStream LockWriting(string target)
    {
        // Hidden, beside the folder (not in it: the folder itself is swapped).
        var path = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".lock");
        return Core.IO.FileLock.TryAcquire(path, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200))
            ?? throw new IOException($"another report is being written to {target}, for more than 2 minutes");
    }

    private static void RecoverInterruptedWrite(string target)
    {
        var parent = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(parent))
        {
            return;
        }

        var name = Path.GetFileName(target);
        var replaced = Directory.GetDirectories(parent, name + ".old-*").Select(d => new DirectoryInfo(d)).OrderByDescending(d => d.LastWriteTimeUtc).ToList();
        if (!Directory.Exists(target) && replaced.Count > 0)
        {
            Directory.Move(replaced[0].FullName, target);
            replaced.RemoveAt(0);
        }

        foreach (var leftover in replaced.Select(d => d.FullName).Concat(Directory.GetDirectories(parent, name + ".tmp-*")))
        {
            try
            {
                Directory.Delete(leftover, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover that cannot be removed now is removed by a later write.
            }
        }
    }

    /// <summary>The report's summary lines (next week's total and cost, the peak hour, the count of recommendations), as the CLI prints them.</summary>
    public static IEnumerable<string> Headlines(Plan plan) => ReportDocument.Headlines(plan);

    /// <summary>
    /// A chart file name for a series: lower-case ASCII letters, digits, dashes and single dots (what the API's
    /// chart route serves), at most about 60 characters whatever the names. <c>tutor/deepseek-v3.2</c> stays
    /// <c>tutor-deepseek-v3.2</c>; a name that had to change (other characters, upper case, length) or that
    /// collides with one already used gets a hash of the series key, so distinct series never share a file.
    /// </summary>
    public static string ChartSlug(string series, ISet<string> used)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(used);
        var plain = series.Replace("*", "all", StringComparison.Ordinal).Replace('/', '-');
        var slug = new StringBuilder();
        foreach (var c in plain.ToLowerInvariant())
        {
            var safe = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '.' ? c : '-';
            if ((safe is '-' or '.') && (slug.Length == 0 || slug[^1] is '-' or '.'))
            {
                continue;
            }

            slug.Append(safe);
        }

        var text = slug.ToString().TrimEnd('-', '.');
        if (text != plain || text.Length > MaxSlug || used.Contains(text))
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(series)))[..12];
            var head = text.Length > MaxSlug - 13 ? text[..(MaxSlug - 13)].TrimEnd('-', '.') : text;
            text = head.Length == 0 ? hash : head + "-" + hash;
        }

        used.Add(text);
        return text;
    }

    /// <summary>
    /// Text from names and settings in Markdown: every character Markdown or a table gives a meaning to is
    /// escaped (<c>**</c>, <c>|</c>, <c>](javascript:…)</c>, <c>&lt;script&gt;</c>), line breaks become spaces.
    /// </summary>
    public static string MarkdownText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (MarkdownSpecials.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(char.IsControl(c) ? ' ' : c);
        }

        return escaped.ToString();
    }

    private const int MaxSlug = 60;

    private const string MarkdownSpecials = "\\`*_{}[]()<>#+!|~&";
}
