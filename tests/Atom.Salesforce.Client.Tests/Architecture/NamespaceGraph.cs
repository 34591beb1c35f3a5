using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Atom.Salesforce.Client.Tests.Architecture;

/// <summary>
/// The namespace dependency graph of one assembly, read from its IL: an edge A -> B when a type of namespace A (nested
/// and compiler-generated types count as their outermost type) mentions a type of namespace B defined in the same
/// assembly — base type, interfaces, generic constraints, attributes (with their <c>typeof</c> arguments), fields,
/// properties, events, method signatures, locals, exception handlers and every type, method and field a method body
/// references. Internal types count as much as public ones.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph(string assemblyName) => AssemblyName = assemblyName;

    /// <summary>The simple name of the assembly the graph was read from.</summary>
    public string AssemblyName { get; }

    /// <summary>Every namespace that declares a type.</summary>
    public IReadOnlyCollection<string> Namespaces => _edges.Keys;

    /// <summary>The namespaces <paramref name="from"/> depends on, each with one example "Type uses Type".</summary>
    public IReadOnlyDictionary<string, string> DependenciesOf(string from) => _edges[from];

    public static NamespaceGraph Read(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath, new ReaderParameters { ReadSymbols = false });
        var graph = new NamespaceGraph(module.Assembly.Name.Name);
        foreach (var type in module.Types.Where(t => !IsCompilerPlumbing(t)))
        {
            graph._edges.TryAdd(NamespaceOf(type), new Dictionary<string, string>(StringComparer.Ordinal));
        }

        foreach (var type in module.GetTypes())
        {
            var owner = Outermost(type);
            if (IsCompilerPlumbing(owner))
            {
                continue;
            }

            new Walker(graph, module, NamespaceOf(owner), owner.FullName).Type(type);
        }

        return graph;
    }

    /// <summary>
    /// The cycles: one per strongly connected component of two or more namespaces, each as a closed path
    /// "A -> B -> A" with, for every edge, one example of the types that make it.
    /// </summary>
    public IReadOnlyList<string> Cycles()
    {
        var cycles = new List<string>();
        foreach (var component in StronglyConnectedComponents().Where(c => c.Count > 1))
        {
            var path = CycleWithin(component);
            var edges = path.Zip(path.Skip(1), (a, b) => $"    {a} -> {b}: {_edges[a][b]}");
            cycles.Add($"{string.Join(" -> ", path)}{Environment.NewLine}{string.Join(Environment.NewLine, edges)}"
                       + (component.Count > path.Count - 1 ? $"{Environment.NewLine}    (one cycle of a knot of {component.Count} namespaces: {string.Join(", ", component.Order(StringComparer.Ordinal))})" : ""));
        }

        return cycles;
    }

    // Tarjan's algorithm.
    private List<HashSet<string>> StronglyConnectedComponents()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<HashSet<string>>();

        foreach (var ns in _edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(ns))
            {
                Visit(ns);
            }
        }

        return result;

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in _edges[v].Keys.Order(StringComparer.Ordinal))
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new HashSet<string>(StringComparer.Ordinal);
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                result.Add(component);
            }
        }
    }

    // The shortest way from the first namespace of the component back to itself (breadth first).
    private List<string> CycleWithin(HashSet<string> component)
    {
        var start = component.Order(StringComparer.Ordinal).First();
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in _edges[v].Keys.Where(component.Contains).Order(StringComparer.Ordinal))
            {
                if (w == start)
                {
                    var path = new List<string> { start };
                    for (var at = v; at != start; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(w, v))
                {
                    queue.Enqueue(w);
                }
            }
        }

        throw new InvalidOperationException("A strongly connected component without a cycle.");
    }

    /// <summary>
    /// <c>&lt;Module&gt;</c> (module initializers) and <c>&lt;PrivateImplementationDetails&gt;</c> (constant data): the
    /// compiler's, in no namespace, used by every namespace and using some; not part of any layer.
    /// </summary>
    // <Module>, <PrivateImplementationDetails> and file-local types such as the configuration binder generator's
    // "<BindingExtensions_g>F…__BindingExtensions" (in its own namespace): generated, never a layer of ours.
    private static bool IsCompilerPlumbing(TypeDefinition type) => type.Name.StartsWith('<');

    /// <summary>Every edge as "A -> B: example", one a line (for diagnosing a cycle).</summary>
    public string Describe() => string.Join(Environment.NewLine, _edges.Keys.Order(StringComparer.Ordinal)
        .SelectMany(a => _edges[a].Keys.Order(StringComparer.Ordinal).Select(b => $"{a} -> {b}: {_edges[a][b]}")));

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static string NamespaceOf(TypeDefinition type) => Outermost(type).Namespace is { Length: > 0 } ns ? ns : "(global)";

    private sealed class Walker(NamespaceGraph graph, ModuleDefinition module, string from, string fromType)
    {
        private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);

        public void Type(TypeDefinition type)
        {
            Ref(type.BaseType);
            foreach (var i in type.Interfaces)
            {
                Ref(i.InterfaceType);
                Attributes(i);
            }

            Attributes(type);
            GenericParameters(type);
            foreach (var f in type.Fields)
            {
                Ref(f.FieldType);
                Attributes(f);
            }

            foreach (var p in type.Properties)
            {
                Ref(p.PropertyType);
                Attributes(p);
            }

            foreach (var e in type.Events)
            {
                Ref(e.EventType);
                Attributes(e);
            }

            foreach (var m in type.Methods)
            {
                Method(m);
            }
        }

        private void Method(MethodDefinition method)
        {
            Ref(method.ReturnType);
            Attributes(method);
            Attributes(method.MethodReturnType);
            GenericParameters(method);
            foreach (var p in method.Parameters)
            {
                Ref(p.ParameterType);
                Attributes(p);
            }

            foreach (var o in method.Overrides)
            {
                MethodRef(o);
            }

            if (!method.HasBody)
            {
                return;
            }

            foreach (var v in method.Body.Variables)
            {
                Ref(v.VariableType);
            }

            foreach (var h in method.Body.ExceptionHandlers)
            {
                Ref(h.CatchType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t: Ref(t); break;
                    case MethodReference m: MethodRef(m); break;
                    case FieldReference f:
                        Ref(f.DeclaringType);
                        Ref(f.FieldType);
                        break;
                    case CallSite c:
                        Ref(c.ReturnType);
                        foreach (var p in c.Parameters)
                        {
                            Ref(p.ParameterType);
                        }

                        break;
                }
            }
        }

        private void MethodRef(MethodReference method)
        {
            Ref(method.DeclaringType);
            Ref(method.ReturnType);
            foreach (var p in method.Parameters)
            {
                Ref(p.ParameterType);
            }

            if (method is GenericInstanceMethod g)
            {
                foreach (var a in g.GenericArguments)
                {
                    Ref(a);
                }
            }
        }

        private void GenericParameters(IGenericParameterProvider provider)
        {
            foreach (var gp in provider.GenericParameters)
            {
                Attributes(gp);
                foreach (var c in gp.Constraints)
                {
                    Ref(c.ConstraintType);
                }
            }
        }

        private void Attributes(ICustomAttributeProvider provider)
        {
            if (!provider.HasCustomAttributes)
            {
                return;
            }

            foreach (var a in provider.CustomAttributes)
            {
                MethodRef(a.Constructor);
                foreach (var arg in a.ConstructorArguments)
                {
                    Argument(arg);
                }

                foreach (var named in a.Fields.Concat(a.Properties))
                {
                    Argument(named.Argument);
                }
            }
        }

        private void Argument(CustomAttributeArgument argument)
        {
            switch (argument.Value)
            {
                case TypeReference t: Ref(t); break; // typeof(...)
                case CustomAttributeArgument boxed: Argument(boxed); break;
                case CustomAttributeArgument[] array:
                    foreach (var item in array)
                    {
                        Argument(item);
                    }

                    break;
            }
        }

        private void Ref(TypeReference? type)
        {
            if (type is null || !_seen.Add(type))
            {
                return;
            }

            switch (type)
            {
                case GenericInstanceType g:
                    Ref(g.ElementType);
                    foreach (var a in g.GenericArguments)
                    {
                        Ref(a);
                    }

                    return;
                case TypeSpecification spec: // arrays, pointers, by-refs, modifiers
                    Ref(spec.ElementType);
                    return;
                case GenericParameter:
                    return;
                case TypeDefinition definition when definition.Module == module && !IsCompilerPlumbing(Outermost(definition)):
                    var to = NamespaceOf(definition);
                    if (to != from)
                    {
                        graph._edges[from].TryAdd(to, $"{fromType} uses {Outermost(definition).FullName}");
                    }

                    return;
                case TypeDefinition:
                    return;
                case { Scope: ModuleDefinition scope } when scope == module:
                    Ref(type.Resolve());
                    return;
            }
        }
    }
}
