using System.Text.Json;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// Whether every property name and string of a JSON document decodes to valid UTF-16. The reader checks structure, not
/// the text inside strings: a lone surrogate escape (<c>"\ud800"</c>) or bad UTF-8 only throws when the text is read,
/// which would be a 500 far from the parser. Parsers call this once, right after parsing, and answer 400.
/// </summary>
public static class JsonText
{
    public static bool IsValid(JsonElement element)
    {
        try
        {
            var pending = new Stack<JsonElement>();
            pending.Push(element);
            while (pending.TryPop(out var e))
                switch (e.ValueKind)
                {
                    case JsonValueKind.String: e.GetString(); break;
                    case JsonValueKind.Array: foreach (var item in e.EnumerateArray()) pending.Push(item); break;
                    case JsonValueKind.Object:
                        foreach (var p in e.EnumerateObject())
                        {
                            _ = p.Name;
                            pending.Push(p.Value);
                        }
                        break;
                }
            return true;
        }
        catch (InvalidOperationException) { return false; }
    }
}
