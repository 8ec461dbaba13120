using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Knowledge;

/// <summary>A subscribed tenant with a member signed in and a chat key: what the knowledge and chat tests start from.</summary>
public sealed record Trained(Seeded Seeded, HttpClient Member, HttpClient Key, string KeyText)
{
    public string Documents => $"/api/v1/accesses/{Seeded.AccessId}/documents";
}

public static class Training
{
    public static async Task<Trained> TenantAsync(this RegistryApp app, HttpClient op)
    {
        var seeded = await op.SubscribedTenantAsync();
        var member = await app.MemberAsync(op, seeded.TenantId);
        var key = await member.IssueKeyAsync(seeded.AccessId, "chat");
        return new Trained(seeded, member, app.WithKey(key), key);
    }

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string url, byte[] bytes, string fileName, string? contentType = null)
    {
        var file = new ByteArrayContent(bytes);
        if (contentType is not null) file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return client.PostAsync(url, new MultipartFormDataContent { { file, "file", fileName } });
    }

    /// <summary>Uploads and waits until the pipeline has made the document ready.</summary>
    public static async Task<JsonNode> TrainAsync(this Trained t, byte[] bytes, string fileName, string? contentType = null)
    {
        var doc = await t.Member.UploadAsync(t.Documents, bytes, fileName, contentType).Created();
        return await t.WaitAsync(doc.Id());
    }

    public static async Task<JsonNode> WaitAsync(this Trained t, string docId, string status = "ready")
    {
        var until = Deadline.InSeconds(60);
        while (true)
        {
            var doc = await t.Member.GetAsync($"{t.Documents}/{docId}").Json200();
            if ((string?)doc["status"] == status) return doc;
            Assert.True((string?)doc["status"] is "queued" or "processing", $"Document ended {doc["status"]}: {doc["failure_reason"]}");
            Assert.True(until.Open, $"Document still {doc["status"]}");
            await Task.Delay(100);
        }
    }

    public static Task<JsonNode> AskAsync(this Trained t, string message, string? conversationId = null) =>
        t.Key.PostJson("/api/v1/chat", new { message, conversation_id = conversationId }).Json200();
}
