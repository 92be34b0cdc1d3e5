namespace Forecasting.Reporting.Reports;

/// <summary>One block of a report's document: what the Markdown and the HTML both render, each in its own syntax.</summary>
internal abstract record ReportBlock
{
    /// <summary>A section title (level 1 for the report's title, 2 for a section).</summary>
    public sealed record Heading(int Level, string Text) : ReportBlock;

    public sealed record Paragraph(ReportText Text) : ReportBlock;

    /// <summary>A bulleted list; an empty one renders nothing.</summary>
    public sealed record Bullets(IReadOnlyList<ReportText> Items) : ReportBlock;

    /// <summary>A table; <see cref="Alignment"/> has one letter per column, <c>l</c> (text) or <c>r</c> (numbers).</summary>
    public sealed record Table(string Alignment, IReadOnlyList<ReportText> Header, IReadOnlyList<IReadOnlyList<ReportText>> Rows) : ReportBlock;

    /// <summary>A chart image: linked beside the Markdown, embedded in the HTML.</summary>
    public sealed record Figure(ReportChart Chart) : ReportBlock;
}
