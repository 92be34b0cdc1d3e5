using Forecasting.Core.Usage;

namespace Forecasting.Core.Tests.Usage;

public sealed class ModelAliasesTests
{
    [Theory]
    [InlineData("claude-sonnet-4-5", "claude-sonnet-4.5")]
    [InlineData("anthropic/claude-sonnet-4.5", "claude-sonnet-4.5")]
    [InlineData("Anthropic/Claude-Sonnet-4-5", "claude-sonnet-4.5")]
    [InlineData("deepseek-chat", "deepseek-v3.2")]
    [InlineData("deepseek/deepseek-chat", "deepseek-v3.2")]
    [InlineData("deepseek/deepseek-chat-v3-0324", "deepseek-chat-v3-0324")]
    [InlineData("openai/gpt-4.1-2025-04-14", "gpt-4.1")]
    [InlineData(" deepseek-v3.2 ", "deepseek-v3.2")]
    [InlineData("mystery-llm", "mystery-llm")]
    [InlineData("acme/model", "acme/model")]
    public void TheBuiltInListGivesOneNamePerModel(string raw, string canonical) =>
        Assert.Equal(canonical, ModelAliases.Default.Canonical(raw));

    [Fact]
    public void AConfiguredAliasWinsOverTheBuiltInListWithOrWithoutItsPrefix()
    {
        var aliases = new ModelAliases(new Dictionary<string, string> { ["deepseek-chat"] = "deepseek-v3.1", ["deepseek-chat-v3-0324"] = "deepseek-v3" });

        Assert.Equal("deepseek-v3.1", aliases.Canonical("deepseek-chat"));
        Assert.Equal("deepseek-v3", aliases.Canonical("deepseek/deepseek-chat-v3-0324"));
        Assert.Equal("claude-sonnet-4.5", aliases.Canonical("claude-sonnet-4-5"));
    }

    [Fact]
    public void APrefixedNameBecomesAValidName()
    {
        Assert.NotNull(UsageLimits.CheckName("deepseek/deepseek-chat-v3-0324"));
        Assert.Null(UsageLimits.CheckName(ModelAliases.Default.Canonical("deepseek/deepseek-chat-v3-0324")));
    }
}
