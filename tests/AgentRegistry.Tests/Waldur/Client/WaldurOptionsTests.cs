using AgentRegistry.Waldur.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Tests.Waldur.Client;

public sealed class WaldurOptionsTests
{
    [Theory]
    [InlineData("https://waldur.example.com", "https://waldur.example.com/api/")]
    [InlineData("https://waldur.example.com/", "https://waldur.example.com/api/")]
    [InlineData("https://waldur.example.com/api", "https://waldur.example.com/api/")]
    [InlineData("https://waldur.example.com/api/", "https://waldur.example.com/api/")]
    [InlineData("https://example.com/waldur/api/", "https://example.com/waldur/api/")]
    [InlineData("https://example.com/waldur", "https://example.com/waldur/api/")]
    [InlineData("http://127.0.0.1:5081/api?x=1", "http://127.0.0.1:5081/api/")]
    public void ApiUrlIsNormalisedToTheApiRoot(string configured, string root)
    {
        var options = new WaldurOptions { ApiUrl = configured, Token = "t" };
        Assert.Equal(root, options.ApiRoot!.AbsoluteUri);
        Assert.Empty(Validate(options));
    }

    [Fact]
    public async Task RelationsAreHyperlinksUnderTheApiRoot()
    {
        await using var services = Services(new() { ["Waldur:ApiUrl"] = "https://waldur.example.com", ["Waldur:Token"] = "t" });
        var client = services.GetRequiredService<WaldurClient>();

        Assert.Equal("https://waldur.example.com/api/customers/4633bbbb0b3a4b91bffc0e18f853de85/",
            client.Link("customers", Guid.Parse("4633bbbb-0b3a-4b91-bffc-0e18f853de85")));
    }

    [Fact]
    public void DefaultsAreThirtySecondsAndThreeRetries()
    {
        var options = new WaldurOptions();
        Assert.Equal((30d, 3), (options.TimeoutSeconds, options.Retries));
        Assert.Equal(TimeSpan.FromSeconds(150), options.TotalTimeout);
        Assert.False(options.Enabled);
    }

    [Theory]
    [InlineData("waldur.example.com/api/", "t", "Waldur:ApiUrl must be an absolute http(s) URL")]
    [InlineData("ftp://waldur.example.com/api/", "t", "Waldur:ApiUrl must be an absolute http(s) URL")]
    [InlineData("https://user:pw@waldur.example.com/api/", "t", "must not carry credentials")]
    [InlineData("https://waldur.example.com/api/", null, "must be set together")]
    [InlineData(null, "t", "must be set together")]
    [InlineData("https://waldur.example.com/api/", "two words", "must not contain whitespace")]
    public void BadSettingsFailAtStartWithAClearMessage(string? url, string? token, string message)
    {
        using var services = Services(new() { ["Waldur:ApiUrl"] = url, ["Waldur:Token"] = token });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void OutOfRangeTimeoutFailsAtStart()
    {
        using var services = Services(new() { ["Waldur:TimeoutSeconds"] = "0" });
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    [Fact]
    public async Task WithoutUrlAndTokenTheIntegrationIsOffAndCallsSaySo()
    {
        await using var services = Services([]);
        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.False(services.GetRequiredService<IOptions<WaldurOptions>>().Value.Enabled);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => services.GetRequiredService<WaldurClient>().GetCurrentUserAsync());
        Assert.Contains("Waldur:ApiUrl", error.Message);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWaldurClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    private static List<System.ComponentModel.DataAnnotations.ValidationResult> Validate(WaldurOptions options)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);
        return results;
    }
}
