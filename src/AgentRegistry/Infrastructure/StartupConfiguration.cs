using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// Checks every options class that validates at start before the host starts, so a configuration error is one line
/// naming the setting and what it may be (and a non-zero exit), not a stack trace from inside the host.
/// </summary>
public static partial class StartupConfiguration
{
    /// <summary>The configuration errors, one line each; empty when the configuration is valid.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException e) { return Describe(e).ToList(); }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException or InvalidOperationException))
        {
            return e.InnerExceptions.SelectMany(i => i is OptionsValidationException v ? Describe(v) : [Conversion(i.Message)]).ToList();
        }
        catch (InvalidOperationException e) when (ConversionFailure().IsMatch(e.Message)) { return [Conversion(e.Message)]; }
    }

    private static IEnumerable<string> Describe(OptionsValidationException e)
    {
        var section = e.OptionsType.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string ?? e.OptionsType.Name;
        foreach (var failure in e.Failures)
        {
            var annotation = AnnotationFailure().Match(failure);
            yield return annotation.Success
                ? $"Configuration error: {section}:{annotation.Groups["member"].Value}: {annotation.Groups["error"].Value}"
                : $"Configuration error in {section}: {failure}";
        }
    }

    // The value itself is left out: configuration may hold secrets.
    private static string Conversion(string message) => ConversionFailure().Match(message) is { Success: true } m
        ? $"Configuration error: {m.Groups["path"].Value} must be a {Friendly(m.Groups["type"].Value)}."
        : $"Configuration error: {message}";

    private static string Friendly(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "whole number",
        "System.Double" or "System.Decimal" => "number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "time span such as 00:05:00",
        "System.Uri" => "URL",
        _ when type.StartsWith("System.Nullable`1[[", StringComparison.Ordinal) => Friendly(type[19..type.IndexOf(',')]),
        _ => $"value of type {type.Split('.').Last()}",
    };

    [GeneratedRegex("members: '(?<member>[^']+)' with the error: '(?<error>.*)'\\.?$")]
    private static partial Regex AnnotationFailure();

    [GeneratedRegex("configuration value '.*' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();
}
