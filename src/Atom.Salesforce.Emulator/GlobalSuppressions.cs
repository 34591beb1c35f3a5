// Recommended-mode analyzer findings that would change the public API; kept as they are for 1.0 (issue 17).
using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Naming", "CA1720:Identifier contains type name", Scope = "member", Target = "~F:Atom.Salesforce.Emulator.Schema.FieldType.String", Justification = "Named as describe names the Salesforce field type (string).")]
[assembly: SuppressMessage("Naming", "CA1720:Identifier contains type name", Scope = "member", Target = "~F:Atom.Salesforce.Emulator.Schema.FieldType.Int", Justification = "Named as describe names the Salesforce field type (int).")]
[assembly: SuppressMessage("Naming", "CA1720:Identifier contains type name", Scope = "member", Target = "~F:Atom.Salesforce.Emulator.Schema.FieldType.Double", Justification = "Named as describe names the Salesforce field type (double).")]
