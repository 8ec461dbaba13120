using System.Text.Json.Nodes;

namespace WaldurEmulator.Features.Control;

/// <summary>Bodies of the /emulator/ control calls (snake_case JSON).</summary>
internal sealed record NewCustomer(string? Name, string? Abbreviation, string? Email, string? ContactDetails);

internal sealed record NewProject(string? CustomerUuid, string? Name, string? Description, DateOnly? EndDate);

/// <summary>What a change made in Waldur's own UI sets on a customer; null leaves a field as it is.</summary>
internal sealed record CustomerChange(string? Name, bool? Blocked, bool? Archived);

/// <summary>What a change made in Waldur's own UI sets on a project; null leaves a field as it is.</summary>
internal sealed record ProjectChange(string? Name, DateOnly? EndDate);

internal sealed record NewOrder(
    string? OfferingUuid, string? PlanUuid, string? ProjectUuid, string? Type, string? ResourceUuid,
    JsonObject? Attributes, Dictionary<string, long>? Limits, string? Username, string? RequestComment);

internal sealed record NewToken(string? Token, string? Username, bool IsStaff = true, bool IsSupport = false);

internal sealed record WebhookSwitches(bool? Enabled, bool? Duplicate);
