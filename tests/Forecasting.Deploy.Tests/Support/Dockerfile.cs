using System.Text.Json;

namespace Forecasting.Deploy.Tests.Support;

/// <summary>The repository's Dockerfile as instructions (continuation lines joined, comments dropped), per stage.</summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<Instruction> global, IReadOnlyList<Stage> stages)
    {
        Global = global;
        Stages = stages;
    }

    /// <summary>Instructions before the first FROM (the ARGs FROM may use).</summary>
    public IReadOnlyList<Instruction> Global { get; }

    public IReadOnlyList<Stage> Stages { get; }

    public Stage Final => Stages[^1];

    public static Dockerfile Load() => Parse(File.ReadAllText(Path.Combine(Repo.Root, "Dockerfile")));

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<Instruction>();
        var pending = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (pending.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
            {
                continue;
            }

            if (pending.Length > 0 && line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var whole = (pending + line).Trim();
            pending = "";
            var space = whole.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(new Instruction(whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim()));
        }

        var global = instructions.TakeWhile(i => i.Name != "FROM").ToList();
        var stages = new List<Stage>();
        foreach (var instruction in instructions.Skip(global.Count))
        {
            if (instruction.Name == "FROM")
            {
                stages.Add(new Stage(instruction, []));
            }
            else
            {
                stages[^1].Instructions.Add(instruction);
            }
        }

        return new Dockerfile(global, stages);
    }

    /// <summary>The default of a global ARG (<c>ARG NAME=value</c>), quotes removed.</summary>
    public string GlobalArg(string name) => ArgDefault(Global, name);

    public static string ArgDefault(IEnumerable<Instruction> instructions, string name)
    {
        var arg = Assert.Single(instructions, i => i.Name == "ARG" && i.Arguments.StartsWith(name + "=", StringComparison.Ordinal));
        return arg.Arguments[(name.Length + 1)..].Trim('"');
    }

    internal sealed record Instruction(string Name, string Arguments)
    {
        /// <summary>The arguments in exec form (a JSON array).</summary>
        public string[] Exec => JsonSerializer.Deserialize<string[]>(Arguments) ?? throw new InvalidOperationException($"{Name} {Arguments} is not in exec form");
    }

    internal sealed record Stage(Instruction From, List<Instruction> Instructions)
    {
        public IEnumerable<Instruction> All(string name) => Instructions.Where(i => i.Name == name);

        public Instruction Single(string name) => Assert.Single(Instructions, i => i.Name == name);

        /// <summary>ENV values of the stage (both <c>ENV A=1 B=2</c> forms joined), by name.</summary>
        public Dictionary<string, string> Env() =>
            All("ENV").SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(p => p[0], p => p[1].Trim('"'), StringComparer.Ordinal);
    }
}
