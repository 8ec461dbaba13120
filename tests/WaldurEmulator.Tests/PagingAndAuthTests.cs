using System.Net;
using System.Net.Http.Headers;
using WaldurEmulator.Tests.Support;

namespace WaldurEmulator.Tests;

public sealed class PagingAndAuthTests
{
    [Fact]
    public async Task ListsArePagedWithResultCountAndLinkHeaders()
    {
        await using var s = await EmulatorSession.StartAsync();
        for (var i = 0; i < 5; i++) await s.ControlPost("/emulator/customers", new { name = $"Org {i}" });

        var page = await s.Api.Get("/api/customers/?page=2&page_size=2");

        Assert.Equal(["Org 2", "Org 3"], page.Array.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("5", page.Header("X-Result-Count"));
        var b = s.Base;
        Assert.Equal(
            $"<{b}/api/customers/?page_size=2>; rel=\"first\", <{b}/api/customers/?page_size=2>; rel=\"prev\", " +
            $"<{b}/api/customers/?page=3&page_size=2>; rel=\"next\", <{b}/api/customers/?page=3&page_size=2>; rel=\"last\"",
            page.Header("Link"));
    }

    [Fact]
    public async Task DefaultPageSizeIsTen()
    {
        await using var s = await EmulatorSession.StartAsync();
        for (var i = 0; i < 12; i++) await s.ControlPost("/emulator/customers", new { name = $"Org {i}" });

        var page = await s.Api.Get("/api/customers/");

        Assert.Equal(10, page.Array.Count);
        Assert.Equal("12", page.Header("X-Result-Count"));
    }

    [Fact]
    public async Task PageBeyondTheLastIsNotFound()
    {
        await using var s = await EmulatorSession.StartAsync();
        var response = await s.Api.Get("/api/customers/?page=2");
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("Invalid page.", response.Object["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task FieldParameterKeepsOnlyTheNamedFields()
    {
        await using var s = await EmulatorSession.StartAsync();
        await s.ControlPost("/emulator/customers", new { name = "Org" });
        var response = await s.Api.Get("/api/customers/?field=uuid&field=name");
        Assert.Equal(["name", "uuid"], response.Array.Single()!.AsObject().Select(p => p.Key).Order());
    }

    [Theory]
    [InlineData(null, "Authentication credentials were not provided.")]
    [InlineData("Token wrong-token", "Invalid token.")]
    [InlineData("Basic emulator-token", "Invalid token header.")]
    public async Task RequestsWithoutAValidTokenAreUnauthorized(string? header, string detail)
    {
        await using var s = await EmulatorSession.StartAsync();
        using var client = new HttpClient { BaseAddress = s.Host.BaseAddress };
        if (header is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        using var response = await client.GetAsync("/api/customers/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"{{\"detail\":\"{detail}\"}}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("Token")]
    [InlineData("token")]
    [InlineData("Bearer")]
    public async Task TokenAndBearerSchemesAreAccepted(string scheme)
    {
        await using var s = await EmulatorSession.StartAsync();
        using var client = new HttpClient { BaseAddress = s.Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, "emulator-token");

        using var response = await client.GetAsync("/api/users/me/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UsersMeReportsANonStaffToken()
    {
        await using var s = await EmulatorSession.StartAsync(o =>
            o.Tokens.Add(new EmulatorToken { Token = "sp-token", Username = "sp-owner", IsStaff = false }));

        var me = (await s.ApiAs("sp-token").Get("/api/users/me/")).Object;

        Assert.Equal("sp-owner", me["username"]!.GetValue<string>());
        Assert.False(me["is_staff"]!.GetValue<bool>());
        Assert.False(me["is_support"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ConfiguredTokensReplaceTheDefaultToken()
    {
        await using var s = await EmulatorSession.StartAsync(o => o.Tokens.Add(new EmulatorToken { Token = "only" }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Api.Get("/api/users/me/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.ApiAs("only").Get("/api/users/me/")).Status);
    }

    [Fact]
    public async Task ControlTokenGuardsTheControlApi()
    {
        await using var s = await EmulatorSession.StartAsync(o => o.ControlToken = "secret");
        using var guarded = s.Host.CreateControlClient("secret");

        using var without = await s.Control.GetAsync("/emulator/state", TestContext.Current.CancellationToken);
        using var with = await guarded.GetAsync("/emulator/state", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }
}
