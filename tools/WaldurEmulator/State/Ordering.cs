using System.Text.Json.Nodes;

namespace WaldurEmulator.State;

/// <summary>What customers buy: orders, the marketplace resources they create, and usage reported on them.</summary>
internal sealed class Order
{
    public required string Uuid { get; init; }
    public required string Type { get; init; }
    public string State { get; set; } = OrderStates.PendingProvider;
    public required string OfferingUuid { get; init; }
    public string? PlanUuid { get; init; }
    public string? OldPlanUuid { get; init; }
    public required string ProjectUuid { get; init; }
    public required string ResourceUuid { get; init; }
    public JsonObject Attributes { get; init; } = [];
    public Dictionary<string, long> Limits { get; init; } = [];
    public required string CreatedByUuid { get; init; }
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? ProviderReviewedByUuid { get; set; }
    public DateTimeOffset? ProviderReviewedAt { get; set; }
    public string BackendId { get; set; } = "";
    public string ErrorMessage { get; set; } = "";
    public string ErrorTraceback { get; set; } = "";
    public string ProviderRejectionComment { get; set; } = "";
    public string? RequestComment { get; init; }
}

internal static class OrderTypes
{
    public const string Create = "Create", Update = "Update", Terminate = "Terminate";
}

internal static class OrderStates
{
    public const string PendingConsumer = "pending-consumer", PendingProvider = "pending-provider",
        PendingProject = "pending-project", PendingStartDate = "pending-start-date", Executing = "executing",
        Done = "done", Erred = "erred", Canceled = "canceled", Rejected = "rejected";

    public static readonly string[] Open = [PendingConsumer, PendingProvider, PendingProject, PendingStartDate, Executing];
}

internal sealed class Resource
{
    public required string Uuid { get; init; }
    public required string Name { get; set; }
    public required string Slug { get; init; }
    public string Description { get; set; } = "";
    public required string OfferingUuid { get; init; }
    public string? PlanUuid { get; set; }
    public required string ProjectUuid { get; init; }
    public string State { get; set; } = ResourceStates.Creating;
    public string BackendId { get; set; } = "";
    public JsonObject BackendMetadata { get; set; } = [];
    public JsonObject Attributes { get; init; } = [];
    public Dictionary<string, long> Limits { get; set; } = [];
    public string ErrorMessage { get; set; } = "";
    public string ErrorTraceback { get; set; } = "";
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }
    public List<PlanPeriod> PlanPeriods { get; } = [];
    /// <summary>When the Create order completed (the resource became OK): Waldur registers invoice items from then.</summary>
    public DateTimeOffset? BillingStart { get; set; }
    /// <summary>Limits in force over time, the first from the Create order; each change adds one.</summary>
    public List<LimitPeriod> LimitPeriods { get; } = [];

    /// <summary>New limits; once the resource is billed, a new limit period starts now.</summary>
    public void ChangeLimits(Dictionary<string, long> limits, DateTimeOffset now)
    {
        Limits = limits;
        if (BillingStart is not null) LimitPeriods.Add(new LimitPeriod(now, new Dictionary<string, long>(limits)));
    }

    /// <summary>The plan period in force at <paramref name="date"/> (Waldur's get_plan_period: start &lt;= date &lt; end).</summary>
    public PlanPeriod? PlanPeriodAt(DateTimeOffset date) =>
        PlanPeriods.Where(p => p.Start <= date && (p.End is null || p.End > date)).MaxBy(p => p.Start);
}

/// <summary>The resource's limits from <see cref="Start"/> until the next change.</summary>
internal sealed record LimitPeriod(DateTimeOffset Start, IReadOnlyDictionary<string, long> Limits);

internal static class ResourceStates
{
    public const string Creating = "Creating", Ok = "OK", Erred = "Erred", Updating = "Updating",
        Terminating = "Terminating", Terminated = "Terminated";
}

/// <summary>The span during which a resource had one plan; usage can be reported against it.</summary>
internal sealed record PlanPeriod(string Uuid, string PlanUuid, DateTimeOffset Start)
{
    public DateTimeOffset? End { get; set; }
    /// <summary>Ended by the resource's termination (InvoiceItem.terminate then recomputes its limit items).</summary>
    public bool Terminated { get; set; }
}

internal sealed class ComponentUsage
{
    public required string Uuid { get; init; }
    public required string ResourceUuid { get; init; }
    public required string Type { get; init; }
    public required DateOnly BillingPeriod { get; init; }
    /// <summary>The plan period in force at the report's date; null when none was (such usage is not invoiced).</summary>
    public string? PlanPeriodUuid { get; init; }
    public decimal Amount { get; set; }
    /// <summary>Every amount set, with when: a closed month's invoice keeps the amount it held when it closed.</summary>
    public List<(DateTimeOffset At, decimal Amount)> Changes { get; } = [];
    public string Description { get; set; } = "";
    public bool Recurring { get; set; }
    public DateTimeOffset Date { get; set; }
    public required DateTimeOffset Created { get; init; }
}
