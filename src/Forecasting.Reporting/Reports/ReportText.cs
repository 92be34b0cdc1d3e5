namespace Forecasting.Reporting.Reports;

/// <summary>
/// A run of text in a report: our own wording and numbers (written as they are), names and settings from users (escaped
/// wherever they are written), either of them bold. The Markdown and HTML renderers each write it in their own syntax.
/// </summary>
internal sealed class ReportText
{
    private readonly List<Span> _spans = [];

    public IReadOnlyList<Span> Spans => _spans;

    /// <summary>Our own wording or a number.</summary>
    public static ReportText Of(string text) => new ReportText().Add(text);

    /// <summary>A name or setting from users.</summary>
    public static ReportText OfName(string name) => new ReportText().Name(name);

    /// <summary>Adds our own wording or a number.</summary>
    public ReportText Add(string text)
    {
        _spans.Add(new Span(text, Strong: false, Name: false));
        return this;
    }

    /// <summary>Adds a name or setting from users.</summary>
    public ReportText Name(string name)
    {
        _spans.Add(new Span(name, Strong: false, Name: true));
        return this;
    }

    /// <summary>Adds bold text: our own wording, or a name when <paramref name="name"/>.</summary>
    public ReportText Bold(string text, bool name = false)
    {
        _spans.Add(new Span(text, Strong: true, Name: name));
        return this;
    }

    /// <summary>A part of the text: <see cref="Name"/> text comes from users and is escaped wherever it is written.</summary>
    internal readonly record struct Span(string Text, bool Strong, bool Name);
}
