using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;

namespace Atom.Salesforce.Soql;

/// <summary>
/// Turns C# lambdas over a record type into SOQL syntax: member chains into field paths (named as System.Text.Json
/// would name them), comparisons into conditions, captured values into literals.
/// </summary>
internal static class SoqlExpressionTranslator
{
    private static readonly ConcurrentDictionary<Type, SoqlList<SoqlSelectItem>> AllFieldsByType = new();

    /// <summary>Every simple property of the type: what a builder selects when no Select was given.</summary>
    public static SoqlList<SoqlSelectItem> AllFields([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
    {
        if (AllFieldsByType.TryGetValue(type, out var cached))
        {
            return cached;
        }

        var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && IsSimple(p.PropertyType)
                && p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.GetCustomAttribute<JsonExtensionDataAttribute>() is null)
            .Select(p => (SoqlSelectItem)new SoqlSelectExpression(new SoqlField(FieldName(p))))
            .ToList();
        return fields.Count > 0
            ? AllFieldsByType.GetOrAdd(type, SoqlList.From(fields))
            : throw new InvalidOperationException($"{type.Name} has no simple public properties to select; call Select.");
    }

    /// <summary>The fields named by <c>x =&gt; x.A</c>, <c>x =&gt; x.A.B</c> or <c>x =&gt; new { x.A, x.B.C }</c>.</summary>
    public static IReadOnlyList<SoqlField> Fields(LambdaExpression lambda)
    {
        var body = StripConvert(lambda.Body);
        if (body is NewExpression created)
        {
            return created.Arguments.Select(a => Field(StripConvert(a), lambda)).ToList();
        }

        return [Field(body, lambda)];
    }

    public static SoqlCondition Condition(LambdaExpression predicate) => Translate(predicate.Body, predicate.Parameters[0]);

    /// <summary>Two conditions joined with AND, an OR on either side put in parentheses.</summary>
    public static SoqlCondition And(SoqlCondition left, SoqlCondition right) =>
        new SoqlAnd(SoqlList.From(Operands<SoqlAnd>(left).Concat(Operands<SoqlAnd>(right))));

    private static SoqlOr Or(SoqlCondition left, SoqlCondition right) =>
        new SoqlOr(SoqlList.From(Operands<SoqlOr>(left).Concat(Operands<SoqlOr>(right))));

    /// <summary>The operands of a junction of the same kind flattened; any other junction in parentheses.</summary>
    private static SoqlList<SoqlCondition> Operands<TJunction>(SoqlCondition condition)
        where TJunction : SoqlCondition => condition switch
        {
            TJunction and SoqlAnd and => and.Operands,
            TJunction and SoqlOr or => or.Operands,
            SoqlAnd or SoqlOr => [new SoqlParenthesized(condition)],
            _ => [condition],
        };

    private static SoqlCondition Translate(Expression expression, ParameterExpression parameter)
    {
        switch (expression)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso } and:
                return And(Translate(and.Left, parameter), Translate(and.Right, parameter));
            case BinaryExpression { NodeType: ExpressionType.OrElse } or:
                return Or(Translate(or.Left, parameter), Translate(or.Right, parameter));
            case UnaryExpression { NodeType: ExpressionType.Not } not:
                return Negate(Translate(not.Operand, parameter));
            case BinaryExpression binary when ComparisonOperator(binary.NodeType) is { } op:
                return Comparison(binary, op, parameter);
            case MethodCallExpression call:
                return MethodCondition(call, parameter);
            case MemberExpression member when member.Type == typeof(bool) && DependsOn(member, parameter):
                return new SoqlComparison(FieldPath(member, parameter), SoqlComparisonOperator.Equal, SoqlBoolean.True);
            default:
                throw Unsupported(expression);
        }
    }

    /// <summary>NOT of a condition; NOT IN for a negated IN, <c>= FALSE</c> for a negated boolean field.</summary>
    private static SoqlCondition Negate(SoqlCondition condition) => condition switch
    {
        SoqlSetComparison { Operator: SoqlSetOperator.In } set => new SoqlSetComparison(set.Left, SoqlSetOperator.NotIn, set.Values),
        SoqlComparison { Operator: SoqlComparisonOperator.Equal, Right: SoqlBoolean { Value: true } } flag =>
            new SoqlComparison(flag.Left, SoqlComparisonOperator.Equal, SoqlBoolean.False),
        SoqlAnd or SoqlOr => new SoqlNot(new SoqlParenthesized(condition)),
        _ => new SoqlNot(condition),
    };

    private static SoqlComparisonOperator? ComparisonOperator(ExpressionType type) => type switch
    {
        ExpressionType.Equal => SoqlComparisonOperator.Equal,
        ExpressionType.NotEqual => SoqlComparisonOperator.NotEqual,
        ExpressionType.LessThan => SoqlComparisonOperator.LessThan,
        ExpressionType.LessThanOrEqual => SoqlComparisonOperator.LessThanOrEqual,
        ExpressionType.GreaterThan => SoqlComparisonOperator.GreaterThan,
        ExpressionType.GreaterThanOrEqual => SoqlComparisonOperator.GreaterThanOrEqual,
        _ => null,
    };

    private static SoqlComparison Comparison(BinaryExpression binary, SoqlComparisonOperator op, ParameterExpression parameter)
    {
        var left = StripConvert(binary.Left);
        var right = StripConvert(binary.Right);
        if (!DependsOn(left, parameter))
        {
            (left, right) = (right, left);
            op = op switch
            {
                SoqlComparisonOperator.LessThan => SoqlComparisonOperator.GreaterThan,
                SoqlComparisonOperator.LessThanOrEqual => SoqlComparisonOperator.GreaterThanOrEqual,
                SoqlComparisonOperator.GreaterThan => SoqlComparisonOperator.LessThan,
                SoqlComparisonOperator.GreaterThanOrEqual => SoqlComparisonOperator.LessThanOrEqual,
                _ => op,
            };
        }

        if (DependsOn(right, parameter))
        {
            throw new NotSupportedException($"SOQL compares a field with a value, not two fields: {binary}.");
        }

        var field = FieldPath(left, parameter);

        // An enum compared in C# is compared as its number; SOQL holds the picklist value, its name.
        var value = Evaluate(right);
        var fieldType = Nullable.GetUnderlyingType(left.Type) ?? left.Type;
        if (fieldType.IsEnum && value is not null and not Enum)
        {
            value = Enum.ToObject(fieldType, value);
        }

        return new SoqlComparison(field, op, Literal(value));
    }

    private static SoqlCondition MethodCondition(MethodCallExpression call, ParameterExpression parameter)
    {
        // a.Name.StartsWith(x) / EndsWith / Contains: LIKE with the value's own % and _ escaped.
        if (call.Object is { } target && target.Type == typeof(string) && DependsOn(target, parameter)
            && call.Method.Name is "StartsWith" or "EndsWith" or "Contains" && call.Arguments.Count == 1 && call.Arguments[0].Type == typeof(string))
        {
            var text = Evaluate(call.Arguments[0]) as string ?? throw new NotSupportedException($"{call.Method.Name}(null) has no SOQL form.");
            var pattern = new StringBuilder();
            if (call.Method.Name != "StartsWith")
            {
                pattern.Append('%');
            }

            foreach (var c in text)
            {
                pattern.Append(c is '%' or '_' or '\\' ? "\\" : string.Empty).Append(c);
            }

            if (call.Method.Name != "EndsWith")
            {
                pattern.Append('%');
            }

            return new SoqlComparison(FieldPath(target, parameter), SoqlComparisonOperator.Like, new SoqlString(pattern.ToString()));
        }

        // values.Contains(a.Field), as an instance (List<T>.Contains) or an extension (Enumerable.Contains) method: IN.
        var (collection, item) = call switch
        {
            { Method.Name: "Contains", Object: { } list, Arguments.Count: 1 } => (list, call.Arguments[0]),
            { Method.Name: "Contains", Object: null, Arguments.Count: 2 } => (call.Arguments[0], call.Arguments[1]),
            _ => throw Unsupported(call),
        };

        if (DependsOn(collection, parameter) || !DependsOn(item, parameter))
        {
            throw Unsupported(call);
        }

        // C# 14 binds array.Contains(x) to MemoryExtensions.Contains over the array converted to a span, which cannot be
        // evaluated as an object: read the array itself.
        collection = WithoutSpanConversion(collection);
        var values = Evaluate(collection) as IEnumerable ?? throw new NotSupportedException("Contains over a null collection has no SOQL form.");
        var literals = values.Cast<object?>().Select(v => (SoqlExpression)Literal(v)).ToList();
        if (literals.Count == 0)
        {
            throw new NotSupportedException("IN () is not valid SOQL: leave the condition out when the collection is empty.");
        }

        return new SoqlSetComparison(FieldPath(StripConvert(item), parameter), SoqlSetOperator.In, SoqlList.From(literals));
    }

    private static SoqlField FieldPath(Expression expression, ParameterExpression parameter)
    {
        var names = new Stack<string>();
        var current = StripConvert(expression);
        while (current is MemberExpression { Member: PropertyInfo or FieldInfo, Expression: { } owner } member && !IsSimple(owner.Type))
        {
            names.Push(FieldName(member.Member));
            current = StripConvert(member.Expression!);
        }

        if (current != parameter || names.Count == 0)
        {
            throw new NotSupportedException($"'{expression}' is not a field of the record: use a property, or a chain of them for a relationship.");
        }

        return new SoqlField(string.Join('.', names));
    }

    private static SoqlField Field(Expression expression, LambdaExpression lambda) => FieldPath(expression, lambda.Parameters[0]);

    /// <summary>The field name System.Text.Json would use: [JsonPropertyName] or the member's name.</summary>
    private static string FieldName(MemberInfo member) => member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? member.Name;

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(Guid);
    }

    private static SoqlLiteral Literal(object? value) => value switch
    {
        null => SoqlNull.Value,
        string s => new SoqlString(s),
        char c => new SoqlString(c.ToString()),
        bool b => b ? SoqlBoolean.True : SoqlBoolean.False,
        DateOnly date => new SoqlDate(date),
        DateTimeOffset dto => new SoqlDateTime(dto),
        DateTime { Kind: DateTimeKind.Unspecified } => throw new NotSupportedException(
            "A DateTime with DateTimeKind.Unspecified has no known instant; use a DateTimeOffset, a UTC DateTime or a DateOnly."),
        DateTime dt => new SoqlDateTime(new DateTimeOffset(dt.ToUniversalTime(), TimeSpan.Zero)),
        TimeOnly time => new SoqlTime(time),
        Guid g => new SoqlString(g.ToString("D")),
        Enum e => new SoqlString(e.ToString()),
        double d when !double.IsFinite(d) => throw new NotSupportedException("NaN and infinity have no SOQL literal."),
        float f when !float.IsFinite(f) => throw new NotSupportedException("NaN and infinity have no SOQL literal."),
        decimal m => new SoqlNumber(m),
        double d => new SoqlNumber((decimal)d),
        float f => new SoqlNumber((decimal)f),
        byte or sbyte or short or ushort or int or uint or long or ulong => new SoqlNumber(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException($"A {value.GetType().Name} has no SOQL literal form."),
    };

    /// <summary>The value of an expression that does not involve the record: a constant, a captured variable, a call.</summary>
    private static object? Evaluate(Expression expression)
    {
        switch (expression)
        {
            case ConstantExpression constant:
                return constant.Value;
            case MemberExpression { Member: FieldInfo field } member:
                return field.GetValue(member.Expression is null ? null : Evaluate(member.Expression));
            case MemberExpression { Member: PropertyInfo property } member:
                return property.GetValue(member.Expression is null ? null : Evaluate(member.Expression));
            case UnaryExpression { NodeType: ExpressionType.Convert } convert when convert.Type == typeof(object) || Nullable.GetUnderlyingType(convert.Type) == convert.Operand.Type:
                return Evaluate(convert.Operand);
            default:
                return Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object))).Compile(preferInterpretation: true)();
        }
    }

    private static Expression WithoutSpanConversion(Expression expression) => expression switch
    {
        UnaryExpression { NodeType: ExpressionType.Convert, Operand: var operand } when IsSpan(expression.Type) => operand,
        MethodCallExpression { Method.Name: "op_Implicit", Object: null, Arguments: [var operand] } when IsSpan(expression.Type) => operand,
        _ => expression,
    };

    private static bool IsSpan(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>) || type.GetGenericTypeDefinition() == typeof(Span<>));

    private static Expression StripConvert(Expression expression)
    {
        while (expression is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
        {
            expression = convert.Operand;
        }

        return expression;
    }

    private static bool DependsOn(Expression expression, ParameterExpression parameter)
    {
        var finder = new ParameterFinder(parameter);
        finder.Visit(expression);
        return finder.Found;
    }

    private static NotSupportedException Unsupported(Expression expression) => new(
        $"'{expression}' has no SOQL translation. Use comparisons, &&, ||, !, string StartsWith/EndsWith/Contains and collection Contains.");

    private sealed class ParameterFinder(ParameterExpression parameter) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            Found |= node == parameter;
            return node;
        }
    }
}
