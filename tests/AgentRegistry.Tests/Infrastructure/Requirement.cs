namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// A part of the machine a suite needs (PostgreSQL, Chromium, Redis). Only a part that is not configured here and not
/// found skips its tests, with the reason; under CI=true (which .ci/run sets) even that fails. A part that is configured
/// but fails (refused sign-in, missing permission, a browser that does not start) always fails.
/// </summary>
public static class Requirement
{
    public static bool OnCi => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>Whether the environment variable naming this part is set, i.e. the part is meant to be there.</summary>
    public static bool Configured(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 };

    /// <summary>Skips the calling test because <paramref name="reason"/>; fails it under CI=true.</summary>
    public static void Missing(string reason)
    {
        if (OnCi) throw new InvalidOperationException($"Required under CI=true: {reason}");
        Assert.Skip(reason);
    }
}
