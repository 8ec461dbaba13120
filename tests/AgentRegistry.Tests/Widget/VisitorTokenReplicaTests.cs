using System.Net.Http.Headers;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Widget;

/// <summary>
/// Two registry replicas on one PostgreSQL database, without <c>Widget:TokenSecret</c>: a visitor token issued by one
/// is accepted by the other (the Data Protection key ring lives in the shared database).
/// </summary>
public sealed class VisitorTokenReplicaTests(RegistryApp<Postgres> app) : RegistryTest(app), IClassFixture<RegistryApp<Postgres>>
{
    private const string Shop = "https://shop.example.com";

    private static HttpRequestMessage From(HttpMethod method, string url, string? token = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Origin", Shop);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body, options: Api.Json);
        return request;
    }

    [Fact]
    public async Task TokenIssuedByOneReplicaIsAcceptedByTheOther()
    {
        Assert.False(App.Settings.ContainsKey("Widget:TokenSecret"));
        var t = await App.TenantAsync(await Op());
        var widget = await t.Member.PostJson($"/api/v1/accesses/{t.Seeded.AccessId}/widgets", new { name = "Shop", allowed_origins = new[] { Shop } }).Created();
        var key = (string)widget["key"]!;

        await using var replica = new Replica(App.Settings);
        using var second = new HttpClient { BaseAddress = replica.Start() };
        var first = App.Anonymous();

        var fromFirst = (string)(await first.SendAsync(From(HttpMethod.Get, $"/api/widget/v1/{key}/init")).Json200())["visitor_token"]!;
        var answer = await second.SendAsync(From(HttpMethod.Post, $"/api/widget/v1/{key}/messages", fromFirst, new { message = "hello" })).Json200();
        var conversation = (string)answer["conversation_id"]!;

        var fromSecond = (string)(await second.SendAsync(From(HttpMethod.Get, $"/api/widget/v1/{key}/init")).Json200())["visitor_token"]!;
        await first.SendAsync(From(HttpMethod.Post, $"/api/widget/v1/{key}/messages", fromSecond, new { message = "hello" })).Json200();
        // The same visitor reads their thread on either replica.
        await first.SendAsync(From(HttpMethod.Get, $"/api/widget/v1/{key}/conversations/{conversation}", fromFirst)).Json200();
        await second.SendAsync(From(HttpMethod.Get, $"/api/widget/v1/{key}/conversations/{conversation}", fromFirst)).Json200();
    }
}
