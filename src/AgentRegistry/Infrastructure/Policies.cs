namespace AgentRegistry.Infrastructure;

/// <summary>The roles a person holds; every feature may require them, so they live below the features.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Member = "member";
}

/// <summary>The authorization policies routes require; Identity defines what each demands, features only name them.</summary>
public static class Policies
{
    /// <summary>Operators: the platform's staff.</summary>
    public const string Operator = "operator";
    /// <summary>Any signed-in person: operators and tenant members. The data layer narrows members to their tenant.</summary>
    public const string Person = "person";
    public const string ChatKey = "api-key:chat";
    public const string UsageWriteKey = "api-key:usage-write";
}
