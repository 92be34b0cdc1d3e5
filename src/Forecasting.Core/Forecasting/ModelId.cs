using System.Globalization;

namespace Forecasting.Core.Forecasting;

/// <summary>
/// A model's identity: its <see cref="ModelKind"/> and parameters (the seasonal period, a combination's weighted
/// parts). <see cref="ToString"/> is the name written to manifests, <c>backtest.csv</c> and reports (<c>snaive</c>,
/// <c>snaive24</c>, <c>smedian</c>, <c>ensemble-n</c>, <c>combination(fasttree 0.41; smedian 0.59)</c>), and
/// <see cref="Parse"/> reads it back; a name outside that vocabulary is kept as written (<see cref="ModelKind.Other"/>).
/// </summary>
public sealed class ModelId : IEquatable<ModelId>
{
    private readonly string? _other;

    private ModelId(ModelKind kind, int period, IReadOnlyList<ModelWeight> parts, string? other)
    {
        Kind = kind;
        Period = period;
        Parts = parts;
        _other = other;
    }

    public ModelKind Kind { get; }

    /// <summary>The seasonal period in hours (0 for a model without one).</summary>
    public int Period { get; }

    /// <summary>A combination's models and weights, in order; empty otherwise.</summary>
    public IReadOnlyList<ModelWeight> Parts { get; }

    /// <summary>The seasonal naive: the reference relative MAE is measured against.</summary>
    public bool IsBaseline => Kind == ModelKind.SeasonalNaive;

    public static ModelId Ssa { get; } = Of(ModelKind.Ssa);

    public static ModelId FastTree { get; } = Of(ModelKind.FastTree);

    /// <summary>The naive ensemble (baseline, SSA, FastTree).</summary>
    public static ModelId NaiveEnsemble { get; } = Of(ModelKind.NaiveEnsemble);

    /// <summary>What a served forecast made by a combination names as its model, without the weights.</summary>
    public static ModelId CombinationLabel { get; } = Of(ModelKind.Combination);

    public static ModelId SeasonalNaive(int period) => Of(ModelKind.SeasonalNaive, Positive(period));

    public static ModelId SeasonalMedian(int period) => Of(ModelKind.SeasonalMedian, Positive(period));

    public static ModelId Theta(int period) => Of(ModelKind.Theta, Positive(period));

    /// <summary>The median ensemble of a weekly (<see cref="Horizon.HoursPerWeek"/>) or daily period.</summary>
    public static ModelId Ensemble(int period) => Of(ModelKind.Ensemble, Positive(period));

    /// <summary>A weighted combination of models (at least one).</summary>
    public static ModelId Combination(IReadOnlyList<ModelWeight> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        return new(ModelKind.Combination, 0, [.. parts], null);
    }

    /// <summary>The identity a name stands for: a model of the engine's vocabulary, else <see cref="ModelKind.Other"/>.</summary>
    public static ModelId Parse(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return TryKnown(name) ?? new ModelId(ModelKind.Other, 0, [], name);
    }

    public override string ToString() => Kind switch
    {
        ModelKind.Other => _other!,
        ModelKind.Combination when Parts.Count > 0 =>
            Stems[Kind] + "(" + string.Join("; ", Parts.Select(p => Invariant($"{p.Model} {p.Weight.ToString("0.####", CultureInfo.InvariantCulture)}"))) + ")",
        _ => Period == DefaultPeriod(Kind) ? Stems[Kind] : Stems[Kind] + Period.ToString(CultureInfo.InvariantCulture),
    };

    public bool Equals(ModelId? other) =>
        other is not null && Kind == other.Kind && Period == other.Period && Parts.SequenceEqual(other.Parts) && _other == other._other;

    public override bool Equals(object? obj) => Equals(obj as ModelId);

    public override int GetHashCode() => HashCode.Combine(Kind, Period, Parts.Count, _other);

    public static bool operator ==(ModelId? left, ModelId? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ModelId? left, ModelId? right) => !(left == right);

    private static ModelId Of(ModelKind kind, int period = 0) => new(kind, period, [], null);

    private static int Positive(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        return period;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Each kind's name; a periodic kind's name carries its period unless it is the kind's default.</summary>
    private static readonly Dictionary<ModelKind, string> Stems = new()
    {
        [ModelKind.SeasonalNaive] = "snaive",
        [ModelKind.SeasonalMedian] = "smedian",
        [ModelKind.Theta] = "theta",
        [ModelKind.Ssa] = "ssa",
        [ModelKind.FastTree] = "fasttree",
        [ModelKind.Ensemble] = "ensemble",
        [ModelKind.NaiveEnsemble] = "ensemble-n",
        [ModelKind.Combination] = "combination",
    };

    /// <summary>The period a kind's bare name stands for (0: the kind has none).</summary>
    private static int DefaultPeriod(ModelKind kind) => kind switch
    {
        ModelKind.SeasonalNaive or ModelKind.SeasonalMedian or ModelKind.Ensemble => Horizon.HoursPerWeek,
        ModelKind.Theta => Horizon.HoursPerDay,
        _ => 0,
    };

    /// <summary>A name of the vocabulary: exactly what <see cref="ToString"/> writes for the identity it is read as.</summary>
    private static ModelId? TryKnown(string name)
    {
        foreach (var (kind, stem) in Stems)
        {
            if (!name.StartsWith(stem, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = name.AsSpan(stem.Length);
            var period = DefaultPeriod(kind);
            if (rest.IsEmpty || (period > 0 && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out period) && period > 0))
            {
                var id = Of(kind, period);
                if (id.ToString() == name)
                {
                    return id;
                }
            }
        }

        return TryCombination(name);
    }

    /// <summary><c>combination(name weight; name weight)</c>, each name any model's (the weights are invariant numbers).</summary>
    private static ModelId? TryCombination(string name)
    {
        var prefix = Stems[ModelKind.Combination] + "(";
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(')'))
        {
            return null;
        }

        var parts = new List<ModelWeight>();
        foreach (var part in name[prefix.Length..^1].Split("; "))
        {
            var space = part.LastIndexOf(' ');
            if (space <= 0 || !double.TryParse(part[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
            {
                return null;
            }

            parts.Add(new ModelWeight(part[..space], weight));
        }

        return parts.Count > 0 ? new ModelId(ModelKind.Combination, 0, parts, null) : null;
    }
}
