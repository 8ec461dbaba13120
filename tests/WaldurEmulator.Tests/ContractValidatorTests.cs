using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Contract;

namespace WaldurEmulator.Tests;

/// <summary>The validator behind the contract tests reports what breaks the subset.</summary>
public sealed class ContractValidatorTests
{
    private static readonly OpenApiContract Contract = OpenApiContract.Instance;

    private static JsonObject Hook() => new()
    {
        ["url"] = "http://127.0.0.1/api/hooks-web/0123456789abcdef0123456789abcdef/",
        ["uuid"] = "0123456789abcdef0123456789abcdef", ["is_active"] = true,
        ["author_uuid"] = "0123456789abcdef0123456789abcdef", ["event_types"] = new JsonArray("marketplace_order_created"),
        ["event_groups"] = new JsonArray(), ["created"] = "2025-02-04T08:37:14.715810Z", ["modified"] = "2025-02-04T08:37:14.715810Z",
        ["hook_type"] = "webhook", ["author_fullname"] = "A", ["author_username"] = "a", ["author_email"] = "a@example.org",
        ["destination_url"] = "http://127.0.0.1:9/hook", ["content_type"] = "json",
    };

    private static IReadOnlyList<string> Validate(JsonObject hook) =>
        Contract.ValidateResponse("/api/hooks-web/{uuid}/", "GET", 200, hook);

    [Fact]
    public void AValidWebHookPasses() => Assert.Empty(Validate(Hook()));

    [Fact]
    public void DashedUuidInAResponseIsReported()
    {
        var hook = Hook();
        hook["uuid"] = "01234567-89ab-cdef-0123-456789abcdef";
        Assert.Contains(Validate(hook), e => e.StartsWith("$.uuid"));
    }

    [Fact]
    public void MissingRequiredPropertyIsReported()
    {
        var hook = Hook();
        hook.Remove("hook_type");
        Assert.Contains(Validate(hook), e => e.Contains("'hook_type' is missing"));
    }

    [Fact]
    public void PropertyTheSchemaDoesNotNameIsReported()
    {
        var hook = Hook();
        hook["destinationUrl"] = "http://x/";
        Assert.Contains(Validate(hook), e => e.StartsWith("$.destinationUrl"));
    }

    [Fact]
    public void ValueOutsideAnEnumIsReported()
    {
        var hook = Hook();
        hook["content_type"] = "xml";
        Assert.Contains(Validate(hook), e => e.StartsWith("$.content_type"));
    }

    [Fact]
    public void NullWhereTheSchemaIsNotNullableIsReported()
    {
        var hook = Hook();
        hook["created"] = null;
        Assert.Contains(Validate(hook), e => e.StartsWith("$.created"));
    }

    [Fact]
    public void RequestPropertyTheSchemaDoesNotNameIsReported()
    {
        var errors = Contract.ValidateRequest("/api/hooks-web/", "POST", new JsonObject
        {
            ["destination_url"] = "http://127.0.0.1/hook", ["event_types"] = new JsonArray("marketplace_order_created"),
            ["uuid"] = "0123456789abcdef0123456789abcdef",
        });
        Assert.Equal(["$.uuid: property not in the schema"], errors);
    }

    [Fact]
    public void UnknownEventTypeInAHookRequestIsReported()
    {
        var errors = Contract.ValidateRequest("/api/hooks-web/", "POST", new JsonObject
        {
            ["destination_url"] = "http://127.0.0.1/hook", ["event_types"] = new JsonArray("order_made"),
        });
        Assert.Contains(errors, e => e.StartsWith("$.event_types[0]"));
    }

    [Fact]
    public void DecimalStringWithTooManyPlacesIsReported()
    {
        var errors = Contract.ValidateRequest("/api/marketplace-component-usages/set_usage/", "POST", new JsonObject
        {
            ["resource"] = "0123456789abcdef0123456789abcdef",
            ["usages"] = new JsonArray(new JsonObject { ["type"] = "tokens", ["amount"] = "1.234" }),
        });
        Assert.Contains(errors, e => e.Contains("amount"));
    }

    [Fact]
    public void UndocumentedStatusIsReported() =>
        Assert.NotEmpty(Contract.ValidateResponse("/api/hooks-web/", "POST", 200, Hook()));

    [Fact]
    public void RepoCopyOfTheContractMatchesTheSharedOriginal()
    {
        if (!File.Exists(ContractFiles.SharedOriginal)) Assert.Skip("shared/ is not beside the repo");
        Assert.Equal(File.ReadAllBytes(ContractFiles.SharedOriginal), File.ReadAllBytes(ContractFiles.RepoCopy));
    }
}
