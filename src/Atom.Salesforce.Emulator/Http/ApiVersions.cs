using System.Globalization;

namespace Atom.Salesforce.Emulator.Http;

/// <summary>The REST API versions the org serves, as the <c>{version}</c> of a route names them.</summary>
internal static class ApiVersions
{
    public const decimal Oldest = 31.0m;
    public const decimal Latest = 66.0m;

    /// <summary><c>v66.0</c> → 66.0, for the versions the org serves.</summary>
    public static bool TryParse(string text, out decimal version)
    {
        version = 0;
        return text.Length > 1 && (text[0] is 'v' or 'V')
            && decimal.TryParse(text.AsSpan(1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out version)
            && version is >= Oldest and <= Latest && version == decimal.Truncate(version);
    }
}
