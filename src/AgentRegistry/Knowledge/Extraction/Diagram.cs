namespace AgentRegistry.Knowledge;

/// <summary>
/// Diagrams drawn with box-drawing characters (┌─┐│└┘▼): the frame is not prose, the words inside are. Each row keeps
/// the words it holds, frames dropped; rows with no words go.
/// </summary>
internal static class Diagram
{
    public static bool IsFrame(char c) => c is >= '\u2500' and <= '\u25FF';

    public static bool HasDrawing(string line) => line.Count(IsFrame) >= 2;

    /// <summary>A block is a drawing when at least a third of its lines carry frame characters.</summary>
    public static bool IsDrawing(IReadOnlyCollection<string> lines) =>
        lines.Count > 0 && lines.Count(HasDrawing) * 3 >= lines.Count(l => l.Trim().Length > 0);

    public static IEnumerable<string> Words(IEnumerable<string> lines) => lines
        .Select(l => TextNormalizer.CollapseWhitespace(new string(l.Select(c => IsFrame(c) ? ' ' : c).ToArray())))
        .Where(l => l.Any(char.IsLetterOrDigit));
}
