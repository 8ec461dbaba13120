using System.Globalization;

namespace AgentRegistry.Portal;

/// <summary>How the portal writes values for people: UTC times, sizes, amounts.</summary>
public static class PortalFormat
{
    public static string Time(DateTime? value) =>
        value is { } v ? v.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "never";

    public static string Day(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Month(DateOnly value) => value.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string Number(decimal value) => value.ToString(value == Math.Round(value) ? "#,0" : "#,0.00", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    /// <summary>"answer_length" → "AnswerLength"; index and member suffixes ("[2]", ".x") are kept as they are.</summary>
    public static string Pascal(string snake)
    {
        var cut = snake.IndexOfAny(['[', '.']);
        var head = cut < 0 ? snake : snake[..cut];
        return string.Concat(head.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]))
            + (cut < 0 ? "" : snake[cut..]);
    }

    /// <summary>Lines of a text area as a list, blank lines dropped.</summary>
    public static List<string> Lines(string? text) =>
        (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
