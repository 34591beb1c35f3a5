using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace Atom.Salesforce.Client.Tests.Conventions;

/// <summary>
/// The rules a package's model factory keeps (Azure SDK's <c>*ModelFactory</c>): every result users cannot build themselves
/// has a factory method named after it, every parameter is optional, and each parameter lands in the property of the same
/// name. Shared by the core and the analytics tests (linked into both projects).
/// </summary>
internal static class ModelFactoryConventions
{
    /// <summary>True for a compiler-generated record (it has the <c>&lt;Clone&gt;$</c> method).</summary>
    public static bool IsRecord(Type type) =>
        type.IsClass && type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null;

    /// <summary>
    /// The public results a user cannot build: records, and classes that have neither a public nor a protected
    /// constructor (exceptions are out of scope). Records with a public constructor are inputs (built with an object
    /// initializer) and are not results; nor are types with a public static method that builds them (for example a
    /// <c>Create</c> method).
    /// </summary>
    public static IReadOnlyList<Type> OutputModels(Assembly assembly) =>
    [
        .. assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && !t.IsGenericTypeDefinition && !typeof(Exception).IsAssignableFrom(t))
            .Where(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .All(c => !c.IsPublic && !c.IsFamily && !c.IsFamilyOrAssembly))
            .Where(t => !t.GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.ReturnType == t || m.ReturnType == typeof(Task<>).MakeGenericType(t)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal),
    ];

    /// <summary>
    /// The public records that still have a positional shape: a public constructor whose parameters are named after the
    /// record's properties (what <c>record T(int A, …)</c> generates), or a <c>Deconstruct</c> method.
    /// </summary>
    public static IReadOnlyList<string> PositionalRecords(Assembly assembly) =>
    [
        .. assembly.GetExportedTypes().Where(IsRecord)
            .Where(t => t.GetMethod("Deconstruct") is not null
                || t.GetConstructors().Any(c => c.GetParameters().Length > 0
                    && c.GetParameters().All(p => t.GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance) is not null)))
            .Select(t => t.FullName!),
    ];

    /// <summary>
    /// The public records, outside the namespaces given, that have a public constructor with parameters (a record that
    /// must be able to grow is built with an object initializer or a model factory instead).
    /// </summary>
    public static IReadOnlyList<string> RecordsWithAParameterizedPublicConstructor(Assembly assembly, params string[] exceptNamespaces) =>
    [
        .. assembly.GetExportedTypes().Where(IsRecord)
            .Where(t => !exceptNamespaces.Contains(t.Namespace))
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Length > 0))
            .Select(t => t.FullName!),
    ];

    /// <summary>The factory's public static methods that build a model.</summary>
    public static IReadOnlyList<MethodInfo> FactoryMethods(Type factory) =>
        [.. factory.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).OrderBy(m => m.Name, StringComparer.Ordinal)];

    /// <summary>
    /// The names of the output models that have no factory method named after them and returning them;
    /// <paramref name="notResults"/> are types built otherwise (for example by a request builder).
    /// </summary>
    public static IReadOnlyList<string> ModelsWithoutFactoryMethod(Assembly assembly, Type factory, params Type[] notResults)
    {
        var methods = FactoryMethods(factory);
        return
        [
            .. OutputModels(assembly)
                .Where(t => !notResults.Contains(t))
                .Where(t => !methods.Any(m => m.Name == t.Name && m.ReturnType == t))
                .Select(t => t.FullName!),
        ];
    }

    /// <summary>The properties a factory must be able to set: settable ones, and get-only auto-properties (stored values).</summary>
    public static IEnumerable<PropertyInfo> StoredProperties(Type model) =>
        model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .Where(p => p.SetMethod is not null
                || model.GetField($"<{p.Name}>k__BackingField", BindingFlags.NonPublic | BindingFlags.Instance) is not null);

    /// <summary>For each factory method, the stored properties of its model that no parameter of the same name sets.</summary>
    public static IReadOnlyList<string> PropertiesWithoutParameter(Type factory) =>
    [
        .. FactoryMethods(factory).SelectMany(m => StoredProperties(m.ReturnType)
            .Where(p => !m.GetParameters().Any(a => string.Equals(a.Name, p.Name, StringComparison.OrdinalIgnoreCase)))
            .Select(p => $"{m.Name}: {p.Name}")),
    ];

    /// <summary>Parameters that are not optional, or that name no property of the model.</summary>
    public static IReadOnlyList<string> ParametersThatAreRequiredOrNameNoProperty(Type factory) =>
    [
        .. FactoryMethods(factory).SelectMany(m => m.GetParameters()
            .Where(a => !a.HasDefaultValue || Property(m.ReturnType, a.Name!) is null)
            .Select(a => $"{m.Name}({a.Name})")),
    ];

    /// <summary>
    /// Calls every factory method once per parameter, with that parameter set to a sample value and the others left out,
    /// and returns the parameters whose value did not come back from the property of the same name (a parameter wired to
    /// another property, or dropped, shows up here).
    /// </summary>
    public static IReadOnlyList<string> ParametersThatDoNotLandInTheirProperty(Type factory)
    {
        var problems = new List<string>();
        foreach (var method in FactoryMethods(factory))
        {
            var parameters = method.GetParameters();
            for (var i = 0; i < parameters.Length; i++)
            {
                var sample = Sample(parameters[i].ParameterType, parameters[i].Name!, factory);
                var args = parameters.Select(p => p.DefaultValue).ToArray();
                args[i] = sample;
                var model = method.Invoke(null, args)!;
                var actual = Property(method.ReturnType, parameters[i].Name!)?.GetValue(model);
                if (!Same(sample, actual))
                {
                    problems.Add($"{method.Name}({parameters[i].Name}): sent {Describe(sample)}, read {Describe(actual)}");
                }
            }
        }

        return problems;
    }

    private static PropertyInfo? Property(Type model, string name) =>
        model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static bool Same(object? sent, object? read) => sent switch
    {
        null => read is null,
        string s => Equals(s, read),
        IEnumerable items when read is IEnumerable readItems => items.Cast<object?>().SequenceEqual(readItems.Cast<object?>()),
        _ when sent.GetType().IsValueType => Equals(sent, read),
        _ => ReferenceEquals(sent, read),
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Select(Describe))}]",
        _ => value.ToString() ?? value.GetType().Name,
    };

    /// <summary>A value of <paramref name="type"/> that is not its default (nor the default a factory fills in).</summary>
    private static object Sample(Type type, string name, Type factory)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Sample(underlying, name, factory);
        }

        if (type == typeof(string))
        {
            return $"{name}Sample";
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1)!;
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal) || type == typeof(float))
        {
            return Convert.ChangeType(42, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == typeof(DateOnly))
        {
            return new DateOnly(2026, 3, 14);
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);
        }

        if (type == typeof(JsonElement))
        {
            return JsonDocument.Parse("""{"id":"001000000000001AAA"}""").RootElement;
        }

        if (type == typeof(object))
        {
            return new object();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        {
            var arguments = type.GetGenericArguments();
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
            dictionary.Add(Sample(arguments[0], name + "Key", factory), Sample(arguments[1], name + "Value", factory));
            return dictionary;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            var element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Sample(element, name, factory));
            return list;
        }

        // A model: built by its own factory method when there is one (so a fresh instance, never a shared default).
        var build = factory.GetMethods(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(m => m.ReturnType == type);
        return build is not null
            ? build.Invoke(null, [.. build.GetParameters().Select(p => p.DefaultValue)])!
            : Activator.CreateInstance(type, nonPublic: true)!;
    }
}
