using System.Diagnostics;
using System.Net;
using AgentRegistry.Waldur.Client;

namespace AgentRegistry.Tests.Waldur.Client;

/// <summary>Client behaviour on answers only a scripted Waldur gives.</summary>
public sealed class WaldurStubbedAnswerTests
{
    private const string Me = """{"uuid": "4633bbbb0b3a4b91bffc0e18f853de85", "username": "sp", "is_staff": false, "is_support": true, "extra": 1}""";

    [Fact]
    public async Task TooManyRequestsWaitsAsLongAsRetryAfterSays()
    {
        await using var stub = new StubWaldur((_, n) =>
        {
            if (n > 1) return StubWaldur.Json(HttpStatusCode.OK, Me);
            var busy = StubWaldur.Json(HttpStatusCode.TooManyRequests, """{"detail": "Request was throttled."}""");
            busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return busy;
        });
        var clock = Stopwatch.StartNew();

        var me = await stub.Client.GetCurrentUserAsync();

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}");
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal(("sp", false, true), (me.Username, me.IsStaff, me.IsSupport));
    }

    [Fact]
    public async Task RequestsCarryTheTokenHeaderAndGoToTheApiRoot()
    {
        await using var stub = new StubWaldur((_, _) => StubWaldur.Json(HttpStatusCode.OK, Me));

        await stub.Client.GetCurrentUserAsync();

        var request = Assert.Single(stub.Requests);
        Assert.Equal("Token", request.Headers.Authorization!.Scheme);
        Assert.Equal(StubWaldur.Token, request.Headers.Authorization.Parameter);
        Assert.Equal("https://waldur.example.org/api/users/me/", request.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task NetworkErrorsAreRetriedThenReportedAsTransient()
    {
        await using var stub = new StubWaldur((_, _) => throw new HttpRequestException("Connection refused (waldur.example.org:443)"),
            new Dictionary<string, string?> { ["Waldur:Retries"] = "2" });

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => stub.Client.GetCurrentUserAsync());

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task TokenEchoedByWaldurNeverReachesMessagesOrLogs()
    {
        await using var stub = new StubWaldur((r, _) => StubWaldur.Json(HttpStatusCode.Unauthorized,
            $$"""{"detail": "Invalid token {{r.Headers.Authorization!.Parameter}}.", "token": ["{{r.Headers.Authorization.Parameter}} is expired"]}"""));

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => stub.Client.GetCurrentUserAsync());

        Assert.False(error.IsTransient);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain(StubWaldur.Token, error.Message);
        Assert.DoesNotContain(StubWaldur.Token, error.Detail);
        Assert.DoesNotContain(StubWaldur.Token, error.FieldErrors["token"].Single());
        Assert.Contains("Invalid token ***.", error.Message);
        Assert.NotEmpty(stub.Logs.Lines);
        Assert.DoesNotContain(stub.Logs.Lines, l => l.Contains(StubWaldur.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LongErrorBodyIsCutOnlyAfterTheTokenIsRemoved()
    {
        var body = new string('x', 1990) + StubWaldur.Token + " trailing";
        await using var stub = new StubWaldur((_, _) => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent(body) },
            new Dictionary<string, string?> { ["Waldur:Retries"] = "0" });

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => stub.Client.GetCurrentUserAsync());

        Assert.True(error.IsTransient);
        Assert.DoesNotContain(StubWaldur.Token[..8], error.Message);
    }

    [Fact]
    public async Task PagesWithoutLinkHeaderFollowTheResultCount()
    {
        await using var stub = new StubWaldur((r, _) =>
        {
            var page = r.RequestUri!.Query.Contains("page=2") ? 2 : 1;
            var ids = Enumerable.Range((page - 1) * 100, page == 1 ? 100 : 30);
            var body = "[" + string.Join(",", ids.Select(i => $$"""{"uuid": "{{new Guid(i, 0, 0, new byte[8]):N}}", "title": "c{{i}}"}""")) + "]";
            var response = StubWaldur.Json(HttpStatusCode.OK, body);
            response.Headers.Add("X-Result-Count", "130");
            return response;
        });

        var categories = await stub.Client.ListCategoriesAsync();

        Assert.Equal(130, categories.Count);
        Assert.Equal(130, categories.Select(c => c.Uuid).Distinct().Count());
        Assert.Equal(2, stub.Requests.Count);
        Assert.All(stub.Requests, r => Assert.Contains("page_size=100", r.RequestUri!.Query));
    }

    [Fact]
    public async Task DecimalsAreReadFromStringsAndNumbers()
    {
        const string usages = """
            [{"uuid": "0d3f8b1e54e84a67a0a3c47c6f0a9b11", "type": "tokens", "usage": 12.5, "billing_period": "2026-11-01", "date": "2026-11-15T08:37:14.715810Z"},
             {"uuid": "0d3f8b1e-54e8-4a67-a0a3-c47c6f0a9b12", "type": "seats", "usage": "3.25", "billing_period": "2026-11-01"}]
            """;
        await using var stub = new StubWaldur((_, _) => StubWaldur.Json(HttpStatusCode.OK, usages));

        var read = await stub.Client.ListComponentUsagesAsync(Guid.NewGuid(), new DateOnly(2026, 11, 20));

        Assert.Equal([12.5m, 3.25m], read.Select(u => u.Usage));
        Assert.Equal(Guid.Parse("0d3f8b1e-54e8-4a67-a0a3-c47c6f0a9b12"), read[1].Uuid);
        Assert.Equal(new DateOnly(2026, 11, 1), read[0].BillingPeriod);
        Assert.Contains("billing_period=2026-11-01", Assert.Single(stub.Requests).RequestUri!.Query);
    }

    [Fact]
    public async Task UnreadableSuccessBodyIsAPermanentError()
    {
        await using var stub = new StubWaldur((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>login</html>") });

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => stub.Client.GetCurrentUserAsync());

        Assert.False(error.IsTransient);
        Assert.Contains("cannot read", error.Message);
    }

    [Fact]
    public async Task CallerCancellationIsNotReportedAsAWaldurFailure()
    {
        await using var stub = new StubWaldur((_, _) => StubWaldur.Json(HttpStatusCode.OK, Me));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stub.Client.GetCurrentUserAsync(cancelled.Token));
    }
}
