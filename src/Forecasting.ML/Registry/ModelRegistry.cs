using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Forecasting.Core;
using Forecasting.Core.Series;

namespace Forecasting.ML.Registry;

/// <summary>
/// Versioned model folders: <c>&lt;root&gt;/&lt;name&gt;/&lt;version&gt;/</c> with <c>manifest.json</c> and model
/// files, and <c>&lt;root&gt;/&lt;name&gt;/current.json</c> naming the champion. A version is written to a
/// temporary folder and renamed into place, and <c>current.json</c> is replaced by rename, so a crash
/// leaves either the old state or the new one, never half of a version or a pointer to nothing.
/// </summary>
public sealed class ModelRegistry(string root)
{
    public const string ManifestFile = "manifest.json";
    public const string CurrentFile = "current.json";

    /// <summary>The global FastTree model of a version (absent when no series had enough history for it).</summary>
    public const string FastTreeFile = "fasttree.zip";

    /// <summary>The served backtest forecasts the version was judged on (reports chart them; plans check recent anomalies).</summary>
    public const string BacktestFile = "backtest.csv";

    private const string RecoveryFile = ".last-recovery";

    /// <summary>The registry unit of a target's models: <c>global-tokens</c>, <c>global-requests</c>, <c>global-cost</c>.</summary>
    public static string NameOf(ForecastTarget target) => $"global-{target.Name()}";

