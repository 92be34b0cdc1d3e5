using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Forecasting.Deploy.Tests.Support;

/// <summary>The Kubernetes objects of deploy/kubernetes/*.yaml, as nested dictionaries and lists.</summary>
internal static class Manifests
{
    public static IReadOnlyList<Dictionary<object, object>> All { get; } = Load();

    public static Dictionary<object, object> Single(string kind) => Assert.Single(All, o => (string)o["kind"] == kind);

    /// <summary>The node at <paramref name="path"/> (mapping keys, or list indexes as numbers), failing with the path when absent.</summary>
    public static object At(object node, params object[] path)
    {
        var here = node;
        foreach (var step in path)
        {
            here = (here, step) switch
            {
                (Dictionary<object, object> map, string key) when map.TryGetValue(key, out var next) => next,
                (List<object> list, int index) when index < list.Count => list[index],
                _ => throw new Xunit.Sdk.XunitException($"no {string.Join('.', path)} (stopped at {step})"),
            };
        }

        return here;
    }

    public static string Text(object node, params object[] path) => Assert.IsType<string>(At(node, path));

    public static Dictionary<object, object> Map(object node, params object[] path) => Assert.IsType<Dictionary<object, object>>(At(node, path));

    public static List<object> List(object node, params object[] path) => Assert.IsType<List<object>>(At(node, path));

    private static List<Dictionary<object, object>> Load()
    {
        var deserializer = new DeserializerBuilder().Build();
        var objects = new List<Dictionary<object, object>>();
        foreach (var file in Directory.GetFiles(Repo.Deploy("kubernetes"), "*.yaml").Order(StringComparer.Ordinal))
        {
            using var reader = new StringReader(File.ReadAllText(file));
            var parser = new Parser(reader);
            parser.Consume<StreamStart>();
            while (parser.Accept<DocumentStart>(out _))
            {
                objects.Add(deserializer.Deserialize<Dictionary<object, object>>(parser));
            }
        }

        return objects;
    }
}
