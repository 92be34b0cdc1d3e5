using System.Globalization;
using System.Net;
using System.Text;

namespace Forecasting.Reporting.Reports;

/// <summary>
/// Writes a report's document as one self-contained HTML page (<c>report.html</c>): tables, lists, and the charts embedded
/// as data URIs read from the chart folder. Every text is HTML-encoded.
/// </summary>
internal static class HtmlRenderer
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Render(IEnumerable<ReportBlock> blocks, string chartFolder)
    {
        var body = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ReportBlock.Heading heading:
                    body.Append(C, $"<h{heading.Level}>").Append(WebUtility.HtmlEncode(heading.Text)).Append(C, $"</h{heading.Level}>\n");
                    break;
                case ReportBlock.Paragraph paragraph:
                    body.Append("<p>").Append(Inline(paragraph.Text)).Append("</p>\n");
                    break;
                case ReportBlock.Bullets { Items.Count: > 0 } bullets:
                    body.Append("<ul>\n");
                    foreach (var item in bullets.Items)
                    {
                        body.Append("<li>").Append(Inline(item)).Append("</li>\n");
                    }

                    body.Append("</ul>\n");
                    break;
                case ReportBlock.Bullets:
                    break;
                case ReportBlock.Table table:
                    body.Append("<table><tr><th>").AppendJoin("</th><th>", table.Header.Select(Inline)).Append("</th></tr>\n");
                    foreach (var row in table.Rows)
                    {
                        body.Append("<tr><td>").AppendJoin("</td><td>", row.Select(Inline)).Append("</td></tr>\n");
                    }

                    body.Append("</table>\n");
                    break;
                case ReportBlock.Figure { Chart: var chart }:
                    var data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(chartFolder, chart.File)));
                    body.Append(C, $"<figure><img alt=\"{WebUtility.HtmlEncode(chart.Title)}\" src=\"data:image/png;base64,{data}\"><figcaption>{WebUtility.HtmlEncode(chart.Title)}</figcaption></figure>\n");
                    break;
                default:
                    throw new InvalidOperationException($"no HTML for {block.GetType().Name}");
            }
        }

        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>LLM usage forecast</title>
            <style>
            body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2em auto; max-width: 1250px; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            th { background: #f2f4f7; }
            img { max-width: 100%; border: 1px solid #ddd; }
            li { margin: 0.3em 0; }
            </style></head><body>
            {{body}}
            </body></html>
            """;
    }

    /// <summary>The text encoded, bold parts in <c>strong</c>; line breaks and other control characters in names become spaces, as in the Markdown.</summary>
    private static string Inline(ReportText text)
    {
        var result = new StringBuilder();
        foreach (var span in text.Spans)
        {
            var plain = span.Name ? string.Concat(span.Text.Select(c => char.IsControl(c) ? ' ' : c)) : span.Text;
            var encoded = WebUtility.HtmlEncode(plain);
            result.Append(span.Strong ? "<strong>" + encoded + "</strong>" : encoded);
        }

        return result.ToString();
    }
}
