using System.Text;

namespace Forecasting.Reporting.Reports;

/// <summary>Writes a report's document as Markdown (<c>report.md</c>): every block followed by a blank line, names escaped.</summary>
internal static class MarkdownRenderer
{
    public static string Render(IEnumerable<ReportBlock> blocks)
    {
        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ReportBlock.Heading heading:
                    text.Append('#', heading.Level).Append(' ').AppendLine(heading.Text);
                    break;
                case ReportBlock.Paragraph paragraph:
                    text.AppendLine(Inline(paragraph.Text));
                    break;
                case ReportBlock.Bullets bullets:
                    foreach (var item in bullets.Items)
                    {
                        text.Append("- ").AppendLine(Inline(item));
                    }

                    break;
                case ReportBlock.Table table:
                    Row(text, table.Header);
                    text.Append('|').AppendJoin('|', table.Alignment.Select(a => a == 'r' ? "---:" : "---")).AppendLine("|");
                    foreach (var row in table.Rows)
                    {
                        Row(text, row);
                    }

                    break;
                case ReportBlock.Figure figure:
                    text.Append("![").Append(ReportWriter.MarkdownText(figure.Chart.Title)).Append("](charts/").Append(figure.Chart.File).AppendLine(")");
                    break;
                default:
                    throw new InvalidOperationException($"no Markdown for {block.GetType().Name}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, IReadOnlyList<ReportText> cells) =>
        text.Append("| ").AppendJoin(" | ", cells.Select(Inline)).AppendLine(" |");

    private static string Inline(ReportText text)
    {
        var result = new StringBuilder();
        foreach (var span in text.Spans)
        {
            var words = span.Name ? ReportWriter.MarkdownText(span.Text) : span.Text;
            result.Append(span.Strong ? "**" + words + "**" : words);
        }

        return result.ToString();
    }
}
