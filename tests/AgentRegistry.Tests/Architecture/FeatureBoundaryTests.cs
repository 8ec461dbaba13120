using Mono.Cecil;
using Mono.Cecil.Cil;

namespace AgentRegistry.Tests.Architecture;

/// <summary>
/// The registry's features (the folders under src/AgentRegistry: Access, Chat, Metering, Waldur ...) depend on each other
/// without cycles, and Infrastructure depends on none of them. Read from the compiled IL (signatures and method bodies),
/// so a dependency hidden in a method body counts as much as one in a signature.
/// </summary>
public sealed class FeatureBoundaryTests
{
    private const string Root = "AgentRegistry";

    /// <summary>Which feature uses which, from every type reference in the host assembly.</summary>
    internal static Dictionary<string, SortedSet<string>> Dependencies()
    {
        using var module = ModuleDefinition.ReadModule(typeof(AgentRegistry.Infrastructure.RegistryDb).Assembly.Location);
        var graph = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            if (Feature(type) is not { } from) continue;
            var uses = graph.TryGetValue(from, out var set) ? set : graph[from] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var used in References(type))
                if (Feature(used) is { } to && to != from) uses.Add(to);
        }
        return graph;
    }

    /// <summary>
    /// No dependency closes a cycle. The layering the features keep today (each may use those before it):
    /// Infrastructure, Tenancy, Catalog, Access, Knowledge, Metering, Chat, Widget, Waldur, Identity, then Admin, Portal and
    /// Cli, then the host (the root namespace: Program, RegistryHost, CommandLine), which composes them all. A lower feature
    /// that needs a higher one's answer owns a small interface the higher one implements and registers (ICatalogUse,
    /// IAccessTermination, IWidgetNames, IStartupTask).
    /// </summary>
    [Fact]
    public void NoDependencyClosesACycle()
    {
        var graph = Dependencies();
        Assert.True(graph.ContainsKey("Infrastructure") && graph.Count > 8, "the features were read from the assembly");
        var inCycles = CycleEdges(graph).Order(StringComparer.Ordinal).ToList();
        Assert.True(inCycles.Count == 0, "Dependencies that close a cycle between features:\n" + string.Join("\n", inCycles)
            + "\nCycles now:\n" + string.Join("\n", Cycles(graph).Select(c => string.Join(" -> ", c))));
    }

    /// <summary>
    /// Infrastructure (the data layer, problems, policies, scheduling ...) names no feature: features own their tables
    /// (extension members on RegistryDb), entity configurations and startup tasks. Its Migrations count as Infrastructure:
    /// the model snapshots name entities by string, so they add no dependency. Nor does a feature use the host.
    /// </summary>
    [Fact]
    public void InfrastructureAndFeaturesDoNotDependUpward()
    {
        var graph = Dependencies();
        Assert.Empty(graph["Infrastructure"]);
        Assert.Empty(graph.Where(g => g.Key != "(host)" && g.Value.Contains("(host)")).Select(g => g.Key));
    }

    [Fact]
    public void CycleEdgesAreTheEdgesInsideAStronglyConnectedPart()
    {
        var graph = new Dictionary<string, SortedSet<string>> { ["A"] = ["B"], ["B"] = ["A", "C"], ["C"] = [], ["D"] = ["A"] };
        Assert.Equal(["A -> B", "B -> A"], CycleEdges(graph).Order(StringComparer.Ordinal));
    }

    private static HashSet<string> CycleEdges(Dictionary<string, SortedSet<string>> graph)
    {
        var edges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in StronglyConnected(graph))
        {
            foreach (var from in part)
                foreach (var to in graph.GetValueOrDefault(from) ?? [])
                    if (part.Contains(to)) edges.Add($"{from} -> {to}");
        }
        return edges;
    }

    [Fact]
    public void ACycleIsFound()
    {
        var graph = new Dictionary<string, SortedSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"],
        };
        Assert.Equal(["A -> B -> C -> A"], Cycles(graph).Select(c => string.Join(" -> ", c)));
        Assert.Empty(Cycles(new Dictionary<string, SortedSet<string>> { ["A"] = ["B"], ["B"] = [], ["C"] = ["A", "B"] }));
    }

    /// <summary>One cycle per strongly connected component (Tarjan), each written from its smallest member back to it.</summary>
    internal static List<List<string>> Cycles(Dictionary<string, SortedSet<string>> graph) =>
        StronglyConnected(graph).Select(c => Path(graph, c)).ToList();

    /// <summary>The parts of the graph (of more than one feature) in which every feature reaches every other.</summary>
    private static List<HashSet<string>> StronglyConnected(Dictionary<string, SortedSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) components.Add(component);
        }
        foreach (var v in graph.Keys.Order(StringComparer.Ordinal)) if (!index.ContainsKey(v)) Visit(v);
        return components.Select(c => c.ToHashSet()).ToList();
    }

    /// <summary>A cycle through a strongly connected component, from its smallest member (breadth-first back to it).</summary>
    private static List<string> Path(Dictionary<string, SortedSet<string>> graph, HashSet<string> component)
    {
        var start = component.Order(StringComparer.Ordinal).First();
        var previous = new Dictionary<string, string>();
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in graph[v].Where(component.Contains))
            {
                if (w == start)
                {
                    var path = new List<string> { start };
                    for (var at = v; at != start; at = previous[at]) path.Insert(1, at);
                    path.Add(start);
                    return path;
                }
                if (previous.TryAdd(w, v)) queue.Enqueue(w);
            }
        }
        return [.. component, start];
    }

    /// <summary>The feature a type belongs to: the namespace segment after AgentRegistry; "(host)" for the root namespace.</summary>
    private static string? Feature(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        var ns = type.Namespace;
        if (ns == Root) return type.Name is "<Module>" or "Program" or "<PrivateImplementationDetails>" || type.Name.StartsWith('<') ? null : "(host)";
        if (!ns.StartsWith(Root + ".", StringComparison.Ordinal)) return null;
        var rest = ns[(Root.Length + 1)..];
        var dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    private static IEnumerable<TypeReference> References(TypeDefinition type)
    {
        if (type.BaseType is not null) foreach (var t in Expand(type.BaseType)) yield return t;
        foreach (var i in type.Interfaces) foreach (var t in Expand(i.InterfaceType)) yield return t;
        foreach (var a in type.CustomAttributes) foreach (var t in Attribute(a)) yield return t;
        foreach (var f in type.Fields) foreach (var t in Expand(f.FieldType)) yield return t;
        foreach (var p in type.Properties)
        {
            foreach (var t in Expand(p.PropertyType)) yield return t;
            foreach (var a in p.CustomAttributes) foreach (var t in Attribute(a)) yield return t;
        }
        foreach (var m in type.Methods)
        {
            foreach (var t in Expand(m.ReturnType)) yield return t;
            foreach (var a in m.CustomAttributes) foreach (var t in Attribute(a)) yield return t;
            foreach (var p in m.Parameters) foreach (var t in Expand(p.ParameterType)) yield return t;
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) foreach (var t in Expand(v.VariableType)) yield return t;
            foreach (var instruction in m.Body.Instructions)
            {
                var operand = instruction.Operand switch
                {
                    TypeReference t => Expand(t),
                    MethodReference r => Method(r),
                    FieldReference f => Expand(f.DeclaringType).Concat(Expand(f.FieldType)),
                    _ => [],
                };
                foreach (var t in operand) yield return t;
            }
        }
    }

    private static IEnumerable<TypeReference> Method(MethodReference r)
    {
        foreach (var t in Expand(r.DeclaringType)) yield return t;
        foreach (var t in Expand(r.ReturnType)) yield return t;
        foreach (var p in r.Parameters) foreach (var t in Expand(p.ParameterType)) yield return t;
        if (r is GenericInstanceMethod g) foreach (var a in g.GenericArguments) foreach (var t in Expand(a)) yield return t;
    }

    private static IEnumerable<TypeReference> Attribute(CustomAttribute a) =>
        Expand(a.AttributeType).Concat(a.ConstructorArguments.Select(c => c.Value).OfType<TypeReference>().SelectMany(Expand));

    /// <summary>A type with its element and generic argument types (List&lt;Access&gt; uses Access).</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference? type)
    {
        if (type is null) yield break;
        switch (type)
        {
            case GenericInstanceType g:
                foreach (var t in Expand(g.ElementType)) yield return t;
                foreach (var a in g.GenericArguments) foreach (var t in Expand(a)) yield return t;
                break;
            case TypeSpecification s:
                foreach (var t in Expand(s.ElementType)) yield return t;
                break;
            case GenericParameter:
                break;
            default:
                yield return type;
                break;
        }
    }
}
