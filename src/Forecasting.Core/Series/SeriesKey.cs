namespace Forecasting.Core.Series;

/// <summary>
/// A series is one project × model, written <c>project/model</c>; <c>*</c> in either place is a roll-up:
/// <c>project/*</c> per project, <c>*/model</c> per model, <c>*/*</c> the total.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(SeriesKeyJsonConverter))]
public readonly record struct SeriesKey(string Project, string Model)
{
    public const string All = "*";

    public static SeriesKey Total { get; } = new(All, All);

    public bool IsLeaf => Project != All && Model != All;

    public bool IsTotal => Project == All && Model == All;

    /// <summary>Whether the leaf series <paramref name="leaf"/> adds into this series.</summary>
    public bool Contains(SeriesKey leaf) => (Project == All || Project == leaf.Project) && (Model == All || Model == leaf.Model);

    public static SeriesKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            throw new InvalidInputException($"series '{text}' is not of the form project/model (use * for all)");
        }

        return new SeriesKey(text[..slash], text[(slash + 1)..]);
    }

    public override string ToString() => $"{Project}/{Model}";
}
