using Forecasting.Reporting.Reports;

namespace Forecasting.Reporting.Tests.Reports;

/// <summary>The Markdown and the HTML are rendered from the same document blocks, each escaping names its own way.</summary>
public sealed class ReportRendererTests
{
    private static readonly IReadOnlyList<ReportBlock> Document =
    [
        new ReportBlock.Heading(2, "Summary"),
        new ReportBlock.Bullets([new ReportText().Bold("Warning:").Add(" ").Name("a|b **c**")]),
        new ReportBlock.Bullets([]),
        new ReportBlock.Table("lr", [ReportText.Of("model"), ReportText.Of("MAE")], [[ReportText.OfName("<m>"), ReportText.Of("1.5")]]),
    ];

    [Fact]
    public void MarkdownEscapesNamesAndFollowsEveryBlockWithABlankLine()
    {
        var markdown = MarkdownRenderer.Render(Document);

        Assert.Equal(
            "## Summary\n\n- **Warning:** a\\|b \\*\\*c\\*\\*\n\n\n| model | MAE |\n|---|---:|\n| \\<m\\> | 1.5 |\n\n",
            markdown.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void HtmlEncodesNamesAndRendersNothingForAnEmptyList()
    {
        var html = HtmlRenderer.Render(Document, chartFolder: "");

        Assert.Contains("<h2>Summary</h2>\n<ul>\n<li><strong>Warning:</strong> a|b **c**</li>\n</ul>\n<table><tr><th>model</th><th>MAE</th></tr>\n<tr><td>&lt;m&gt;</td><td>1.5</td></tr>\n</table>\n", html, StringComparison.Ordinal);
        Assert.Single(html.Split("<ul>").Skip(1));
    }
}
