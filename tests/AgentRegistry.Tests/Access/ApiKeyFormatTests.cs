using AgentRegistry.Access;

namespace AgentRegistry.Tests.Access;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void GeneratedKeysAreWellFormedAndDistinct()
    {
        var a = ApiKeyFormat.Generate();
        var b = ApiKeyFormat.Generate();
        Assert.StartsWith("ar_live_", a);
        Assert.Equal(ApiKeyFormat.Length, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal(ApiKeyDefect.None, ApiKeyFormat.Check(a));
    }

    [Fact]
    public void OneChangedCharacterFailsTheChecksum()
    {
        var key = ApiKeyFormat.Generate().ToCharArray();
        key[12] = key[12] == 'a' ? 'b' : 'a';
        Assert.Equal(ApiKeyDefect.Checksum, ApiKeyFormat.Check(new string(key)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ar_live_short")]
    [InlineData("sk-0123456789012345678901234567890123456789")]
    [InlineData("ar_live_0123456789012345678901234567890123456!")]
    public void ForeignShapesAreMalformed(string key) => Assert.Equal(ApiKeyDefect.Malformed, ApiKeyFormat.Check(key));

    [Fact]
    public void OnlyTheHashIsDerivedAndItIsStable()
    {
        var key = ApiKeyFormat.Generate();
        Assert.Equal(ApiKeyFormat.Hash(key), ApiKeyFormat.Hash(key));
        Assert.Equal(32, ApiKeyFormat.Hash(key).Length);
        Assert.Equal(key[..12], ApiKeyFormat.DisplayPrefix(key));
    }
}
