namespace AgentRegistry.Tests.Operations;

/// <summary>A configuration error at start: one line naming the setting and what it may be, a non-zero exit, no stack trace.</summary>
public sealed class ConfigurationErrorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agentregistry-config-").FullName;

    [Theory]
    [InlineData("Waldur:Webhooks:MaxBodyBytes", "0", "Configuration error: Waldur:Webhooks:MaxBodyBytes: The field MaxBodyBytes must be between 1024 and 10485760.")]
    [InlineData("Metering:AggregateSeconds", "often", "Configuration error: Metering:AggregateSeconds must be a whole number.")]
    public async Task ABadSettingStopsTheStartWithOneLineNamingIt(string setting, string value, string expected)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_directory, "registry.db")}",
            ["Identity:BootstrapAdminPassword"] = "configuration-test-password",
            [setting] = value,
        };
        var (exit, output) = await RegistryProcess.RunAsync(settings, "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, exit);
        Assert.Contains(expected, output);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Exception", output);
        Assert.False(File.Exists(Path.Combine(_directory, "registry.db")), "nothing was started, so no database was created");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
