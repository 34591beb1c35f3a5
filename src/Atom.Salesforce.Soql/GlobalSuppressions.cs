// Recommended-mode analyzer findings that would change the public API; kept as they are for 1.0 (issue 17).
using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Scope = "member", Target = "~P:Atom.Salesforce.Soql.SoqlList`1.Empty", Justification = "The empty list of the item type, as ImmutableArray<T>.Empty; the non-generic SoqlList holds the builders.")]
