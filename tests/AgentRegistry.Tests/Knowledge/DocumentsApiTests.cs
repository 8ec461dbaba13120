using System.Text;
using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using AgentRegistry.Tests.Infrastructure;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Knowledge;

public abstract class DocumentsApiTests(RegistryApp app) : RegistryTest(app)
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static TheoryData<string, string, string, string> Formats => new()
    {
        { "txt", "The warehouse in Tromsø opens at 7 am on weekdays and closes at noon on Saturdays.", "When does the Tromsø warehouse open?", "7 am" },
        { "md", "# Returns\n\nReturned parcels are refunded within 14 days of arrival at our depot.", "How long do refunds for returned parcels take?", "14 days" },
        { "html", "<html><body><h1>Shipping</h1><p>Express shipping to Iceland costs 42 euros per parcel.</p></body></html>", "How much does express shipping to Iceland cost?", "42 euros" },
        { "pdf", "The helpdesk telephone number for urgent outages is 555-0199.", "What is the helpdesk telephone number for outages?", "555-0199" },
        { "docx", "Premium members get a dedicated account manager named Ingrid Solberg.", "Who is the account manager of premium members?", "Ingrid" },
        { "csv", "topic,answer\nwarranty,The red toaster carries a warranty period of three years.\n", "What is the warranty period of the red toaster?", "three years" },
    };

    private static byte[] Build(string format, string content) => format switch
    {
        "pdf" => Fixtures.Pdf([content]),
        "docx" => Fixtures.Docx(body => body.Append(Fixtures.Para("Membership", "Heading1"), Fixtures.Para(content))),
        _ => Utf8(content),
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task EachFormatIsAnsweredFromItsDocumentWithACitation(string format, string content, string question, string expected)
    {
        var t = await App.TenantAsync(await Op());
        var doc = await t.TrainAsync(Build(format, content), $"facts-{format}.{format}");
        Assert.True((int?)doc["chunk_count"] >= 1);

        var reply = await t.AskAsync(question);
        Assert.Contains(expected, (string?)reply["answer"]);
        var citation = Assert.Single(reply["citations"]!.AsArray());
        Assert.Equal(doc.Id(), (string?)citation!["document_id"]);
        Assert.Equal($"facts-{format}", (string?)citation["title"]);
    }

    [Fact]
    public async Task SeedDocumentAnswersTheLoadTestQuestionAndFallsBackOnOthers()
    {
        var t = await App.TenantAsync(await Op());
        await t.TrainAsync(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Knowledge", "Fixtures", "seed.txt")), "seed.txt");

        var answer = (string?)(await t.AskAsync("What is the load testing result?"))["answer"];
        Assert.True(answer!.Contains("30") || answer.Contains("100 concurrent users"), answer);

        await t.Member.PutJson($"/api/v1/accesses/{t.Seeded.AccessId}/configuration", new { fallback_answer = "Sorry, I only know about AgentRegistry." }).Json200();
        var unrelated = await t.AskAsync("Which giraffe species lives in Kenya?");
        Assert.Equal("Sorry, I only know about AgentRegistry.", (string?)unrelated["answer"]);
        Assert.Empty(unrelated["citations"]!.AsArray());
    }

    [Fact]
    public async Task RetrievalTestReportsVectorKeywordAndFusedScores()
    {
        var t = await App.TenantAsync(await Op());
        await t.TrainAsync(Utf8("Refunds are paid to the original card within five business days.\n\nOur office cat is called Pixel."), "policy.txt");
        var result = await t.Member.PostJson($"/api/v1/accesses/{t.Seeded.AccessId}/retrieval-test", new { query = "refund card", top_k = 3 }).Json200();
        var best = result["passages"]!.AsArray()[0]!;
        Assert.Equal("policy", (string?)best["document_title"]);
        Assert.NotNull(best["vector_score"]);
        Assert.NotNull(best["keyword_score"]);
        Assert.True((double?)best["fused_score"] > 0);
    }

    /// <summary>A question asked again is answered from memory; a document change must make it look again.</summary>
    [Fact]
    public async Task AQuestionAskedAgainSeesEveryDocumentChangeInBetween()
    {
        var t = await App.TenantAsync(await Op());
        const string question = "What is the parking garage code?";
        var old = await t.TrainAsync(Utf8("The parking garage code is 4711 for all visitors."), "garage.txt");
        Assert.Contains("4711", (string?)(await t.AskAsync(question))["answer"]);
        Assert.Contains("4711", (string?)(await t.AskAsync(question))["answer"]);

        await t.Member.DeleteAsync($"{t.Documents}/{old.Id()}");
        Assert.DoesNotContain("4711", (string?)(await t.AskAsync(question))["answer"]);

        await t.TrainAsync(Utf8("Since March the parking garage code is 8090 for all visitors."), "garage-new.txt");
        Assert.Contains("8090", (string?)(await t.AskAsync(question))["answer"]);
        var search = await t.Member.PostJson($"/api/v1/accesses/{t.Seeded.AccessId}/retrieval-test", new { query = question }).Json200();
        Assert.Contains("8090", search["passages"]!.ToJsonString());
    }

    [Fact]
    public async Task SameFileTwiceIsStoredOnceAndDeleteRemovesItsChunks()
    {
        var t = await App.TenantAsync(await Op());
        var bytes = Utf8("The parking garage code is 4711 for all visitors.");
        var first = await t.TrainAsync(bytes, "garage.txt");
        var again = await t.Member.UploadAsync(t.Documents, bytes, "copy.txt").Json200();
        Assert.Equal(first.Id(), again.Id());
        Assert.Equal(1, (int?)(await t.Member.GetAsync(t.Documents).Json200())["total"]);

        var reindexed = await t.Member.PostAsync($"{t.Documents}/{first.Id()}/reindex", null).Json200(202);
        Assert.Equal("queued", (string?)reindexed["status"]);
        await t.WaitAsync(first.Id());

        var delete = await t.Member.DeleteAsync($"{t.Documents}/{first.Id()}");
        Assert.Equal(204, (int)delete.StatusCode);
        await t.Member.GetAsync($"{t.Documents}/{first.Id()}").Problem(404);
        var search = await t.Member.PostJson($"/api/v1/accesses/{t.Seeded.AccessId}/retrieval-test", new { query = "parking garage code" }).Json200();
        Assert.Empty(search["passages"]!.AsArray());
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        Assert.False(await db.DocumentChunks.AnyAsync(c => c.DocumentId == Guid.Parse(first.Id())));
    }

    [Fact]
    public async Task RejectedUploadsAreClearProblemsAndStoreNothing()
    {
        var t = await App.TenantAsync(await Op());
        await t.Member.UploadAsync(t.Documents, Utf8("just text, not a pdf"), "report.pdf", "application/pdf").Problem(422, "document-format-mismatch");
        await t.Member.UploadAsync(t.Documents, Utf8("%PDF-1.4\n garbage that is not a pdf body"), "broken.pdf", "application/pdf").Problem(422, "corrupt-document");
        await t.Member.UploadAsync(t.Documents, [], "empty.txt", "text/plain").Problem(422, "empty-document");
        var bomb = Fixtures.Zip([("[Content_Types].xml", Utf8("<Types/>")), ("word/document.xml", new byte[50 * 1024 * 1024])]);
        await t.Member.UploadAsync(t.Documents, bomb, "bomb.docx").Problem(422, "document-archive-bomb");
        await t.Member.UploadAsync(t.Documents, new byte[1024 * 1024 + 1], "huge.txt", "text/plain").Problem(413, "document-too-large");
        await t.Member.PostAsync(t.Documents, new StringContent("{}", Encoding.UTF8, "application/json")).Problem(415);
        Assert.Equal(0, (int?)(await t.Member.GetAsync(t.Documents).Json200())["total"]);
    }

    [Fact]
    public async Task DocumentLeftProcessingByACrashedWorkerIsReclaimedAndCompleted()
    {
        var t = await App.TenantAsync(await Op());
        var id = Guid.CreateVersion7();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            db.Caller.AsSystem();
            var bytes = Utf8("The night shift supervisor is called Oskar Lindqvist.");
            db.TrainingDocuments.Add(new TrainingDocument
            {
                Id = id, TenantId = Guid.Parse(t.Seeded.TenantId), AccessId = Guid.Parse(t.Seeded.AccessId), Title = "shifts",
                FileName = "shifts.txt", ContentType = "text/plain", SizeBytes = bytes.Length, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)),
                Status = DocumentStatus.Processing, Attempts = 1, LockedUntil = App.Clock.UtcNow.AddSeconds(-5),
            });
            db.DocumentContents.Add(new DocumentContent { DocumentId = id, TenantId = Guid.Parse(t.Seeded.TenantId), Bytes = bytes });
            await db.SaveChangesAsync();
        }
        var doc = await t.WaitAsync(id.ToString());
        Assert.Equal(2, (int?)doc["attempts"]);
        Assert.Contains("Oskar", (string?)(await t.AskAsync("Who is the night shift supervisor?"))["answer"]);
    }
}

public sealed class DocumentsApiOnSqlite(RegistryApp<Sqlite> app) : DocumentsApiTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class DocumentsApiOnPostgres(RegistryApp<Postgres> app) : DocumentsApiTests(app), IClassFixture<RegistryApp<Postgres>>;