    /// <summary>
    /// The registry unit of one shard of a sharded retrain: <c>global-tokens-shard-03-of-08</c> for a leaf shard,
    /// <c>global-tokens-shard-rollups-of-08</c> for the roll-up shard (<see cref="ShardLayout.Rollups"/>). Each has its own
    /// versions and champion; the union of a layout's shard champions is served as one version of <see cref="NameOf(ForecastTarget)"/>.
    /// </summary>
    public static string NameOf(ForecastTarget target, int shard, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shard, count);
        return shard == count ? $"{NameOf(target)}-shard-rollups-of-{count:00}" : $"{NameOf(target)}-shard-{shard:00}-of-{count:00}";
    }

    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>
    /// A staging folder (<c>.tmp-*</c>) or champion pointer (<c>current.json.*.tmp</c>) untouched for this long was left
    /// by a registration that died (SIGKILL, power loss): longer than any training run, so a live one is never removed.
    /// </summary>
    public TimeSpan OrphanAge { get; init; } = TimeSpan.FromHours(6);

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Writes a new version: <paramref name="writeFiles"/> fills a temporary folder (model files), the
    /// manifest is added with the version assigned, and the folder is renamed into place.
    /// </summary>
    public ModelManifest Register(string name, ModelManifest manifest, Action<string> writeFiles)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(writeFiles);
        var folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        RemoveOrphans(folder);
        var temporary = Path.Combine(folder, $".tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            writeFiles(temporary);
            for (var attempt = 0; ; attempt++)
            {
                var version = NextVersion(folder);
                var stamped = manifest with { Version = version };
                WriteJson(Path.Combine(temporary, ManifestFile), stamped);
                try
                {
                    Directory.Move(temporary, Path.Combine(folder, version));
                    return stamped;
                }
                catch (IOException) when (attempt < 5 && Directory.Exists(Path.Combine(folder, version)))
                {
                    // Another trainer took this number between our look and our rename: take the next.
                }
            }
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    public IReadOnlyList<ModelManifest> List(string name)
    {
        var folder = Path.Combine(Root, name);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.GetDirectories(folder, "v*")
            .Select(d => Path.Combine(d, ManifestFile))
            .Where(File.Exists)
            .Select(ReadJson<ModelManifest>)
            .OrderBy(m => m.Version, StringComparer.Ordinal)];
    }

    public ChampionPointer? Champion(string name)
    {
        var path = Path.Combine(Root, name, CurrentFile);
        return File.Exists(path) ? ReadJson<ChampionPointer>(path) : null;
    }

    public ModelManifest? ChampionManifest(string name) => Champion(name) is { } pointer ? Load(name, pointer.Version) : null;

    public ModelManifest Load(string name, string version)
    {
        var path = Path.Combine(VersionFolder(name, version), ManifestFile);
        if (!File.Exists(path))
        {
            throw new InvalidInputException($"model version {name}/{version} does not exist in {Root}");
        }

        return ReadJson<ModelManifest>(path);
    }

    public string VersionFolder(string name, string version) => Path.Combine(Root, name, version);

    /// <summary>The path of one of a version's files (<see cref="FastTreeFile"/>, <see cref="BacktestFile"/>).</summary>
    public string ArtifactPath(string name, string version, string file) => Path.Combine(VersionFolder(name, version), file);

    /// <summary>
    /// Claims the one recovered retrain of <paramref name="name"/> allowed per <paramref name="window"/>,
    /// recorded beside the models (shared by a cluster's nodes): false when one was claimed within it.
    /// </summary>
    public bool TryClaimRecovery(string name, DateTimeOffset now, TimeSpan window)
    {
        var marker = Path.Combine(Root, name, RecoveryFile);
        if (File.Exists(marker)
            && DateTimeOffset.TryParse(File.ReadAllText(marker), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var last)
            && now - last < window)
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        File.WriteAllText(marker, now.ToString("O", CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>
    /// Records how one shard of the sharded retrain <paramref name="run"/> ended (<c>&lt;unit&gt;/.runs/&lt;run&gt;.json</c>,
    /// written by rename), so the coordinating job, on whichever node, sees every shard's end.
    /// </summary>
    public void RecordShardRun(string unit, string run, ShardRunRecord record)
    {
        var folder = Path.Combine(Root, unit, ".runs");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, SafeFileName(run) + ".json");
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        WriteJson(temporary, record);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>How one shard of the sharded retrain <paramref name="run"/> ended; null while it has not.</summary>
    public ShardRunRecord? ShardRun(string unit, string run)
    {
        var path = Path.Combine(Root, unit, ".runs", SafeFileName(run) + ".json");
        return File.Exists(path) ? ReadJson<ShardRunRecord>(path) : null;
    }

    private static string SafeFileName(string text) =>
        string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    /// <summary>
    /// One training of <paramref name="name"/> at a time on this registry: an exclusive lock on
    /// <c>&lt;name&gt;/.training.lock</c>, which the operating system releases if the process dies.
    /// Null when another process (or thread) still holds it after <paramref name="wait"/>.
    /// </summary>
    public IDisposable? TryLockTraining(string name, TimeSpan wait)
    {
        var folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        return Core.IO.FileLock.TryAcquire(Path.Combine(folder, ".training.lock"), wait, TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Makes <paramref name="version"/> the champion (promotion or rollback), atomically.</summary>
    public void SetChampion(string name, string version, string reason, DateTimeOffset now)
    {
        _ = Load(name, version);
        var path = Path.Combine(Root, name, CurrentFile);
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        WriteJson(temporary, new ChampionPointer(version, now, reason));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes what killed registrations left: staging folders and pointer files older than <see cref="OrphanAge"/>.</summary>
    private void RemoveOrphans(string folder)
    {
        var cutoff = Clock.GetUtcNow().UtcDateTime - OrphanAge;
        foreach (var staging in new DirectoryInfo(folder).EnumerateDirectories(".tmp-*"))
        {
            try
            {
                // The newest write inside says when the registration was last alive.
                var lastWrite = staging.EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
                    .Select(f => f.LastWriteTimeUtc)
                    .Append(staging.LastWriteTimeUtc)
                    .Max();
                if (lastWrite < cutoff)
                {
                    staging.Delete(recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: the next registration tries again.
            }
        }

        foreach (var pointer in new DirectoryInfo(folder).EnumerateFiles(CurrentFile + ".*.tmp"))
        {
            try
            {
                if (pointer.LastWriteTimeUtc < cutoff)
                {
                    pointer.Delete();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort, as above.
            }
        }
    }

    private static string NextVersion(string folder)
    {
        var highest = Directory.GetDirectories(folder, "v*")
            .Select(Path.GetFileName)
            .Select(n => int.TryParse(n![1..], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .DefaultIfEmpty(0)
            .Max();
        return $"v{highest + 1:0000}";
    }

    private static void WriteJson<T>(string path, T value)
    {
        using (var stream = File.Create(path))
        {
            JsonSerializer.Serialize(stream, value, Json);
            stream.Flush(flushToDisk: true);
        }
    }

    private static T ReadJson<T>(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
