using Atom.Salesforce.Soql;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>The SELECT list of record queries: fields, parent paths merged into nested records, FIELDS(), TYPEOF, child subqueries.</summary>
internal sealed partial class QueryCompiler
{
    /// <summary>Child subqueries nest at most 5 levels deep with the outer query (API 58.0+).</summary>
    private const int MaxChildDepth = 4;

    private Selection SelectionOf(ObjectSchema obj, SoqlList<SoqlSelectItem> items, Aliases aliases, int depth)
    {
        var selection = new Selection();
        foreach (var item in items)
        {
            switch (item)
            {
                case SoqlSelectExpression { Expression: SoqlField field } expression:
                    if (expression.Alias is not null)
                    {
                        throw QueryErrors.Malformed("Only aggregate expressions use field aliasing");
                    }

                    Add(selection, selection.Nodes, Path(obj, field.Path, aliases), field.Path, transform: null);
                    break;
                case SoqlSelectExpression { Expression: SoqlFunctionCall call } expression:
                    AddFunction(selection, obj, aliases, call, expression.Alias);
                    break;
                case SoqlSelectExpression expression:
                    throw QueryErrors.Malformed($"unexpected token: '{expression.Expression}'");
                case SoqlSelectFields fields:
                    AddFields(selection, obj, fields.Scope, alone: items.Count == 1);
                    break;
                case SoqlSelectSubquery subquery:
                    {
                        var child = ChildQueryOf(obj, subquery.Query, aliases, depth);
                        if (selection.Nodes.Any(n => n.Name.Equals(child.Name, StringComparison.OrdinalIgnoreCase)))
                        {
                            throw QueryErrors.Duplicate(child.Name);
                        }

                        selection.Nodes.Add(new ChildNode(child.Name, child.Query, selection.SlotCount++));
                        break;
                    }

                case SoqlSelectTypeOf typeOf:
                    AddTypeOf(selection, obj, aliases, typeOf);
                    break;
            }
        }

        return selection;
    }

    /// <summary>Puts a field under the parent records its path goes through (<c>Account.Owner.Name</c> → Account → Owner → Name).</summary>
    private static void Add(Selection selection, List<SelectNode> nodes, FieldPath path, string written, Func<object?, FieldDefinition?, object?>? transform)
    {
        var level = nodes;
        foreach (var hop in path.Hops)
        {
            var parent = level.OfType<ParentNode>().FirstOrDefault(p => p.Name.Equals(hop.RelationshipName, StringComparison.OrdinalIgnoreCase));
            if (parent is null)
            {
                if (level.Any(n => n.Name.Equals(hop.RelationshipName, StringComparison.OrdinalIgnoreCase)))
                {
                    throw QueryErrors.Duplicate(hop.RelationshipName);
                }

                parent = new ParentNode(hop.RelationshipName, hop, selection.SlotCount++);
                level.Add(parent);
            }

            level = parent.Children;
        }

        if (level.Any(n => n.Name.Equals(path.FieldName, StringComparison.OrdinalIgnoreCase)))
        {
            throw QueryErrors.Duplicate(written);
        }

        level.Add(new ValueNode(path.FieldName, path, -1, transform));
    }

    /// <summary>toLabel(), FORMAT() and convertCurrency() in the SELECT list of a record query.</summary>
    private void AddFunction(Selection selection, ObjectSchema obj, Aliases aliases, SoqlFunctionCall call, string? alias)
    {
        Func<object?, FieldDefinition?, object?>? transform;
        var argument = call.Arguments.Count == 1 ? call.Arguments[0] : null;
        if (Is(call, "toLabel") || Is(call, "convertCurrency"))
        {
            // Labels are the values, and a single-currency org converts nothing.
            transform = null;
        }
        else if (Is(call, "FORMAT"))
        {
            transform = DateFunctions.Format;
            if (argument is SoqlFunctionCall inner && Is(inner, "convertCurrency") && inner.Arguments.Count == 1)
            {
                argument = inner.Arguments[0];
            }
        }
        else if (DateFunctions.IsDateFunction(call.Name))
        {
            DateArgument(call, obj, aliases);
            throw QueryErrors.Malformed($"Field must be grouped or aggregated: {call}");
        }
        else
        {
            throw NotHere(call);
        }

        if (argument is SoqlFunctionCall nested)
        {
            throw NotHere(nested);
        }

        if (argument is not SoqlField field)
        {
            throw QueryErrors.Malformed($"{call.Name}() takes one field");
        }

        var path = Path(obj, field.Path, aliases);
        if (alias is null)
        {
            Add(selection, selection.Nodes, path, field.Path, transform);
            return;
        }

        if (selection.Nodes.Any(n => n.Name.Equals(alias, StringComparison.OrdinalIgnoreCase)))
        {
            throw QueryErrors.Duplicate(alias);
        }

        selection.Nodes.Add(new ValueNode(alias, path, path.Hops.Count > 0 ? selection.SlotCount++ : -1, transform));
    }

    private void AddFields(Selection selection, ObjectSchema obj, SoqlFieldsScope scope, bool alone)
    {
        var fields = obj.Fields.Where(f => scope switch
        {
            SoqlFieldsScope.Custom => f.Custom,
            SoqlFieldsScope.Standard => !f.Custom,
            _ => true,
        }).ToList();
        if (fields.Count == 0 && alone)
        {
            throw QueryErrors.Malformed("'FIELDS(...)' expansion function must result in at least one field being selected.");
        }

        foreach (var field in fields)
        {
            Add(selection, selection.Nodes, FieldPath.Resolve(_org.Schema, obj, [field.Name], field.Name, _soql), field.Name, transform: null);
        }
    }

    /// <summary>TYPEOF What WHEN Account THEN ... ELSE ... END: fields chosen by the parent's type.</summary>
    private void AddTypeOf(Selection selection, ObjectSchema obj, Aliases aliases, SoqlSelectTypeOf typeOf)
    {
        var segments = aliases.Segments(typeOf.Relationship + ".Id");
        var reference = segments.Length == 2 ? obj.ParentRelationship(segments[0]) : null;
        if (reference is null)
        {
            throw QueryErrors.UnknownRelationship(_soql, typeOf.Relationship);
        }

        var targets = reference.ReferenceTo.Select(t => _org.Schema.Find(t)!).ToList();
        var hop = new Hop(reference.RelationshipName!, reference, targets);
        if (selection.Nodes.Any(n => n.Name.Equals(hop.RelationshipName, StringComparison.OrdinalIgnoreCase)))
        {
            throw QueryErrors.Duplicate(hop.RelationshipName);
        }

        var node = new TypeOfNode(hop.RelationshipName, hop, selection.SlotCount++);
        foreach (var when in typeOf.Whens)
        {
            var target = targets.FirstOrDefault(t => t.Name.Equals(when.ObjectType, StringComparison.OrdinalIgnoreCase))
                ?? throw QueryErrors.Malformed($"TYPEOF {typeOf.Relationship}: {when.ObjectType} is not a type the relationship can refer to");
            var branch = new List<SelectNode>();
            foreach (var field in when.Fields)
            {
                Add(selection, branch, FieldPath.Resolve(_org.Schema, target, field.Path.Split('.'), field.Path, _soql), field.Path, transform: null);
            }

            node.Branches[target.Name] = branch;
        }

        if (typeOf.Else is { } elseFields)
        {
            node.Else = [];
            foreach (var field in elseFields)
            {
                var path = FieldPath.Resolve(_org.Schema, obj, [segments[0], .. field.Path.Split('.')], field.Path, _soql);
                if (path.Hops.Count != 1)
                {
                    throw QueryErrors.Malformed($"TYPEOF ELSE fields cannot follow relationships: {field.Path}");
                }

                if (node.Else.Any(n => n.Name.Equals(path.FieldName, StringComparison.OrdinalIgnoreCase)))
                {
                    throw QueryErrors.Duplicate(field.Path);
                }

                node.Else.Add(new ValueNode(path.FieldName, path, -1, transform: null));
            }
        }

        selection.Nodes.Add(node);
    }

    /// <summary>A parent-to-child subquery over a child relationship (<c>SELECT LastName FROM Contacts</c>).</summary>
    private (string Name, ChildQuery Query) ChildQueryOf(ObjectSchema parent, SoqlQuery sub, Aliases parentAliases, int depth)
    {
        if (depth >= MaxChildDepth)
        {
            throw QueryErrors.Malformed("SOQL statements cannot nest subqueries more than 5 levels deep");
        }

        CheckClauses(sub, Context.Child);
        var segments = parentAliases.Segments(sub.From.ObjectType);
        var relationship = segments.Length == 1 ? parent.ChildRelationship(segments[0]) : null;
        if (relationship is null)
        {
            throw QueryErrors.UnknownChildRelationship(_soql, sub.From.ObjectType);
        }

        if (IsAggregate(sub))
        {
            throw QueryErrors.Malformed("Aggregate functions and GROUP BY are not allowed in a subquery");
        }

        CheckFieldsLimit(sub);
        var child = relationship.Child;
        var aliases = Aliases.Of(sub.From);
        var selection = SelectionOf(child, sub.Select, aliases, depth + 1);
        var filter = sub.Where is { } where ? Where(where, child, aliases, allowSemiJoins: true) : null;
        var order = Order(sub.OrderBy, child, aliases);
        return (relationship.RelationshipName, new ChildQuery(_org, child, relationship.Field, _includeDeleted, filter, order, sub.Limit, selection));
    }
}
